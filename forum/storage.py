"""Where posts' attachments are stored: settings.STORAGES["attachments"].

A lazy object, not the storage itself: a FileField keeps what it was given when the
model class loads, and this one follows STORAGES when a test (override_settings)
changes it, as Django's own default_storage does.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, empty


class AttachmentStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["attachments"]


attachments_storage = AttachmentStorage()


def attachment_storage():
    """The FileField's storage callable (a stable path for migrations)."""
    return attachments_storage


def _follow_settings(*, setting, **kwargs):
    if setting == "STORAGES":
        attachments_storage._wrapped = empty


setting_changed.connect(_follow_settings, dispatch_uid="forum.storage.follow_settings")
