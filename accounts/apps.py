from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.apps import apps
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from accounts.services import member_region_record, visit_record
        from config.http import client_ip
        from config.site import site_sync

        # Signing in is a visit: recorded there, the pages that follow cost nothing. It
        # also moves the member's IP location, when the site shows them (config.regions).
        def record_sign_in(sender, request, user, **kwargs):
            visit_record(user_id=user.pk)
            if request is not None:
                member_region_record(user=user, ip=client_ip(request))

        user_logged_in.connect(record_sign_in, dispatch_uid="accounts.record_sign_in", weak=False)

        # Turning on an authenticator app or a passkey proves it (a code, a touch): the
        # session counts as signed in with a second factor, so a moderator told to turn
        # it on may go on at once (accounts.permissions.note_second_factor).
        from allauth.account.internal.flows.login import record_authentication
        from allauth.mfa.signals import authenticator_added

        def enrolment_is_second_factor(sender, request, user, authenticator, **kwargs):
            if request is not None and authenticator.type in ("totp", "webauthn"):
                record_authentication(request, user, "mfa", type=authenticator.type, enrolled=True)

        authenticator_added.connect(
            enrolment_is_second_factor,
            dispatch_uid="accounts.enrolment_is_second_factor",
            weak=False,
        )

        # A member's cached row (accounts.user_cache) is dropped when it is saved or deleted.
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from accounts.user_cache import user_changed

        User = get_user_model()
        post_save.connect(user_changed, sender=User, dispatch_uid="accounts.user_saved")
        post_delete.connect(user_changed, sender=User, dispatch_uid="accounts.user_deleted")

        # After the sites app created example.com: the site is SITE_URL, on every migrate.
        post_migrate.connect(
            site_sync, sender=apps.get_app_config("sites"), dispatch_uid="accounts.site_sync"
        )
