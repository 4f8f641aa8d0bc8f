"""A Django cache backend for rate-limit counters, in the database every web process shares.

django-ratelimit counts attempts with `cache.add(key, 0 or 1, timeout)` then `cache.incr(key)`,
and needs both to be atomic across processes: `manage.py serve` runs several granian worker
processes, so a per-process memory cache would give each its own budget, and Django's
DatabaseCache increments with a read then a write, which loses counts under concurrency (the
library's documentation and its system check say so). A kecamatan server has no Redis or
memcached; its database is already shared by every process. So this backend keeps integer
counters in one table (`ops.RateCounter`) and makes each operation ONE statement:

* add:  INSERT … ON CONFLICT DO UPDATE … WHERE the old row has expired  (a live row wins)
* incr: UPDATE … SET count = count + n WHERE live RETURNING count

Each is atomic on its own and joins the caller's transaction if there is one (on PostgreSQL the
row lock serialises concurrent increments; SQLite has one writer at a time). It holds integers
only: it is not a general cache.
Expired rows are swept now and then by an `add` that starts a new window.
"""

import datetime as dt
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import connections, router
from django.utils import timezone

from .models import RateCounter

# One `add` in this many (per process) also deletes the rows whose window has ended.
SWEEP_EVERY = 50
# A timeout of None ("forever") still needs a date in the column.
FOREVER = dt.timedelta(days=3650)
# "key" and "count" quoted: words that SQL dialects reserve or treat specially. {table} is filled
# in with the model's quoted table name, every value is a parameter.
SET_SQL = (
    'INSERT INTO {table} ("key", "count", expires_at) VALUES (%s, %s, %s) '
    'ON CONFLICT ("key") DO UPDATE SET "count" = excluded."count", expires_at = excluded.expires_at'
)
ADD_SQL = SET_SQL + " WHERE {table}.expires_at <= %s"  # a live row wins


class CounterCache(BaseCache):
    def __init__(self, location: str, params: dict[str, Any]):
        super().__init__(params)
        self._adds = 0

    # -- helpers ---------------------------------------------------------------------------
    def _connection(self):
        return connections[router.db_for_write(RateCounter)]

    def _expiry(self, timeout, now: dt.datetime) -> dt.datetime:
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        if timeout is None:
            return now + FOREVER
        return now + dt.timedelta(seconds=max(timeout, 0))

    def _sql(self, sql: str, params: list, *, fetch: bool = False) -> tuple[int, tuple | None]:
        """(rows changed, the first row returned when `fetch`)."""
        connection = self._connection()
        table = connection.ops.quote_name(RateCounter._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(sql.format(table=table), params)
            return cursor.rowcount, cursor.fetchone() if fetch else None

    def _when(self, value: dt.datetime) -> Any:
        return self._connection().ops.adapt_datetimefield_value(value)

    @staticmethod
    def _count(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("CounterCache holds integer counters only")
        return value

    # -- the cache API -----------------------------------------------------------------------
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        now = timezone.now()
        changed, _ = self._sql(
            ADD_SQL,
            [key, self._count(value), self._when(self._expiry(timeout, now)), self._when(now)],
        )
        added = changed == 1
        if added:
            self._adds += 1
            if self._adds % SWEEP_EVERY == 0:
                self._sql("DELETE FROM {table} WHERE expires_at <= %s", [self._when(now)])
        return added

    def incr(self, key, delta=1, version=None) -> int:
        key = self.make_and_validate_key(key, version=version)
        _, row = self._sql(
            'UPDATE {table} SET "count" = "count" + %s WHERE "key" = %s AND expires_at > %s RETURNING "count"',
            [self._count(delta), key, self._when(timezone.now())],
            fetch=True,
        )
        if row is None:
            raise ValueError(f"Key '{key}' not found")
        return int(row[0])

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        _, row = self._sql(
            'SELECT "count" FROM {table} WHERE "key" = %s AND expires_at > %s',
            [key, self._when(timezone.now())],
            fetch=True,
        )
        return default if row is None else int(row[0])

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        key = self.make_and_validate_key(key, version=version)
        self._sql(
            SET_SQL,
            [key, self._count(value), self._when(self._expiry(timeout, timezone.now()))],
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        now = timezone.now()
        changed, _ = self._sql(
            'UPDATE {table} SET expires_at = %s WHERE "key" = %s AND expires_at > %s',
            [self._when(self._expiry(timeout, now)), key, self._when(now)],
        )
        return changed == 1

    def delete(self, key, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return self._sql('DELETE FROM {table} WHERE "key" = %s', [key])[0] == 1

    def clear(self) -> None:
        self._sql("DELETE FROM {table}", [])
