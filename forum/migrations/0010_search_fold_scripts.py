"""Re-tokenize every post's search_text: forum.search now folds Traditional to Simplified.

Posts written in Traditional characters were stored as written, so a query,
now folded to Simplified, would miss them until their search_text is folded
too. This runs the set-based rebuild (forum.services.post_search_text_rebuild)
in batches over the historical Post model; only rows whose text changes are
written. Each batch is its own transaction so a large table is not held in
one, and an interrupted run is finished by `manage.py rebuild_search` (or by
running the migration again: rebuilding is idempotent).
"""

from django.db import migrations

BATCH_SIZE = 2000


def fold_search_text(apps, schema_editor, batch_size=BATCH_SIZE):
    from forum.services.search import post_search_text_rebuild

    post = apps.get_model("forum", "Post")
    last = 0
    while last := post_search_text_rebuild(after_pk=last, batch_size=batch_size, model=post):
        pass


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("forum", "0009_board_program"),
    ]

    operations = [
        # Going back needs nothing: the old tokenizer reads folded text, it just
        # misses Traditional queries; `manage.py rebuild_search` restores it exactly.
        migrations.RunPython(fold_search_text, migrations.RunPython.noop, elidable=True),
    ]
