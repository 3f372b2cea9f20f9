"""By thumb on a 390×844 phone, in Chinese: replying to a thread, a moderator's bar, a
refused like that says why, and the bug report's template."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from forum.models import Post, PostLike, Thread
from tests.browser.conftest import SCREENSHOTS

REPLY = "用手机回复：关掉智能充电以后，一晚只掉 4%。"


def test_a_member_replies_by_touch_and_the_post_appears(world, open_context, visit):
    context = open_context("390", user=world.member, touch=True)
    seen = visit(context, world.thread.get_absolute_url())
    page = seen.page
    page.locator("#reply-form textarea").tap()
    page.keyboard.insert_text(REPLY)
    page.locator("#reply-form button.primary[type=submit]").tap()

    expect(page.locator("#posts .post-body", has_text=REPLY)).to_be_visible()
    expect(page.locator("#reply-form textarea")).to_have_value("")  # a fresh form for the next
    post = Post.objects.get(thread=world.thread, source=REPLY)
    assert post.author == world.member and post.floor == 5
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "thread-replied-390.png")
    assert seen.errors == []


def test_the_moderation_bar_sits_under_the_thumb_and_opens_by_touch(world, open_context, visit):
    context = open_context("390", user=world.moderator, touch=True)
    seen = visit(context, world.thread.get_absolute_url())
    page = seen.page
    bar = page.locator("details.mod-bar")
    box = bar.bounding_box()
    assert abs(box["y"] + box["height"] - 844) < 1 and box["width"] == 390  # the screen's foot

    bar.locator("summary").tap()
    expect(bar).to_have_attribute("open", "")
    expect(bar.locator(".mod-buttons button").first).to_be_in_viewport()
    small = bar.locator("button, input:not([type=hidden]), select").evaluate_all(
        """(els) => els.map((el) => (el.type === "checkbox" && el.closest("label")) || el)
             .filter((el) => el.getBoundingClientRect().height < 44).map((el) => el.outerHTML)"""
    )
    assert small == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "thread-moderation-390.png")
    assert seen.errors == []


def test_the_member_menu_opens_by_touch_inside_the_screen(world, open_context, visit):
    seen = visit(open_context("390", user=world.staff, touch=True), "/")
    page = seen.page
    menu = page.locator("details.menu")
    menu.locator("summary").tap()
    panel = menu.locator(".menu-panel")
    expect(panel).to_be_visible()
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    heights = panel.locator("a, button").evaluate_all(
        "(els) => els.map((el) => el.getBoundingClientRect().height)"
    )
    assert len(heights) >= 8 and min(heights) >= 44  # staff: every link of the old header
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "menu-390.png")

    page.locator("main").tap(position={"x": 20, "y": 300})  # a tap elsewhere closes it
    expect(panel).to_be_hidden()
    assert seen.errors == []


def test_a_suspended_member_taps_like_and_reads_why(world, open_context, visit):
    User.objects.filter(pk=world.member.pk).update(
        suspended_until=timezone.now() + timedelta(days=3), suspension_reason="连续发广告"
    )
    context = open_context("390", user=User.objects.get(pk=world.member.pk), touch=True)
    seen = visit(context, world.thread.get_absolute_url())
    page = seen.page
    third = Post.objects.get(thread=world.thread, floor=3)  # the moderator's, not liked yet
    page.locator(f"#likes-{third.pk} button.like").tap()

    toast = page.locator("#toasts .toast")
    expect(toast).to_be_visible()
    expect(toast).to_contain_text("你的账号已被封禁至")
    expect(toast).to_contain_text("连续发广告")
    box = toast.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.locator(f"#likes-{third.pk} button.like")).to_be_visible()  # left as it was
    assert not PostLike.objects.filter(post=third, user=world.member).exists()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "thread-refused-390.png")

    toast.locator(".toast-close").tap()
    expect(toast).to_be_hidden()
    # The browser logs the refused request itself; nothing else went wrong.
    assert [e for e in seen.errors if "status of 403" not in e] == []


def test_choosing_bug_report_fills_in_its_template_and_leaves_words_alone(
    world, open_context, visit
):
    context = open_context("390", user=world.member, touch=True)
    seen = visit(context, reverse("forum:thread_create", args=[world.board.slug]))
    page = seen.page
    body = page.locator("textarea[name=body]")
    expect(body).to_have_value("")
    page.locator("select[name=thread_type]").select_option("bug")
    expect(body).to_have_value(re.compile(r"\*\*机型：\*\*.*\*\*复现步骤：\*\*", re.S))
    page.locator("select[name=thread_type]").select_option("discussion")
    expect(body).to_have_value("")  # untouched: taken out again

    body.fill("我自己写的内容")
    page.locator("select[name=thread_type]").select_option("bug")
    expect(body).to_have_value("我自己写的内容")  # never over what was written
    assert seen.errors == []


def test_a_new_thread_sent_back_keeps_the_chosen_file_on_the_phone(world, open_context, visit):
    context = open_context("390", user=world.member, touch=True)
    seen = visit(context, reverse("forum:thread_create", args=[world.board.slug]))
    page = seen.page
    page.locator("input[name=title]").fill("更新后无限重启")
    page.locator("input[name=firmware_version]").fill("最新版")  # not a version: sent back
    page.locator("textarea[name=body]").fill("开机就重启，日志在附件里。")
    page.locator("input[type=file]").set_input_files(
        {"name": "bootloop.log", "mimeType": "text/plain", "buffer": b"init: reboot\n" * 50}
    )
    page.locator("form.form button.primary[type=submit]").tap()

    chosen = page.locator(".pending-uploads li")
    expect(chosen).to_contain_text("已选择：bootloop.log")
    expect(page.locator("textarea[name=body]")).to_have_value("开机就重启，日志在附件里。")
    remove = chosen.locator("label.check")
    expect(remove).to_contain_text("移除")
    assert remove.bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "new-thread-kept-390.png", full_page=True)

    page.locator("input[name=firmware_version]").fill("OS1.0.5.0")
    page.locator("form.form button.primary[type=submit]").tap()
    expect(page.locator(".post-body").first).to_contain_text("开机就重启")
    thread = Thread.objects.get(title="更新后无限重启")
    assert thread.posts.get().attachments.get().original_name == "bootloop.log"
    assert seen.errors == []
