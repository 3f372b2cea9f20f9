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
        # accounts' weekly programme tasks count bug reports with a log in forum's tables.
        from accounts.selectors import BUG_REPORTS_WITH_LOG, register_task_counter
        from forum.selectors.program_tasks import bug_reports_with_log

        register_task_counter(BUG_REPORTS_WITH_LOG, bug_reports_with_log)
        # Anonymous pages are looked up by keys that hold the boards' version (forum.caching):
        # a board changed anywhere, the admin included, drops them.
        from django.db.models.signals import post_delete, post_save

        from forum.caching import board_boards_changed
        from forum.models import Board

        post_save.connect(board_boards_changed, sender=Board, dispatch_uid="forum.boards_changed")
        post_delete.connect(board_boards_changed, sender=Board, dispatch_uid="forum.boards_gone")
