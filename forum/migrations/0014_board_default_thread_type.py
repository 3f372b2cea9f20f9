"""A board's default thread type (a bug-report board starts new threads as bug
reports), and an index for pending uploads: attachments kept from a form that was
sent back, with no post yet, which a periodic task deletes once expired.

Existing boards keep "discussion"; staff set bug-report boards in the admin.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('forum', '0013_thread_firmware_and_replies_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='board',
            name='default_thread_type',
            field=models.CharField(choices=[('discussion', 'Discussion'), ('bug', 'Bug report'), ('feedback', 'Feedback'), ('guide', 'Guide'), ('release', 'Release notes')], default='discussion', max_length=12, verbose_name='default thread type'),
        ),
        migrations.AddIndex(
            model_name='attachment',
            index=models.Index(condition=models.Q(('post__isnull', True)), fields=['created_at'], name='attachment_pending'),
        ),
    ]
