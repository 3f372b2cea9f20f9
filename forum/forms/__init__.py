"""The forum's forms, the front door: thin adapters over forum.validators and the services."""

from forum.forms.attachments import AttachmentsField
from forum.forms.drafts import ReplyDraftForm, ThreadDraftForm
from forum.forms.editing import PostEditForm
from forum.forms.meetups import CheckInForm, MeetupForm, SignupForm
from forum.forms.messages import BookmarkForm, ConversationForm, MessageForm, apply_errors
from forum.forms.polls import PollForm
from forum.forms.posting import ReplyForm
from forum.forms.search import SearchForm
from forum.forms.threads import ThreadForm
from forum.forms.triage import TriageFilterForm, VoteForm

__all__ = [
    "AttachmentsField",
    "BookmarkForm",
    "CheckInForm",
    "ConversationForm",
    "MeetupForm",
    "MessageForm",
    "PollForm",
    "PostEditForm",
    "ReplyDraftForm",
    "ReplyForm",
    "SearchForm",
    "SignupForm",
    "ThreadDraftForm",
    "ThreadForm",
    "TriageFilterForm",
    "VoteForm",
    "apply_errors",
]
