"""Downloading attached logs with a fixed type and as a download, never shown inline."""

from forum import selectors
from forum.attachments import download_response


def attachment_download(request, pk):
    return download_response(selectors.attachment_for_viewer(request.user, pk))
