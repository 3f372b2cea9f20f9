"""Atom feeds of public content: the site's newest threads, a board's, a thread's posts.

Feed readers fetch anonymously, so only boards open to everyone have feeds; any
other board or a hidden thread is a 404, the same as if it did not exist.
"""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import selectors
from .models import Board, Thread

# XML 1.0 cannot carry these; Django refuses to write them (a 500), so drop them.
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml_text(text) -> str:
    return _XML_FORBIDDEN.sub("", text or "")


class AtomWithContent(Atom1Feed):
    """Atom with each entry's post HTML in <content type="html"> rather than a <summary>."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content"], {"type": "html"})


class _ForumFeed(Feed):
    feed_type = AtomWithContent

    def item_description(self, item):
        return None  # no <summary>: the whole post is in <content>

    def item_author_name(self, item):
        return _xml_text(item.author_name)


class _ThreadsFeed(_ForumFeed):
    def item_title(self, item):
        # Plain text: the XML writer escapes it once, which is what Atom's text title wants.
        return _xml_text(item.title)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.opening_edited_at or item.created_at

    def item_extra_kwargs(self, item):
        return {"content": _xml_text(item.opening_html)}


class LatestThreadsFeed(_ThreadsFeed):
    def title(self):
        return _("%(site)s: new threads") % {"site": settings.POPCORN["SITE_NAME"]}

    def link(self):
        return reverse("forum:index")

    def items(self):
        return selectors.feed_threads()


class BoardFeed(_ThreadsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(
            Board, slug=slug, visibility=Board.Visibility.EVERYONE, program__isnull=True
        )

    def title(self, board):
        return _xml_text(f"{board.name} · {settings.POPCORN['SITE_NAME']}")

    def subtitle(self, board):
        return _xml_text(board.description) or None

    def link(self, board):
        return board.get_absolute_url()

    def items(self, board):
        return selectors.feed_threads(board=board)


class ThreadFeed(_ForumFeed):
    def get_object(self, request, pk):
        thread = get_object_or_404(Thread.objects.select_related("board"), pk=pk)
        board = thread.board
        if (
            thread.is_hidden
            or thread.is_pending
            or board.visibility != Board.Visibility.EVERYONE
            or board.program_id is not None
        ):
            raise Http404
        return thread

    def title(self, thread):
        return _xml_text(thread.title)

    def link(self, thread):
        return thread.get_absolute_url()

    def items(self, thread):
        return selectors.feed_posts(thread)

    def item_title(self, item):
        return _xml_text(f"#{item.floor} · {item.thread.title}")

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.edited_at or item.created_at

    def item_extra_kwargs(self, item):
        return {"content": _xml_text(item.html)}
