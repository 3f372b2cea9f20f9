"""The report and approval queues, as the pages show them (moderation.views.reports and
moderation.views.approvals): only what lies in the caller's reach, oldest first, and each
resolution one service call with its audit row."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from rest_framework.response import Response

from config.api_schema import api_doc
from config.http import client_ip
from forum.models import Attachment, Post
from forum.permissions import check_can_moderate
from moderation import selectors, services
from moderation.api import serializers as s
from moderation.api.views._common import TAG, SignedInListView, SignedInView, form_valid, valid
from moderation.forms.reports import ResolveForm
from moderation.models import ReportCase
from moderation.permissions import check_can_see_queues

ANY_MODERATOR = "Moderators (of any board, a section, or everywhere); each sees their boards."
MODERATES = "Moderators of the post's board (not while suspended)."


class QueueCounts(SignedInView):
    @api_doc(
        tag=TAG,
        summary="How much waits in my queues",
        permission=ANY_MODERATOR,
        responses={200: s.QueueCountsOut},
        errors=(403,),
        description="Open report cases and posts awaiting approval in your boards (the "
        "header's badge).",
    )
    def get(self, request):
        check_can_see_queues(request.user)
        counts = selectors.queue_counts(request.user)
        return Response(
            s.QueueCountsOut(
                {"reports": counts.reports, "approvals": counts.approvals, "total": counts.total}
            ).data
        )


class ReportQueue(SignedInListView):
    serializer_class = s.ReportCaseOut
    ordering = ("first_reported_at", "pk")

    def get_queryset(self):
        return selectors.report_queue(check_can_see_queues(self.request.user)).prefetch_related(
            Prefetch("post__attachments", queryset=Attachment.objects.order_by("pk"))
        )

    @api_doc(
        tag=TAG,
        summary="The report queue",
        permission=ANY_MODERATOR,
        responses={200: s.ReportCaseOut(many=True)},
        errors=(400, 403),
        description="Open reports in your boards, oldest first, grouped per post, each "
        "with its open reports and their reasons.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ReportResolve(SignedInView):
    @api_doc(
        tag=TAG,
        summary="Resolve a reported post",
        permission=MODERATES + " Suspending the author: staff and global moderators.",
        request=s.ResolveIn,
        responses={200: s.ReportCaseResolvedOut},
        errors=(400, 403, 404),
        description=(
            "`hide` hides the post (the thread, for an opening post) with the reason, may "
            "suspend its author, and tells the reporters; `dismiss` leaves it and tells "
            "them. Reports already resolved are a 400."
        ),
    )
    def post(self, request, case_id):
        case = get_object_or_404(
            ReportCase.objects.select_related("post__thread__board"), pk=case_id
        )
        check_can_moderate(request.user, case.post.thread.board)
        valid(s.ResolveIn, request.data)
        data = form_valid(ResolveForm(request.data))  # the page's rule: suspend goes with hide
        ip = client_ip(request)
        if data["outcome"] == "hide":
            case = services.report_case_uphold(
                case=case,
                actor=request.user,
                reason=data["reason"],
                suspend_days=data["suspend_days"],
                ip=ip,
            )
        else:
            case = services.report_case_dismiss(
                case=case, actor=request.user, note=data["reason"], ip=ip
            )
        return Response(s.ReportCaseResolvedOut(ReportCase.objects.get(pk=case.pk)).data)


class ApprovalQueue(SignedInListView):
    serializer_class = s.PendingPostOut
    ordering = ("created_at", "pk")

    def get_queryset(self):
        return selectors.approval_queue(check_can_see_queues(self.request.user)).prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
        )

    @api_doc(
        tag=TAG,
        summary="The approval queue",
        permission=ANY_MODERATOR,
        responses={200: s.PendingPostOut(many=True)},
        errors=(400, 403),
        description="New threads and replies held for review in your boards, oldest first.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _pending(post_id: int) -> Post:
    return get_object_or_404(Post.objects.select_related("thread__board"), pk=post_id)


class ApprovalApprove(SignedInView):
    @api_doc(
        tag=TAG,
        summary="Approve a held post",
        permission=MODERATES,
        request=None,
        responses={200: s.ModeratedPostOut},
        errors=(400, 403, 404),
        description="It is public now (a new thread with its opening post); the author is "
        "told. A post no longer waiting is a 400.",
    )
    def post(self, request, post_id):
        post = _pending(post_id)
        check_can_moderate(request.user, post.thread.board)
        services.pending_approve(post=post, actor=request.user, ip=client_ip(request))
        return Response(s.ModeratedPostOut(Post.objects.get(pk=post.pk)).data)


class ApprovalReject(SignedInView):
    @api_doc(
        tag=TAG,
        summary="Reject a held post",
        permission=MODERATES,
        request=s.ReasonIn,
        responses={200: s.ModeratedPostOut},
        errors=(400, 403, 404),
        description="The reason is required; the author is told why.",
    )
    def post(self, request, post_id):
        post = _pending(post_id)
        check_can_moderate(request.user, post.thread.board)
        data = valid(s.ReasonIn, request.data)
        services.pending_reject(
            post=post, actor=request.user, reason=data["reason"], ip=client_ip(request)
        )
        return Response(s.ModeratedPostOut(Post.objects.get(pk=post.pk)).data)
