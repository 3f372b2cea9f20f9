"""Drafts in the browser: autosave while typing, restored after a reload; the preview
shows the rendered, sanitised HTML; posting leaves no draft behind."""

from playwright.sync_api import expect

from forum.models import Draft

TYPED = "草稿里的 **粗体** <script>window.pwned = 1</script>"


def test_autosave_then_reload_restores_the_reply_and_the_preview_renders_it(
    world, open_context, visit
):
    seen = visit(open_context("390", user=world.member), world.thread.get_absolute_url())
    page = seen.page
    textarea = page.locator("#reply-form textarea")
    textarea.click()
    page.keyboard.type(TYPED)
    expect(page.locator("#draft-status")).to_contain_text("草稿已保存", timeout=10_000)
    assert Draft.objects.get(user=world.member, thread=world.thread).body == TYPED

    page.reload(wait_until="networkidle")
    expect(page.locator("#reply-form textarea")).to_have_value(TYPED)

    page.locator(".draft-controls button", has_text="预览").click()
    preview = page.locator("#draft-preview .post-body")
    expect(preview.locator("strong")).to_have_text("粗体")
    expect(preview.locator("script")).to_have_count(0)
    assert page.evaluate("window.pwned") is None
    assert seen.errors == []


def test_posting_right_after_typing_leaves_no_draft(world, open_context, visit):
    seen = visit(open_context("1366", user=world.member), world.thread.get_absolute_url())
    page = seen.page
    page.locator("#reply-form textarea").click()
    page.keyboard.type("马上发出去")
    page.locator("#reply-form button.primary[type=submit]").click()
    expect(page.locator("#posts .post-body", has_text="马上发出去")).to_be_visible()
    page.wait_for_timeout(3_000)  # past the autosave's delay
    assert not Draft.objects.filter(user=world.member).exists()
    assert seen.errors == []


def test_a_new_thread_draft_autosaves_and_comes_back(world, open_context, visit):
    from django.urls import reverse

    url = reverse("forum:thread_create", args=[world.board.slug])
    seen = visit(open_context("1366", user=world.member), url)
    page = seen.page
    page.locator("input[name=title]").fill("半截标题")
    page.locator("textarea[name=body]").fill("半截正文")
    expect(page.locator("#draft-status")).to_contain_text("草稿已保存", timeout=10_000)
    page.goto(url, wait_until="networkidle")
    expect(page.locator("input[name=title]")).to_have_value("半截标题")
    expect(page.locator("textarea[name=body]")).to_have_value("半截正文")
    assert seen.errors == []
