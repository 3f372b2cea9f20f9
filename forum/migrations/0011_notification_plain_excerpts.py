"""Notification excerpts of posts as plain text: they were cut from the Markdown
source, so the bell and emails showed `**`, `>` quotes and link syntax.

Here in forum, whose renderer (forum.rendering.plain_text) wrote the Markdown;
only the kinds whose excerpt is a post's text are touched (a moderator's reason
or a program's description was plain already).
"""

from django.db import migrations

POST_KINDS = ["reply", "quote", "mention", "new_thread"]
BATCH = 1000


def forward(apps, schema_editor):
    from forum.rendering import plain_text

    Notification = apps.get_model("accounts", "Notification")
    rows = (
        Notification.objects.filter(kind__in=POST_KINDS)
        .exclude(excerpt="")
        .only("pk", "excerpt")
        .order_by("pk")
    )
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        text = plain_text(row.excerpt, limit=300)
        if text != row.excerpt:
            row.excerpt = text
            batch.append(row)
        if len(batch) == BATCH:
            Notification.objects.bulk_update(batch, ["excerpt"])
            batch = []
    Notification.objects.bulk_update(batch, ["excerpt"])


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0010_search_fold_scripts"),
        ("accounts", "0013_notification_and_ledger_texts"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=True)]
