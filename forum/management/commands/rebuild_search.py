from django.core.management.base import BaseCommand

from forum import services


class Command(BaseCommand):
    help = (
        "Recompute every post's search_text (after adding search, or when the "
        "tokenizer in forum/search.py changes). Batched; safe to stop and re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--after", type=int, default=0, help="Resume after this post id (printed as it goes)."
        )

    def handle(self, *, batch_size: int, after: int, **options):
        last, batches = after, 0
        while True:
            done = services.post_search_text_rebuild(after_pk=last, batch_size=batch_size)
            if not done:
                break
            last, batches = done, batches + 1
            if options["verbosity"] > 1:
                self.stdout.write(f"up to post {last}")
        self.stdout.write(self.style.SUCCESS(f"Rebuilt search text: {batches} batch(es)."))
