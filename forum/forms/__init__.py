"""The forum's forms, the front door: thin adapters over forum.validators and the services."""

from forum.forms.attachments import AttachmentsField
from forum.forms.editing import PostEditForm
from forum.forms.posting import ReplyForm
from forum.forms.search import SearchForm
from forum.forms.threads import ThreadForm
from forum.forms.triage import TriageFilterForm, VoteForm

__all__ = [
    "AttachmentsField",
    "PostEditForm",
    "ReplyForm",
    "SearchForm",
    "ThreadForm",
    "TriageFilterForm",
    "VoteForm",
]
