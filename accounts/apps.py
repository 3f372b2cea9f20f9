from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.apps import apps
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from accounts.services import visit_record
        from config.site import site_sync

        # Signing in is a visit: recorded there, the pages that follow cost nothing.
        def record_sign_in(sender, request, user, **kwargs):
            visit_record(user_id=user.pk)

        user_logged_in.connect(record_sign_in, dispatch_uid="accounts.record_sign_in", weak=False)

        # After the sites app created example.com: the site is SITE_URL, on every migrate.
        post_migrate.connect(
            site_sync, sender=apps.get_app_config("sites"), dispatch_uid="accounts.site_sync"
        )
