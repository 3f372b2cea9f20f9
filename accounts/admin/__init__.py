"""Accounts' admin, one module per feature; importing the package registers them all."""

from . import invitations, medals, reputation, users

__all__ = ["invitations", "medals", "reputation", "users"]
