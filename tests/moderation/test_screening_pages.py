"""The console's watched words and bans (/mod/words/, /mod/bans/): who may use them, field
errors, audited changes that apply at once, and what members see when a rule refuses
them on the site's own pages (reply, new thread, sign-up, profile)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import BannedEmailDomain, BannedNetwork, User, WatchedWord
from forum.models import Post
from moderation import services
from moderation.models import AuditLog, Report
from tests.factories import run_after_commit

pytestmark = pytest.mark.django_db

WORDS = reverse("moderation:watched_words")
BANS = reverse("moderation:bans")
ADD_NETWORK = reverse("moderation:banned_network_add")
ADD_DOMAIN = reverse("moderation:banned_domain_add")
KEEPERS = ["global_mod", "staff"]
REFUSED = ["member", "author", "mod_a", "section_mod"]


def signed_in(client, user):
    client.force_login(user)
    return client


def keep(client, world):
    return signed_in(client, world.staff)


def word(world, pattern, action, **kw):
    return run_after_commit(
        lambda: services.watched_word_create(
            actor=world.staff, pattern=pattern, kind=kw.pop("kind", "word"), action=action, **kw
        )
    )


def page_urls(world):
    entry = word(world, "示例", "flag")
    network = run_after_commit(
        lambda: services.banned_network_create(
            actor=world.staff, network="192.0.2.0/24", reason="test"
        )
    )
    domain = run_after_commit(
        lambda: services.banned_domain_create(actor=world.staff, domain="bad.test", reason="t")
    )
    return {
        "get": [WORDS, reverse("moderation:watched_word_edit", args=[entry.pk]), BANS],
        "post": [
            reverse("moderation:watched_word_delete", args=[entry.pk]),
            reverse("moderation:banned_network_lift", args=[network.pk]),
            reverse("moderation:banned_domain_lift", args=[domain.pk]),
            ADD_NETWORK,
            ADD_DOMAIN,
            WORDS,
        ],
    }


# Who may -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    urls = page_urls(world)
    for url in urls["get"] + urls["post"]:
        response = client.post(url) if url in urls["post"] else client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize("role", REFUSED)
def test_members_and_board_or_section_moderators_get_403(client, world, role):
    urls = page_urls(world)
    signed_in(client, world.role(role))
    for url in urls["get"]:
        assert client.get(url).status_code == 403, url
    for url in urls["post"]:
        assert client.post(url, {"pattern": "x", "action": "block"}).status_code == 403, url
    assert WatchedWord.objects.count() == 1
    assert BannedNetwork.objects.count() == BannedEmailDomain.objects.count() == 1


@pytest.mark.parametrize("role", KEEPERS)
def test_global_moderators_and_staff_see_the_pages(client, world, role):
    urls = page_urls(world)
    signed_in(client, world.role(role))
    for url in urls["get"]:
        assert client.get(url).status_code == 200, url
    page = client.get(WORDS).content.decode()
    assert "示例" in page
    bans = client.get(BANS).content.decode()
    assert "192.0.2.0/24" in bans and "bad.test" in bans


def test_the_pages_are_linked_from_the_console_and_queue_navigation(client, world):
    for role, page in (("staff", "moderation:console"), ("global_mod", "moderation:reports")):
        signed_in(client, world.role(role))
        content = client.get(reverse(page)).content.decode()
        assert f'href="{WORDS}"' in content and f'href="{BANS}"' in content, role
    signed_in(client, world.mod_a)
    content = client.get(reverse("moderation:reports")).content.decode()
    assert f'href="{WORDS}"' not in content


# Watched words ----------------------------------------------------------------------


def test_adding_a_word_is_audited_and_applies_at_once(client, world):
    keep(client, world)
    with_commit = run_after_commit(
        lambda: client.post(
            WORDS, {"pattern": "代购", "kind": "word", "action": "block", "note": "spam"}
        )
    )
    assert with_commit.status_code == 302
    entry = WatchedWord.objects.get()
    assert (entry.pattern, entry.action, entry.note) == ("代购", "block", "spam")
    row = AuditLog.objects.get(action=AuditLog.Action.WATCHED_WORD_ADD)
    assert row.actor == world.staff and row.after["pattern"] == "代购"
    assert row.target_label == "代购" and row.ip == "127.0.0.1"
    # The new word refuses a reply at once, inside a Chinese sentence, and stores nothing.
    signed_in(client, world.member)
    posts = Post.objects.count()
    response = client.post(reverse("forum:reply", args=[world.thread.pk]), {"body": "有人代购吗"})
    assert response.status_code in {200, 400}
    assert "“代购” is not allowed here" in response.content.decode()
    assert Post.objects.count() == posts


def test_a_bad_regex_is_an_error_on_its_field(client, world):
    keep(client, world)
    response = client.post(WORDS, {"pattern": "(a+)+", "kind": "regex", "action": "block"})
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"pattern"}
    response = client.post(WORDS, {"pattern": "(unclosed", "kind": "regex", "action": "block"})
    assert "Not a valid regular expression" in form_error(response, "pattern")
    assert not WatchedWord.objects.exists()
    assert not AuditLog.objects.filter(action__startswith="watched_word").exists()


def form_error(response, name, form="form"):
    return " ".join(response.context[form].errors[name])


def test_editing_a_word_changes_what_it_does_at_once(client, world):
    entry = word(world, "刷机包", "flag")
    thread = world.thread
    keep(client, world)
    edit = reverse("moderation:watched_word_edit", args=[entry.pk])
    assert client.get(edit).context["form"]["pattern"].value() == "刷机包"
    response = run_after_commit(
        lambda: client.post(edit, {"pattern": "刷机包", "kind": "word", "action": "replace"})
    )
    assert response.status_code == 302
    row = AuditLog.objects.get(action=AuditLog.Action.WATCHED_WORD_CHANGE)
    assert (row.before["action"], row.after["action"]) == ("flag", "replace")
    signed_in(client, world.member)
    run_after_commit(
        lambda: client.post(reverse("forum:reply", args=[thread.pk]), {"body": "求刷机包"})
    )
    assert Post.objects.filter(thread=thread).order_by("-floor").first().source == "求***"
    assert not Report.objects.exists()


def test_removing_a_word_is_audited_and_stops_it(client, world):
    entry = word(world, "代购", "block")
    keep(client, world)
    response = run_after_commit(
        lambda: client.post(reverse("moderation:watched_word_delete", args=[entry.pk]))
    )
    assert response.status_code == 302 and not WatchedWord.objects.exists()
    row = AuditLog.objects.get(action=AuditLog.Action.WATCHED_WORD_DELETE)
    assert row.before["pattern"] == "代购" and row.after is None
    signed_in(client, world.member)
    run_after_commit(
        lambda: client.post(reverse("forum:reply", args=[world.thread.pk]), {"body": "有人代购吗"})
    )
    assert Post.objects.filter(source="有人代购吗").exists()


def test_a_word_needing_approval_sends_a_new_thread_to_the_queue(client, world):
    word(world, "加微信", "approve")
    signed_in(client, world.member)
    run_after_commit(
        lambda: client.post(
            reverse("forum:thread_create", args=[world.board_b.slug]),
            {"title": "出二手手机", "body": "要的加微信聊", "thread_type": "discussion"},
        )
    )
    opening = Post.objects.get(source="要的加微信聊")
    assert opening.is_pending
    signed_in(client, world.global_mod)
    assert "要的加微信聊" in client.get(reverse("moderation:approvals")).content.decode()


def test_a_flagged_word_publishes_and_reports_the_reply(client, world):
    word(world, "刷机包", "flag")
    signed_in(client, world.member)
    run_after_commit(
        lambda: client.post(reverse("forum:reply", args=[world.thread.pk]), {"body": "有刷机包"})
    )
    post = Post.objects.get(source="有刷机包")
    assert not post.is_pending
    report = Report.objects.get(post=post)
    assert report.reporter is None and "刷机包" in report.text


def test_a_blocked_word_in_a_display_name_is_an_error_on_the_profile_form(client, world):
    word(world, "代购", "block")
    signed_in(client, world.member)
    response = client.post(
        reverse("accounts:profile_edit"), {"display_name": "代购小王", "signature": ""}
    )
    assert "“代购” is not allowed here" in response.content.decode()
    world.member.refresh_from_db()
    assert world.member.display_name != "代购小王"


# Bans -------------------------------------------------------------------------------------


def test_banning_a_range_from_the_page_refuses_sign_up_and_posting(client, world):
    keep(client, world)
    response = run_after_commit(
        lambda: client.post(
            ADD_NETWORK, {"network-network": "203.0.113.0/24", "network-reason": "spam farm"}
        )
    )
    assert response.status_code == 302
    ban = BannedNetwork.objects.get()
    assert ban.network == "203.0.113.0/24" and ban.expires_at is None
    row = AuditLog.objects.get(action=AuditLog.Action.BAN_ADD)
    assert row.target_type == AuditLog.TargetType.NETWORK_BAN and row.reason == "spam farm"

    visitor = Client(REMOTE_ADDR="203.0.113.9")
    response = visitor.post(reverse("account_signup"), sign_up_data("from_farm", "a@ok.example"))
    assert response.status_code == 200
    assert "Sign-ups from your network are not accepted: spam farm" in response.content.decode()
    assert not User.objects.filter(username="from_farm").exists()

    poster = Client(REMOTE_ADDR="203.0.113.9")
    poster.force_login(world.member)
    posts = Post.objects.count()
    response = poster.post(reverse("forum:reply", args=[world.thread.pk]), {"body": "hello"})
    assert response.status_code == 403
    assert "Posting from your network is not allowed: spam farm" in response.content.decode()
    assert Post.objects.count() == posts


def sign_up_data(username, email):
    return {
        "username": username,
        "email": email,
        "password1": "flash-the-rom-2026",
        "password2": "flash-the-rom-2026",
    }


def test_banning_a_domain_from_the_page_refuses_sign_up(client, world):
    keep(client, world)
    run_after_commit(
        lambda: client.post(
            ADD_DOMAIN,
            {
                "domain-domain": "spam.example",
                "domain-reason": "bots",
                "domain-expires_at": (timezone.localtime() + timedelta(days=7)).strftime(
                    "%Y-%m-%dT%H:%M"
                ),
            },
        )
    )
    ban = BannedEmailDomain.objects.get()
    assert ban.domain == "spam.example" and ban.expires_at > timezone.now()
    response = Client().post(
        reverse("account_signup"), sign_up_data("botty", "botty@mail.spam.example")
    )
    assert "Sign-ups with this email domain are not accepted: bots" in response.content.decode()
    assert not User.objects.filter(username="botty").exists()


def test_bad_ranges_domains_and_past_expiries_are_field_errors(client, world):
    keep(client, world)
    response = client.post(ADD_NETWORK, {"network-network": "300.1.2.3", "network-reason": "x"})
    assert response.status_code == 400
    assert "IPv4 or IPv6" in form_error(response, "network", "network_form")
    response = client.post(ADD_DOMAIN, {"domain-domain": "nodot", "domain-reason": "x"})
    assert response.status_code == 400
    assert "such as example.com" in form_error(response, "domain", "domain_form")
    response = client.post(
        ADD_DOMAIN,
        {"domain-domain": "ok.example", "domain-reason": "x", "domain-expires_at": "2001-01-01"},
    )
    assert "future" in form_error(response, "expires_at", "domain_form")
    assert not BannedNetwork.objects.exists() and not BannedEmailDomain.objects.exists()
    assert not AuditLog.objects.filter(action__startswith="ban_").exists()


def test_lifting_a_ban_is_audited_and_lets_the_range_sign_up(client, world):
    ban = run_after_commit(
        lambda: services.banned_network_create(
            actor=world.staff, network="203.0.113.0/24", reason="spam farm"
        )
    )
    keep(client, world)
    response = run_after_commit(
        lambda: client.post(reverse("moderation:banned_network_lift", args=[ban.pk]))
    )
    assert response.status_code == 302 and not BannedNetwork.objects.exists()
    row = AuditLog.objects.get(action=AuditLog.Action.BAN_DELETE)
    assert row.before["network"] == "203.0.113.0/24"
    response = Client(REMOTE_ADDR="203.0.113.9").post(
        reverse("account_signup"), sign_up_data("welcome_back", "w@ok.example")
    )
    assert response.status_code == 302
    assert User.objects.filter(username="welcome_back").exists()


def test_an_expired_ban_shows_as_expired_and_stops_refusing(client, world, monkeypatch):
    ban = run_after_commit(
        lambda: services.banned_network_create(
            actor=world.staff,
            network="203.0.113.0/24",
            reason="spam farm",
            expires_at=timezone.now() + timedelta(hours=1),
        )
    )
    BannedNetwork.objects.filter(pk=ban.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    from accounts.services.screening import screening_changed

    screening_changed()
    keep(client, world)
    assert "Expired" in client.get(BANS).content.decode()
    poster = Client(REMOTE_ADDR="203.0.113.9")
    poster.force_login(world.member)
    run_after_commit(
        lambda: poster.post(reverse("forum:reply", args=[world.thread.pk]), {"body": "back"})
    )
    assert Post.objects.filter(source="back").exists()


def test_the_log_shows_every_change_to_those_who_keep_the_lists(client, world):
    regex = word(world, r"qq\s*\d{5,}", "approve", kind="regex")
    run_after_commit(
        lambda: services.watched_word_update(
            actor=world.global_mod, word=regex, pattern=regex.pattern, kind="regex", action="flag"
        )
    )
    run_after_commit(
        lambda: services.banned_network_create(
            actor=world.global_mod, network="2001:db8::/32", reason="spam farm"
        )
    )
    log = reverse("moderation:log")
    for role in KEEPERS:
        signed_in(client, world.role(role))
        page = client.get(log)
        assert page.status_code == 200, role
        content = page.content.decode()
        assert "Added a watched word" in content and "Changed a watched word" in content
        assert "Banned an address range or email domain" in content
        assert "2001:db8::/32" in content and f'href="{BANS}"' in content
    signed_in(client, world.mod_a)
    assert "2001:db8::/32" not in client.get(log).content.decode()


def test_the_admin_lists_them_read_only(client, world):
    from tests.factories import StaffFactory

    entry = word(world, "代购", "block")
    client.force_login(StaffFactory(is_superuser=True))
    for name in ("watchedword", "bannednetwork", "bannedemaildomain"):
        assert client.get(reverse(f"admin:accounts_{name}_changelist")).status_code == 200, name
        assert client.get(reverse(f"admin:accounts_{name}_add")).status_code == 403, name
    change = reverse("admin:accounts_watchedword_change", args=[entry.pk])
    client.post(change, {"pattern": "changed", "kind": "word", "action": "flag"})
    assert WatchedWord.objects.get().pattern == "代购"
    delete = reverse("admin:accounts_watchedword_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert WatchedWord.objects.exists()
