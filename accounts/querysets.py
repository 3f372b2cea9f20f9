"""Querysets of the accounts models."""

from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models.expressions import Col
from django.db.models.lookups import Exact, In
from django.db.models.sql.where import AND


def _pinned_pks(query) -> set | None:
    """The primary keys a queryset's WHERE pins literally (pk=… or pk__in=[…]), else None."""
    where = query.where
    if where.connector != AND or where.negated:
        return None
    for child in where.children:
        if not isinstance(child, Exact | In) or not isinstance(child.lhs, Col):
            continue
        if not child.lhs.target.primary_key:
            continue
        if isinstance(child, Exact):
            return {child.rhs} if isinstance(child.rhs, int | str) else None
        if isinstance(child, In) and isinstance(child.rhs, list | tuple | set | frozenset):
            return set(child.rhs)
    return None


class UserQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """Every UPDATE of user rows drops the cached rows it may have changed, after commit
        (accounts.user_cache: a suspension or a ban takes effect on the next request)."""
        from accounts import user_cache

        changed = super().update(**kwargs)
        if changed:
            user_cache.bump_users(_pinned_pks(self.query))
        return changed

    update.alters_data = True


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass
