"""Downloading attached logs with a fixed type and as a download, never shown inline."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect

from forum import permissions
from forum.attachments import SERVED_CONTENT_TYPES
from forum.models import Attachment


def attachment_download(request, pk):
    attachment = get_object_or_404(
        Attachment.objects.select_related("post__thread__board"), pk=pk, post__isnull=False
    )
    post = attachment.post
    if not permissions.can_view_board(request.user, post.thread.board):
        raise PermissionDenied
    user = request.user
    # What the page shows may be downloaded: the author of a hidden thread or post sees it.
    if not (
        permissions.can_view_post(user, post) or permissions.can_view_own_hidden(user, post.thread)
    ):
        raise Http404
    if post.is_hidden and not (user.is_staff or permissions.can_view_own_hidden(user, post)):
        raise Http404
    if attachment.kind == Attachment.Kind.IMAGE:
        return redirect(attachment.file.url)  # re-encoded images are served by storage as-is
    content_type = attachment.content_type
    if content_type not in SERVED_CONTENT_TYPES:
        content_type = "application/octet-stream"
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser render it anyway, it gets no scripts, styles or origin.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
