from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The plumbing every app uses (config.jobs' task outbox, /health/), as an app
    so its one table has a migration."""

    name = "config"
    label = "config"
    verbose_name = "Popcorn"
    default_auto_field = "django.db.models.BigAutoField"
