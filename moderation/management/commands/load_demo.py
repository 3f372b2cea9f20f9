"""Load a believable demo community: 90 days of it, written through the services.

    manage.py load_demo              # 50 members, 100 threads; refuses if the forum has boards
    manage.py load_demo --if-empty   # the same, or nothing at all if the forum has boards

Everything happens in one transaction: a failure leaves nothing. The cast
(one login per role) is in moderation/demo/catalogue.py and the README;
every other member's password is popcorn-fan.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from forum import services as forum_services
from forum.models import Board, Section
from moderation.demo.builder import DemoBuilder, DemoError
from moderation.demo.catalogue import CAST


class Command(BaseCommand):
    help = (
        "Load a demo community (90 days of threads, replies, likes, visits, moderation and "
        "an early-access programme) through the services. Logins: see the README."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--users", type=int, default=50, help=f"Members, at least {len(CAST)} (the cast)."
        )
        parser.add_argument("--threads", type=int, default=100, help="Threads to start.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (successfully) if the forum already has boards.",
        )

    def handle(self, *args, **options):
        if options["users"] < len(CAST):
            raise CommandError(f"--users must be at least {len(CAST)} (the cast).")
        if options["threads"] < 0:
            raise CommandError("--threads cannot be negative.")
        if Board.objects.exists() or Section.objects.exists():
            if options["if_empty"]:
                self.stdout.write("The forum already has boards; demo data not loaded.")
                return
            raise CommandError("demo data already loaded")

        # Demo members have made-up addresses: their notifications stay on the
        # site instead of flooding the console with emails. A simulated day is
        # written in a blink of real time, so the rate limits (counted in real
        # seconds) stand aside; every other rule, the approval hold and the
        # reputation caps included, applies as it does live.
        seeding = {**settings.POPCORN, "POSTING_LIMITS_ENABLED": False}
        builder = DemoBuilder(
            seed=options["seed"], users=options["users"], threads=options["threads"]
        )
        try:
            with (
                override_settings(
                    EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend", POPCORN=seeding
                ),
                transaction.atomic(),
            ):
                made = builder.build()
                # The hot page lists scored threads only: score the demo's now.
                forum_services.threads_rescore_hot()
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded demo data: {made['users']} users, {made['boards']} boards, "
                f"{made['threads']} threads, {made['posts']} posts."
            )
        )
