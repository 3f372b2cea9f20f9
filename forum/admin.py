from django.contrib import admin

from .models import Board, Post, Section, Thread


class BoardInline(admin.TabularInline):
    model = Board
    fields = [
        "name", "slug", "position", "visibility", "posting", "device", "channel",
        "default_thread_type",
    ]  # fmt: skip
    prepopulated_fields = {"slug": ["name"]}
    extra = 0


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [BoardInline]


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = [
        "name", "section", "visibility", "posting", "default_thread_type",
        "thread_count", "post_count",
    ]  # fmt: skip
    list_filter = ["section", "visibility", "posting", "default_thread_type"]
    prepopulated_fields = {"slug": ["name"]}
    # Counters and "last post" are kept by forum.services, never by hand.
    readonly_fields = [
        "thread_count", "post_count", "last_thread", "last_thread_title",
        "last_poster_name", "last_posted_at",
    ]  # fmt: skip


class ReadOnlyContentAdmin(admin.ModelAdmin):
    """Threads and posts are written only by forum.services (floors, counters,
    rendering); the admin is for finding and reading them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Thread)
class ThreadAdmin(ReadOnlyContentAdmin):
    list_display = ["title", "board", "author_name", "thread_type", "reply_count", "last_posted_at"]
    list_filter = ["board", "thread_type", "is_pinned", "is_locked", "is_hidden"]
    search_fields = ["title", "author_name"]
    show_full_result_count = False


@admin.register(Post)
class PostAdmin(ReadOnlyContentAdmin):
    list_display = ["thread", "floor", "author_name", "created_at"]
    raw_id_fields = ["thread", "author"]
    show_full_result_count = False
