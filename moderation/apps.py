from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self):
        # accounts words every notification; moderation's sentences are its own.
        from accounts.models import register_notification_messages
        from moderation.notification_texts import MODERATION_MESSAGES

        register_notification_messages(MODERATION_MESSAGES)
