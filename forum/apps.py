from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Forum")

    def ready(self):
        # accounts' daily-actives job asks forum for its per-section figures.
        from accounts.models import register_notification_messages
        from accounts.services import register_daily_stats_part
        from forum.notification_texts import FORUM_MESSAGES
        from forum.services import section_daily_stats_compute

        register_daily_stats_part("forum.sections", section_daily_stats_compute)
        # accounts words every notification; forum's sentences are its own.
        register_notification_messages(FORUM_MESSAGES)
