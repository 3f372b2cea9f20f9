"""Search for Chinese readers: both scripts alike, run-together words, help when nothing is found.

Like test_search.py, every test runs on SQLite (LIKE) and on PostgreSQL (GIN
index, ts_rank) in CI, so each rule is proven on both databases.
"""

import importlib
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forum import services
from forum.models import Post
from forum.search import fold_script, highlight, parse_query, search_document, snippet
from tests.factories import BoardFactory, DeviceFactory, make_reply, make_thread

SEARCH = reverse("forum:search")


def found(client, q, **params) -> list[str]:
    """Sources of the posts a search shows, in order."""
    response = client.get(SEARCH, {"q": q, **params})
    assert response.status_code == 200
    page = response.context["page"]
    return [post.source for post in page.object_list] if page else []


def age(source: str, days: int) -> None:
    Post.objects.filter(source=source).update(created_at=timezone.now() - timedelta(days=days))


# Traditional and Simplified are one script -------------------------------------------


def test_traditional_and_simplified_text_are_stored_alike():
    assert search_document("論壇公告", "裡面的頭髮") == search_document("论坛公告", "里面的头发")
    assert search_document("", "裏面") == search_document("", "里面")
    assert parse_query("論壇").terms == parse_query("论坛").terms == ("论坛",)
    # Latin words, kana and Hangul are left as they are.
    assert search_document("", "MIUI かな 한국") == "miui か かな な 한 한국 국"


def test_the_fold_maps_every_character_to_one_character():
    # The highlighter marks the original text at the folded text's positions.
    block = "".join(chr(c) for c in range(0x4E00, 0xA000))
    assert len(fold_script(block)) == len(block)
    assert all(len(fold_script(char)) == 1 for char in block)
    assert fold_script("乾燥的頭髮") == "干燥的头发"  # phrases, not only characters


@pytest.fixture
def scripts(board):
    simplified = make_thread(board=board, title="论坛公告", body="欢迎来到论坛，这里讨论固件更新")
    traditional = make_thread(
        board=board, title="韌體問題", body="更新後耗電很快，論壇裡有人說過嗎"
    )
    return {"simplified": simplified, "traditional": traditional}


def test_a_traditional_query_finds_simplified_posts(client, scripts):
    assert found(client, "論壇公告") == ["欢迎来到论坛，这里讨论固件更新"]
    assert found(client, "固件更新 歡迎") == ["欢迎来到论坛，这里讨论固件更新"]


def test_a_simplified_query_finds_traditional_posts(client, scripts):
    assert found(client, "耗电很快") == ["更新後耗電很快，論壇裡有人說過嗎"]
    assert found(client, "韧体问题") == ["更新後耗電很快，論壇裡有人說過嗎"]  # the title


def test_either_script_finds_both_posts(client, scripts):
    both = {"欢迎来到论坛，这里讨论固件更新", "更新後耗電很快，論壇裡有人說過嗎"}
    assert set(found(client, "论坛")) == set(found(client, "論壇")) == both
    assert set(found(client, "更新")) == both


def test_an_edit_in_traditional_is_found_in_simplified(client, scripts):
    opening = Post.objects.get(thread=scripts["simplified"], floor=1)
    services.post_edit(post=opening, editor=opening.author, body="刷機之後訊號變差")
    assert found(client, "刷机之后 变差") == ["刷機之後訊號變差"]


def run_migration_0010(batch_size: int = 2000):
    state = MigrationExecutor(connection).loader.project_state(
        ("forum", "0010_search_fold_scripts")
    )
    migration = importlib.import_module("forum.migrations.0010_search_fold_scripts")
    migration.fold_search_text(state.apps, None, batch_size=batch_size)


def test_the_migration_folds_posts_indexed_before_the_fold(client, board):
    thread = make_thread(board=board, title="論壇規則", body="請先閱讀")
    make_reply(thread=thread, body="韌體更新後耗電")
    make_reply(thread=thread, body="simplified 固件")
    # What the tokenizer before the fold stored: the characters as written.
    Post.objects.filter(thread=thread, floor=1).update(search_text="論 論壇 壇 壇規 規 規則 則")
    Post.objects.filter(thread=thread, floor=2).update(search_text="韌 韌體 體 體更 更")
    assert found(client, "论坛") == found(client, "韧体更新") == []

    with CaptureQueriesContext(connection) as queries:
        run_migration_0010(batch_size=2)
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1  # the two stale rows, one set-based UPDATE; the third is unchanged

    for post in Post.objects.filter(thread=thread):
        assert post.search_text == search_document(
            thread.title if post.floor == 1 else "", post.source
        )
    assert found(client, "论坛") == ["請先閱讀"]
    assert found(client, "韧体更新") == ["韌體更新後耗電"]


def test_rebuilding_up_to_date_posts_writes_nothing(board):
    make_thread(board=board, title="论坛", body="已经是新的")
    with CaptureQueriesContext(connection) as queries:
        assert services.post_search_text_rebuild() != 0
    assert not [q for q in queries if q["sql"].startswith("UPDATE")]


# Run-together words find what the spaced words find, ranked --------------------------

WECHAT_TOGETHER = "收不到微信通知了"
WECHAT_APART = "微信的通知不响"
WECHAT_REVERSED = "通知栏里的微信图标不见了"
WECHAT_ONLY = "微信正常"


@pytest.fixture
def wechat(board):
    thread = make_thread(board=board, title="notes", body=WECHAT_TOGETHER)
    for body in (WECHAT_APART, WECHAT_REVERSED, WECHAT_ONLY):
        make_reply(thread=thread, body=body)
    age(WECHAT_TOGETHER, days=3)  # the oldest, still first: it holds the words in a row
    return thread


def test_run_together_and_spaced_words_ask_for_the_same_terms():
    assert parse_query("微信通知").terms == parse_query("微信 通知").terms == ("微信", "通知")
    assert parse_query("小米手机耗电").terms == ("小米", "手", "机", "耗电")


def test_run_together_words_find_what_spaced_words_find_in_the_same_order(client, wechat):
    together, spaced = found(client, "微信通知"), found(client, "微信 通知")
    assert together == spaced
    assert set(together) == {WECHAT_TOGETHER, WECHAT_APART, WECHAT_REVERSED}
    assert together[0] == WECHAT_TOGETHER


@pytest.mark.parametrize(
    "spaced", ["小米 手机 耗电", "小米手机 耗电", "小米 手机耗电", "小米手 机耗电"]
)
def test_any_split_of_a_run_into_words_finds_no_more_than_the_run(client, board, spaced):
    thread = make_thread(board=board, title="t", body="小米手机耗电太快")
    for body in ("耗电的小米手机", "手机耗电 小米", "小米 手机", "小米平板耗电", "小米的耗电 机手"):
        make_reply(thread=thread, body=body)
    run_together = found(client, "小米手机耗电")
    assert set(found(client, spaced)) <= set(run_together)
    assert run_together[0] == "小米手机耗电太快"
    assert "小米 手机" not in run_together and "小米平板耗电" not in run_together


def test_the_exact_phrase_ranks_above_posts_that_only_repeat_its_words(client, board):
    thread = make_thread(board=board, title="t", body="微信 通知 微信 通知 微信 通知，微信的通知")
    make_reply(thread=thread, body="昨天开始微信通知延迟")
    age("昨天开始微信通知延迟", days=10)
    assert found(client, "微信通知")[0] == "昨天开始微信通知延迟"


def test_among_posts_without_the_phrase_more_of_its_pairs_rank_first(client, board):
    # 固件更新后 needs 固件, 更 and 新后; 件更 and 更新 only rank.
    thread = make_thread(board=board, title="t", body="固件 更新 最新后台")
    make_reply(thread=thread, body="固件 更好 很新后悔")
    age("固件 更新 最新后台", days=5)
    assert found(client, "固件更新后") == ["固件 更新 最新后台", "固件 更好 很新后悔"]


# Marks: the query's words as written in the post, whichever script --------------------


def test_a_traditional_query_marks_simplified_text_and_the_other_way_round():
    assert highlight("欢迎来到论坛", parse_query("論壇")) == "欢迎来到<mark>论坛</mark>"
    assert highlight("歡迎來到論壇", parse_query("论坛")) == "歡迎來到<mark>論壇</mark>"
    assert snippet("裡面 **論壇** 規則", parse_query("论坛规则")) == (
        "裡面 **<mark>論壇</mark>** <mark>規則</mark>"
    )


def test_run_together_words_mark_their_pairs_and_never_a_lone_middle_character():
    assert (
        highlight("微信的通知", parse_query("微信通知")) == "<mark>微信</mark>的<mark>通知</mark>"
    )
    assert highlight("更新后耗电很快，电池", parse_query("更新后耗电很快")) == (
        "<mark>更新后耗电很快</mark>，电池"
    )


def test_marks_stay_in_place_next_to_characters_the_fold_widens_or_narrows():
    assert highlight("ＭＩＵＩ１４ 耗电", parse_query("miui14")) == "<mark>ＭＩＵＩ１４</mark> 耗电"
    assert highlight("ﬁ ㈱ 固件 e\u0301 論壇", parse_query("固件 论坛")) == (
        "ﬁ ㈱ <mark>固件</mark> e\u0301 <mark>論壇</mark>"
    )


def test_the_results_page_marks_simplified_text_for_a_traditional_query(client, scripts):
    html = client.get(SEARCH, {"q": "論壇公告"}).content.decode()
    assert "<mark>论坛公告</mark>" in html  # the title
    assert "欢迎来到<mark>论坛</mark>" in html  # the snippet


# Nothing found: say so, and what to try -----------------------------------------------


def help_for(client, q, **params):
    response = client.get(SEARCH, {"q": q, **params})
    assert response.status_code == 200 and response.context["page"].paginator.count == 0
    return response.context["help"], response.content.decode()


def test_an_empty_result_says_so_and_suggests_what_to_try(client, board):
    make_thread(board=board, title="t", body="固件")
    help, html = help_for(client, "不存在 的词")
    assert "No posts match “不存在 的词”." in html
    assert "Traditional and Simplified characters find each other" in html
    assert help["fewer_words"] == [
        ("不存在", "?q=%E4%B8%8D%E5%AD%98%E5%9C%A8"),
        ("的词", "?q=%E7%9A%84%E8%AF%8D"),
    ]
    assert 'href="?q=%E4%B8%8D%E5%AD%98%E5%9C%A8"' in html
    assert not help["did_you_mean"] and not help["without_filters"]


def test_an_empty_filtered_result_counts_what_the_words_find_without_filters(client, board):
    make_thread(board=board, title="t", body="固件 更新", thread_type="guide")
    make_reply(thread=Post.objects.get().thread, body="固件 也是")
    help, html = help_for(client, "固件", type="bug")
    assert help["without_filters"] == 2
    assert 'Without the filters, 2 posts match: <a href="?q=%E5%9B%BA%E4%BB%B6">' in html

    help, html = help_for(client, "没有这个", type="bug")
    assert help["without_filters"] == 0 and "even without them nothing matches" in html


def test_a_misspelt_device_or_board_word_gets_a_did_you_mean_that_finds_posts(client, board):
    DeviceFactory(codename="houji", brand="Xiaomi", model="14")
    BoardFactory(slug="redmi", name="Redmi")
    make_thread(board=board, title="t", body="houji bootloop after xiaomi update")
    help, html = help_for(client, "huoji bootloop", type="discussion")
    assert help["did_you_mean"] == "houji bootloop"
    assert (
        'Did you mean <a href="?q=houji+bootloop&amp;type=discussion">houji bootloop</a>?' in html
    )
    assert found(client, "houji bootloop") != []
    # A correction that would find nothing either is not offered.
    assert help_for(client, "redmu bootloop")[0]["did_you_mean"] == ""


def test_the_other_regions_word_is_offered_when_it_finds_posts(client, board):
    make_thread(board=board, title="t", body="韌體更新後耗電很快")  # Taiwan's word for firmware
    make_thread(board=board, title="t", body="软件闪退")  # the mainland's word for software
    assert found(client, "固件更新") == []
    assert help_for(client, "固件更新")[0]["did_you_mean"] == "韌體更新"
    help, html = help_for(client, "軟體 閃退")
    assert help["did_you_mean"] == "软件 闪退" and ">软件 闪退</a>?" in html
    assert found(client, help["did_you_mean"]) == ["软件闪退"]
    assert help_for(client, "耗电 没有")[0]["did_you_mean"] == ""  # no other words for these


# Query counts ---------------------------------------------------------------------------

# visible boards (1) + devices (1) + COUNT of matches (1); the empty page itself costs none.
SEARCH_EMPTY_PAGE = 3


def test_an_empty_result_page_costs_one_count_per_suggestion_it_checks(
    client, board, django_assert_num_queries
):
    DeviceFactory(codename="houji")
    make_thread(board=board, title="t", body="houji 固件")
    with django_assert_num_queries(SEARCH_EMPTY_PAGE):
        client.get(SEARCH, {"q": "没有 这个"})
    # + the COUNT without the filters
    with django_assert_num_queries(SEARCH_EMPTY_PAGE + 1):
        client.get(SEARCH, {"q": "没有", "type": "bug"})
    # + the COUNT without the filters + the COUNT of the corrected words
    with django_assert_num_queries(SEARCH_EMPTY_PAGE + 2):
        client.get(SEARCH, {"q": "huoji 没有", "type": "bug"})
    # + a COUNT for each did-you-mean tried: houji 韌體, then the mainland's huoji 固件
    with django_assert_num_queries(SEARCH_EMPTY_PAGE + 2):
        client.get(SEARCH, {"q": "huoji 韌體"})
    # ... and no more once one finds posts: houji 固件
    with django_assert_num_queries(SEARCH_EMPTY_PAGE + 1):
        assert client.get(SEARCH, {"q": "huoji 固件"}).context["help"]["did_you_mean"]


def test_a_converted_run_together_query_costs_what_any_search_costs(
    client, board, django_assert_num_queries
):
    thread = make_thread(board=board, title="微信通知", body="收不到微信通知")
    for i in range(5):
        make_reply(thread=thread, body=f"微信的通知 {i}")
    # The same four queries as test_search.SEARCH_PAGE_ANON: ranking adds none.
    with django_assert_num_queries(4):
        response = client.get(SEARCH, {"q": "微信通知"})
    assert len(response.context["page"].object_list) == 6


# Many matches: the newest are ranked, the total is still told ---------------------------


def test_past_the_rank_window_the_newest_matches_are_ranked_and_the_total_is_told(
    client, board, monkeypatch
):
    monkeypatch.setattr("forum.selectors.search.SEARCH_RANK_WINDOW", 3)
    thread = make_thread(board=board, title="t", body="微信通知 oldest, in a row")
    for body in ("微信的通知 1", "微信的通知 2", "微信的通知 3", "微信的通知 4"):
        make_reply(thread=thread, body=body)
    age("微信通知 oldest, in a row", days=30)
    response = client.get(SEARCH, {"q": "微信通知"})
    page = response.context["page"]
    assert (page.total, page.ranked, page.paginator.count) == (5, 3, 3)
    assert [p.source for p in page.object_list] == ["微信的通知 4", "微信的通知 3", "微信的通知 2"]
    html = response.content.decode()
    assert "5 posts found" in html
    assert "5 posts match; the newest 3 are ranked and shown." in html
