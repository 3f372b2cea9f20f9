# Choices only (a notification kind and a ledger reason for meetups): the merger may
# regenerate this file.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0017_meetups_medals_cities"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=[
                    ("reply", "Replies in threads I started or watch"),
                    ("quote", "Quotes of my posts"),
                    ("mention", "Mentions of me"),
                    ("like", "Likes on my posts"),
                    ("new_thread", "New threads in boards I watch"),
                    ("moderation", "Moderator actions on my content"),
                    ("early_access", "Early-access invitations"),
                    ("meetup", "Meetups I signed up for"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="reputationentry",
            name="reason",
            field=models.CharField(
                choices=[
                    ("thread", "thread started"),
                    ("reply", "reply"),
                    ("like", "like"),
                    ("helpful", "marked helpful"),
                    ("featured", "thread featured"),
                    ("bug_confirmed", "bug report confirmed"),
                    ("check_in", "daily check-in"),
                    ("check_in_streak", "7-day check-in streak"),
                    ("invitee_active", "invited member became active"),
                    ("content_removed", "content removed after a report"),
                    ("report_upheld", "report upheld"),
                    ("adjustment", "adjustment by staff"),
                    ("meetup_attended", "attended a meetup"),
                ],
                max_length=20,
            ),
        ),
    ]
