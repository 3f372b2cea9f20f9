from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The plumbing every app uses (config.jobs' task outbox, /health/), as an app
    so its one table has a migration."""

    name = "config"
    label = "config"
    verbose_name = "Popcorn"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks
        from django.urls import register_converter

        from config.ids import IdConverter
        from config.regions import check_database

        # `<id:pk>` (config.ids), before any app's URL module is imported: a test or a
        # tool may import one before the root URLconf.
        register_converter(IdConverter, "id")

        # IP locations on but their database unreadable: a warning, pages go on without.
        checks.register(check_database, "popcorn")
