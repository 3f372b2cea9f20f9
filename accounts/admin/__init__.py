"""Accounts' admin, one module per feature; importing the package registers them all."""

from . import invitations, reputation, users

__all__ = ["invitations", "reputation", "users"]
