from django.core.management.base import BaseCommand

from accounts import services as account_services
from forum import services
from forum.models import Board, Thread


class Command(BaseCommand):
    help = (
        'Recount thread, board and unread-conversation counters (replies, "me too" votes) '
        "from rows (the repair path)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--board", action="append", default=[], help="a board slug (repeat)")

    def handle(self, *args, board, **options):
        boards = Board.objects.filter(slug__in=board) if board else Board.objects.all()
        for each in boards.order_by("pk"):
            threads = Thread.objects.filter(board=each).only("pk", "board_id").order_by("pk")
            for thread in threads.iterator():
                services.thread_sync_counters(thread=thread)
                services.thread_sync_vote_count(thread=thread)
            services.board_sync_counters(board=each)
            self.stdout.write(f"{each.slug}: {each.threads.count()} threads recounted")
        if not board:
            fixed = services.conversations_sync_unread()
            self.stdout.write(f"unread conversations: {fixed} members corrected")
            fixed = account_services.blocks_sync_count()
            self.stdout.write(f"block counts: {fixed} members corrected")
