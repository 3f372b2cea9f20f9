"""Existing notifications and ledger lines: from finished English sentences to keys.

Notifications of forum's kinds were always a kind + actor + thread title, so their
key follows from the kind. Moderation and early-access notifications stored a
whole sentence: it is read back into a key and parameters when it matches one
of the registered messages (accounts.notification_texts.parse_sentence); one that
matches none keeps its sentence in target_title, which is what an unkeyed row
shows. Nothing is lost either way.

Ledger lines keep their title and floor; what was a sentence becomes parameters:
a streak's length, an invitee's name, the staff member who adjusted. A check-in
line is worded from its source, so its old title is dropped.
"""

import re

from django.db import migrations

FORUM_KINDS = {"reply", "quote", "mention", "like", "new_thread"}
BATCH = 1000

STREAK = re.compile(r"^\s*(\d+)\b")
INVITEE = re.compile(r"^(?P<name>.+), whom you invited, became active$")
MEMBER_URL = re.compile(r"^/u/(?P<name>[^/]+)/?$")


def _batches(queryset):
    batch = []
    for row in queryset.iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def notifications_forward(apps, schema_editor):
    from accounts.notification_texts import parse_sentence

    Notification = apps.get_model("accounts", "Notification")
    rows = Notification.objects.filter(title_key="").only("pk", "kind", "target_title")
    for batch in _batches(rows.order_by("pk")):
        changed = []
        for row in batch:
            if row.kind in FORUM_KINDS:
                row.title_key = f"forum.{row.kind}"
                row.title_params = {"title": row.target_title}
            else:
                parsed = parse_sentence(row.target_title, prefixes=("moderation.", "accounts."))
                if parsed is None:
                    continue  # its sentence stays in target_title, shown as it is
                row.title_key, row.title_params = parsed
            changed.append(row)
        Notification.objects.bulk_update(changed, ["title_key", "title_params"])


def notifications_backward(apps, schema_editor):
    # target_title still holds each old sentence (or the thread's title).
    Notification = apps.get_model("accounts", "Notification")
    Notification.objects.exclude(title_key="").update(title_key="", title_params={})


def ledger_forward(apps, schema_editor):
    Entry = apps.get_model("accounts", "ReputationEntry")
    rows = Entry.objects.filter(
        reason__in=["check_in", "check_in_streak", "invitee_active", "adjustment"],
        title_params={},
    ).only("pk", "reason", "target_title", "target_url")
    for batch in _batches(rows.order_by("pk")):
        changed = []
        for row in batch:
            title, params = row.target_title, {}
            if row.reason == "check_in":
                title = ""  # "Check-in on 2026-11-30": the day is in the source
            elif row.reason == "check_in_streak" and (match := STREAK.match(title)):
                title, params = "", {"days": int(match.group(1))}
            elif row.reason == "invitee_active":
                match = INVITEE.match(title) or MEMBER_URL.match(row.target_url)
                if match:
                    title, params = "", {"name": match.group("name")}
            elif row.reason == "adjustment" and title.startswith("by "):
                title, params = "", {"by": title[3:]}
            if (title, params) != (row.target_title, {}):
                row.target_title, row.title_params = title, params
                changed.append(row)
        Entry.objects.bulk_update(changed, ["target_title", "title_params"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0012_notification_and_ledger_keys"),
    ]

    operations = [
        migrations.RunPython(notifications_forward, notifications_backward, elidable=True),
        migrations.RunPython(ledger_forward, migrations.RunPython.noop, elidable=True),
    ]
