"""Sessions read from the cache, written to both (SESSION_ENGINE with Redis, see base).

Django's cached_db keeps a session in the cache for its whole life (two weeks). The
cache here fails soft (config.cache): a sign-out during a Redis outage deletes the
database row but cannot delete the cached copy, which would sign the session back in
once Redis returns. So the cached copy lives at most SESSION_CACHE_SECONDS: a miss
reads the database row (one query) and caches it again. Sync paths only (the site
runs under WSGI).
"""

import logging

from django.conf import settings
from django.contrib.sessions.backends import cached_db

logger = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    def _cache_seconds(self, age: int) -> int:
        return max(0, min(age, settings.POPCORN["SESSION_CACHE_SECONDS"]))

    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # noqa: BLE001 - as Django's: an invalid key resets the session
            data = None
        if data is None:
            s = self._get_session_from_db()
            if s:
                data = self.decode(s.session_data)
                age = self._cache_seconds(self.get_expiry_age(expiry=s.expire_date))
                self._cache.set(self.cache_key, data, age)
            else:
                data = {}
        return data

    def save(self, must_create=False):
        super(cached_db.SessionStore, self).save(must_create)
        try:
            self._cache.set(
                self.cache_key, self._session, self._cache_seconds(self.get_expiry_age())
            )
        except Exception:
            logger.exception("Error saving to cache (%s)", self._cache)
