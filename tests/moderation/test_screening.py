"""Watched words and bans through the services that post, message, edit profiles and
sign up: each action, Chinese inside a sentence, full-width letters, ranges, expiry."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import services as account_services
from accounts.models import WatchedWordAction, WatchedWordKind
from config.http import serving_address
from forum import services as forum_services
from forum.models import Post
from moderation import services
from moderation.models import AuditLog, MessageReport, Report
from tests.factories import BoardFactory, UserFactory, make_thread, run_after_commit

A = WatchedWordAction


def add_word(actor, pattern, action, kind=WatchedWordKind.WORD):
    return run_after_commit(
        lambda: services.watched_word_create(actor=actor, pattern=pattern, kind=kind, action=action)
    )


@pytest.fixture
def words(staff):
    add_word(staff, "代购", A.BLOCK)
    add_word(staff, "spam", A.REPLACE)
    add_word(staff, "加微信", A.APPROVE)
    add_word(staff, "刷机包", A.FLAG)
    return staff


def test_a_blocked_chinese_word_inside_a_sentence_refuses_the_reply(words, member, board):
    thread = make_thread(board=board)
    with pytest.raises(ValidationError) as refused:
        forum_services.post_reply(thread=thread, author=member, body="有没有人做代购的啊")
    assert "代购" in refused.value.message_dict["body"][0]
    assert not Post.objects.filter(author=member).exists()


def test_a_blocked_word_in_a_title_is_an_error_on_the_title(words, member, board):
    with pytest.raises(ValidationError) as refused:
        make_thread(board=board, author=member, title="代购iPhone", body="fine")
    assert set(refused.value.message_dict) == {"title"}


def test_full_width_letters_match_and_are_starred_out(words, member, board):
    thread = make_thread(board=board)
    post = run_after_commit(
        lambda: forum_services.post_reply(thread=thread, author=member, body="这是ＳＰＡＭ吗 Spam!")
    )
    assert post.source == "这是***吗 ***!"


def test_latin_words_match_whole_words_only(words, member, board):
    thread = make_thread(board=board)
    post = run_after_commit(
        lambda: forum_services.post_reply(thread=thread, author=member, body="spammer spam")
    )
    assert post.source == "spammer ***"


def test_a_word_requiring_approval_holds_the_post(words, member, board):
    thread = make_thread(board=board)
    post = forum_services.post_reply(thread=thread, author=member, body="有问题请加微信聊")
    assert post.is_pending and "加微信" in post.pending_reason


def test_staff_are_not_held_by_a_watched_word(words, board):
    thread = make_thread(board=board)
    post = run_after_commit(
        lambda: forum_services.post_reply(thread=thread, author=words, body="加微信")
    )
    assert not post.is_pending


def test_a_flagged_word_publishes_the_post_and_reports_it_as_the_system(words, member, board):
    thread = make_thread(board=board)
    post = run_after_commit(
        lambda: forum_services.post_reply(thread=thread, author=member, body="求一个刷机包")
    )
    assert not post.is_pending
    report = Report.objects.get(post=post)
    assert report.reporter is None and "刷机包" in report.text
    assert report.case.is_open


def test_an_edit_that_adds_a_blocked_word_is_refused(words, member, board):
    thread = make_thread(board=board, author=member)
    opening = Post.objects.get(thread=thread, floor=1)
    with pytest.raises(ValidationError):
        forum_services.post_edit(post=opening, editor=member, body="现在做代购")


def test_an_edit_with_a_word_needing_approval_is_flagged_instead(words, member, board):
    thread = make_thread(board=board, author=member)
    opening = Post.objects.get(thread=thread, floor=1)
    run_after_commit(lambda: forum_services.post_edit(post=opening, editor=member, body="加微信"))
    assert Report.objects.filter(post=opening, reporter=None).exists()


def test_messages_are_screened(words, member):
    other = UserFactory()
    with pytest.raises(ValidationError):
        forum_services.conversation_start(
            author=member, recipients=[other.username], subject="hi", body="代购吗"
        )
    with pytest.raises(ValidationError):
        forum_services.conversation_start(
            author=member, recipients=[other.username], subject="hi", body="加微信"
        )
    conversation = run_after_commit(
        lambda: forum_services.conversation_start(
            author=member, recipients=[other.username], subject="spam", body="有刷机包"
        )
    )
    assert conversation.subject == "***"
    assert MessageReport.objects.filter(reporter=None, message__conversation=conversation).exists()


def test_signatures_and_display_names_are_screened(words, member):
    with pytest.raises(ValidationError) as refused:
        account_services.profile_update(user=member, display_name="代购小王", signature="")
    assert set(refused.value.message_dict) == {"display_name"}
    with pytest.raises(ValidationError) as refused:
        account_services.profile_update(user=member, display_name="", signature="刷机包")
    assert set(refused.value.message_dict) == {"signature"}
    account_services.profile_update(user=member, display_name="Spam king", signature="")
    member.refresh_from_db()
    assert member.display_name == "*** king"


def test_a_pattern_that_backtracks_or_does_not_compile_is_a_field_error(staff):
    for pattern in ("(a+)+$", "([a-z]*)*", "(unclosed", "a|"):
        with pytest.raises(ValidationError) as refused:
            services.watched_word_create(
                actor=staff, pattern=pattern, kind=WatchedWordKind.REGEX, action=A.BLOCK
            )
        assert "pattern" in refused.value.message_dict


def test_regex_and_wildcard_entries_match(staff, member, board):
    add_word(staff, r"q{2}\d+", A.BLOCK, kind=WatchedWordKind.REGEX)
    add_word(staff, "v*x", A.BLOCK, kind=WatchedWordKind.WILDCARD)
    thread = make_thread(board=board)
    for body in ("QQ12345", "加vxx", "v信x"):
        with pytest.raises(ValidationError):
            forum_services.post_reply(thread=thread, author=member, body=body)


def test_every_change_is_audited(staff):
    word = add_word(staff, "abc", A.BLOCK)
    run_after_commit(
        lambda: services.watched_word_update(
            actor=staff, word=word, pattern="abcd", kind=WatchedWordKind.WORD, action=A.FLAG
        )
    )
    run_after_commit(lambda: services.watched_word_delete(actor=staff, word=word))
    rows = list(AuditLog.objects.order_by("pk").values_list("action", "before", "after"))
    assert [row[0] for row in rows] == [
        "watched_word_add",
        "watched_word_change",
        "watched_word_delete",
    ]
    assert rows[1][1]["pattern"] == "abc" and rows[1][2] == {
        "pattern": "abcd",
        "kind": "word",
        "action": "flag",
        "note": "",
    }


def test_board_moderators_and_members_may_not_keep_the_list(member):
    with pytest.raises(PermissionDenied):
        services.watched_word_create(actor=member, pattern="x", kind="word", action=A.BLOCK)


def test_a_global_moderator_may_keep_the_list(db):
    moderator = UserFactory(is_global_moderator=True)
    assert add_word(moderator, "xyz", A.BLOCK).pk


def test_a_repeated_entry_is_a_field_error(staff):
    add_word(staff, "ＡＢＣ", A.BLOCK)
    with pytest.raises(ValidationError) as refused:
        services.watched_word_create(actor=staff, pattern="abc", kind="word", action=A.FLAG)
    assert "pattern" in refused.value.message_dict


# Bans -------------------------------------------------------------------------------


def ban_range(staff, network, **kw):
    return run_after_commit(
        lambda: services.banned_network_create(
            actor=staff, network=network, reason="spam farm", **kw
        )
    )


def test_posting_from_a_banned_range_is_refused(staff, member, board):
    ban_range(staff, "203.0.113.0/24")
    ban_range(staff, "2001:db8::/32")
    thread = make_thread(board=board)
    for ip in ("203.0.113.77", "2001:db8::1"):
        with serving_address(ip), pytest.raises(PermissionDenied) as refused:
            forum_services.post_reply(thread=thread, author=member, body="hello")
        assert "spam farm" in str(refused.value)
    with serving_address("198.51.100.1"):
        run_after_commit(lambda: forum_services.post_reply(thread=thread, author=member, body="hi"))


def test_starting_a_thread_or_a_message_from_a_banned_range_is_refused(staff, member, board):
    ban_range(staff, "203.0.113.5")
    with serving_address("203.0.113.5"):
        with pytest.raises(PermissionDenied):
            make_thread(board=board, author=member)
        with pytest.raises(PermissionDenied):
            forum_services.conversation_start(
                author=member, recipients=[UserFactory().username], subject="s", body="b"
            )


def test_an_expired_ban_stops_applying_without_a_job(staff, member, board, monkeypatch):
    ban = ban_range(staff, "203.0.113.0/24", expires_at=timezone.now() + timedelta(hours=1))
    assert account_services.address_ban_reason("203.0.113.9") == "spam farm"
    later = ban.expires_at.timestamp() + 1
    monkeypatch.setattr("accounts.services.screening.time.time", lambda: later)
    assert account_services.address_ban_reason("203.0.113.9") is None


def test_the_job_purges_long_expired_bans(staff):
    from accounts.models import BannedNetwork

    ban = ban_range(staff, "203.0.113.0/24", expires_at=timezone.now() + timedelta(hours=1))
    BannedNetwork.objects.filter(pk=ban.pk).update(expires_at=timezone.now() - timedelta(days=40))
    assert services.bans_purge_expired() == 1


def test_a_banned_domain_covers_its_subdomains(staff):
    run_after_commit(
        lambda: services.banned_domain_create(actor=staff, domain="@Spam.example", reason="bots")
    )
    assert account_services.email_ban_reason("a@spam.example") == "bots"
    assert account_services.email_ban_reason("a@mail.SPAM.example") == "bots"
    assert account_services.email_ban_reason("a@notspam.example") is None


def test_a_bad_range_is_a_field_error(staff):
    for network in ("not an address", "10.0.0.0/4"):
        with pytest.raises(ValidationError) as refused:
            services.banned_network_create(actor=staff, network=network, reason="x")
        assert "network" in refused.value.message_dict


def test_posting_costs_no_query_for_the_cached_lists(words, member, django_assert_num_queries):
    board = BoardFactory()
    thread = make_thread(board=board)
    run_after_commit(lambda: forum_services.post_reply(thread=thread, author=member, body="warm"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as cached:
        forum_services.post_reply(thread=thread, author=member, body="second reply, cached")
    assert not any(
        "watchedword" in q["sql"].lower() or "banned" in q["sql"].lower() for q in cached
    )
