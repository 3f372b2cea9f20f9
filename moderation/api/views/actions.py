"""Moderators' actions on threads and posts, one by one or in bulk: the page's actions
(moderation.views.actions), each one service call of moderation.services, so each writes
the same audit row and tells the author the same way.

Reach first, as on the page: a thread or post that does not exist is a 404, one in a
board the caller does not moderate a 403 ("You do not moderate this board."), before the
body is read.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rest_framework.response import Response

from config.api_schema import api_doc
from config.http import client_ip
from forum.models import Board, Post, Thread
from forum.permissions import check_can_moderate
from moderation import services
from moderation.api import serializers as s
from moderation.api.views._common import TAG, SignedInView, valid

MODERATES = "Moderators of the thread's board: its board and section moderators, global "
MODERATES += "moderators and staff (not while suspended)."


def _thread(pk: int) -> Thread:
    return Thread.objects.select_related("board", "device").get(pk=pk)


def _post(pk: int) -> Post:
    return Post.objects.get(pk=pk)


# What each thread action runs: (thread, actor, validated body, ip) -> the thread to show.


def _flag(service):
    def run(thread, actor, data, ip):
        return service(thread=thread, actor=actor, reason=data["reason"], ip=ip)

    return run


def _announce(thread, actor, data, ip):
    return services.thread_pin(
        thread=thread, actor=actor, site_wide=True, reason=data["reason"], ip=ip
    )


def _move(thread, actor, data, ip):
    return services.thread_move(
        thread=thread,
        to_board=data["to_board"],
        actor=actor,
        ip=ip,
        leave_notice=data["leave_notice"],
        reason=data["reason"],
    )


def _merge(thread, actor, data, ip):
    target = Thread.objects.filter(pk=data["target"]).first()
    if target is None:
        message = _("There is no thread number %(n)s.") % {"n": data["target"]}
        raise ValidationError({"target": [message]})
    return services.thread_merge(
        source=thread,
        target=target,
        actor=actor,
        ip=ip,
        leave_notice=data["leave_notice"],
        reason=data["reason"],
    )


def _split(thread, actor, data, ip):
    return services.thread_split(
        thread=thread,
        post_ids=data["posts"],
        title=data["title"],
        actor=actor,
        reason=data["reason"],
        ip=ip,
    )


def _numbered(pk: int, field: str) -> Thread:
    found = Thread.objects.select_related("board").filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: [_("There is no thread number %(n)s.") % {"n": pk}]})
    return found


def _bug_status(thread, actor, data, ip):
    return services.thread_set_bug_status(
        thread=thread,
        actor=actor,
        status=data["status"],
        fixed_in_version=data["fixed_in_version"],
        release=_numbered(data["release"], "release") if data.get("release") else None,
        reason=data["reason"],
        ip=ip,
    )


def _feedback_status(thread, actor, data, ip):
    return services.thread_set_feedback_status(
        thread=thread, actor=actor, status=data["status"], reason=data["reason"], ip=ip
    )


def _duplicate(thread, actor, data, ip):
    return services.thread_mark_duplicate(
        thread=thread,
        original=_numbered(data["original"], "original"),
        actor=actor,
        reason=data["reason"],
        ip=ip,
    )


def _slow_mode(thread, actor, data, ip):
    return services.thread_set_slow_mode(
        thread=thread, actor=actor, seconds=data["seconds"], reason=data["reason"], ip=ip
    )


# action: (body, run, success status, summary, description)
THREAD_ACTIONS = {
    "pin": (s.ReasonIn, _flag(services.thread_pin), 200, "Pin a thread on its board", ""),
    "announce": (
        s.ReasonIn,
        _announce,
        200,
        "Pin a thread site-wide",
        "An announcement on top of every board.",
    ),
    "unpin": (
        s.ReasonIn,
        _flag(services.thread_unpin),
        200,
        "Unpin a thread",
        "Takes it off its board's top and off the announcements.",
    ),
    "lock": (s.ReasonIn, _flag(services.thread_lock), 200, "Lock a thread", ""),
    "unlock": (s.ReasonIn, _flag(services.thread_unlock), 200, "Unlock a thread", ""),
    "feature": (
        s.ReasonIn,
        _flag(services.thread_feature),
        200,
        "Feature a thread",
        "Puts it in the featured digest.",
    ),
    "unfeature": (
        s.ReasonIn,
        _flag(services.thread_unfeature),
        200,
        "Stop featuring a thread",
        "",
    ),
    "hide": (
        s.ReasonIn,
        _flag(services.thread_hide),
        200,
        "Hide a thread",
        "A soft delete: moderators still see it. The reason is required; the author is told.",
    ),
    "restore": (
        s.ReasonIn,
        _flag(services.thread_restore),
        200,
        "Restore a hidden thread",
        "",
    ),
    "move": (
        s.MoveIn,
        _move,
        200,
        "Move a thread to another board",
        "You must moderate both boards.",
    ),
    "merge": (
        s.MergeIn,
        _merge,
        200,
        "Merge a thread into another",
        "Its posts join the target by time, floors renumbered; returns the target. You "
        "must moderate both boards.",
    ),
    "split": (
        s.SplitIn,
        _split,
        201,
        "Split posts into a new thread",
        "The chosen posts open a new thread in the same board; returns the new thread.",
    ),
    "bug-status": (
        s.BugStatusIn,
        _bug_status,
        200,
        "Set a bug report's status",
        "Bug reports only; `fixed` needs `fixed_in_version` and links the release notes; "
        "everyone who said “me too” is told, and the triage webhook hears of `confirmed` "
        "and `fixed`.",
    ),
    "feedback-status": (
        s.FeedbackStatusIn,
        _feedback_status,
        200,
        "Set a feedback's status",
        "Feedback only; `declined` needs a reason, shown beside the status.",
    ),
    "duplicate": (
        s.DuplicateIn,
        _duplicate,
        200,
        "Close a thread as a duplicate",
        "Bug reports or feedback, of the same type: it is locked and points to the "
        "original, its “me too” votes move there (a member who voted on both counts once) "
        "and its author is told.",
    ),
    "slow-mode": (
        s.SlowModeIn,
        _slow_mode,
        200,
        "Set a thread's slow mode",
        "Members wait this many seconds between replies (moderators are exempt); 0 is off.",
    ),
}


def thread_action(action: str):
    body, run, status, summary, description = THREAD_ACTIONS[action]

    class ThreadAction(SignedInView):
        @api_doc(
            tag=TAG,
            summary=summary,
            permission=MODERATES,
            request=body,
            responses={status: s.ModeratedThreadOut},
            errors=(400, 403, 404),
            description=f"{description} Writes one audit row, as the page does.".strip(),
        )
        def post(self, request, thread_id):
            thread = get_object_or_404(Thread.objects.select_related("board"), pk=thread_id)
            check_can_moderate(request.user, thread.board)
            data = valid(body, request.data)
            shown = run(thread, request.user, data, client_ip(request))
            return Response(s.ModeratedThreadOut(_thread(shown.pk)).data, status=status)

    name = "Thread" + action.title().replace("-", "")
    ThreadAction.__name__ = ThreadAction.__qualname__ = name
    return ThreadAction.as_view()


# action: (service, summary, description)
POST_ACTIONS = {
    "hide": (
        services.post_hide,
        "Hide a post",
        "The reason is required; the author is told. An opening post is hidden with its thread.",
    ),
    "restore": (services.post_restore, "Restore a hidden post", ""),
    "helpful": (services.post_mark_helpful, "Mark a post helpful", ""),
    "unhelpful": (services.post_unmark_helpful, "Unmark a helpful post", ""),
}


def post_action(action: str):
    service, summary, description = POST_ACTIONS[action]

    class PostAction(SignedInView):
        @api_doc(
            tag=TAG,
            summary=summary,
            permission=MODERATES.replace("thread's", "post's"),
            request=s.ReasonIn,
            responses={200: s.ModeratedPostOut},
            errors=(400, 403, 404),
            description=f"{description} Writes one audit row, as the page does.".strip(),
        )
        def post(self, request, post_id):
            post = get_object_or_404(Post.objects.select_related("thread__board"), pk=post_id)
            check_can_moderate(request.user, post.thread.board)
            data = valid(s.ReasonIn, request.data)
            service(post=post, actor=request.user, reason=data["reason"], ip=client_ip(request))
            return Response(s.ModeratedPostOut(_post(post.pk), context={"request": request}).data)

    PostAction.__name__ = PostAction.__qualname__ = "Post" + action.title()
    return PostAction.as_view()


class BoardBulk(SignedInView):
    @api_doc(
        tag=TAG,
        summary="One action on many threads of a board",
        permission="Moderators of the board (for `move`, of the target board too).",
        request=s.BulkIn,
        responses={200: s.BulkOut},
        errors=(400, 403, 404),
        description=(
            "Lock, unlock, move, hide or restore threads of this board, all or nothing, "
            "one audit row per thread (the board page's bulk bar). `hide` needs a reason; "
            "`move` needs `to_board`."
        ),
    )
    def post(self, request, slug):
        board = get_object_or_404(Board, slug=slug)
        check_can_moderate(request.user, board)
        data = valid(s.BulkIn, request.data)
        count = services.threads_bulk_apply(
            board=board,
            thread_ids=data["threads"],
            action=data["action"],
            actor=request.user,
            reason=data["reason"],
            to_board=data["to_board"],
            ip=client_ip(request),
        )
        return Response(s.BulkOut({"action": data["action"], "count": count}).data)
