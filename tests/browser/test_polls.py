"""A poll in the browser: a member votes without a reload (htmx), sees the results with
their choice marked, changes the vote and takes it back; the counts follow each step."""

from playwright.sync_api import expect

from tests.forum.polls_world import counts, make_poll


def test_a_member_votes_changes_and_takes_back_without_a_reload(world, open_context, visit):
    poll = make_poll(
        board=world.board, author=world.author, options=("稳定版", "开发版"), results="on_vote"
    )
    seen = visit(open_context("390", user=world.member), poll.thread.get_absolute_url())
    page, block = seen.page, seen.page.locator("#poll")
    expect(block).to_contain_text("投票后即可查看结果")
    block.locator("label.poll-option", has_text="开发版").click()
    block.locator("button.primary", has_text="投票").click()
    mine = page.locator("#poll .poll-result.mine")
    expect(mine).to_contain_text("开发版")
    assert counts(poll) == (1, [0, 1])

    page.locator("#poll .poll-change summary").click()
    page.locator("#poll label.poll-option", has_text="稳定版").click()
    page.locator("#poll button.primary", has_text="修改我的投票").click()
    expect(mine).to_contain_text("稳定版")
    assert counts(poll) == (1, [1, 0])

    page.locator("#poll .poll-change summary").click()
    page.locator("#poll button", has_text="撤回我的投票").click()
    expect(page.locator("#poll .poll-result")).to_have_count(0)
    assert counts(poll) == (0, [0, 0])
    assert seen.errors == []
