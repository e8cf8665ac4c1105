"""Django's database cache with an atomic `incr`, for counters that several processes share.

Django's `DatabaseCache.incr` reads the value and writes it back in two steps (and resets the
entry's expiry), so two worker processes counting the same key lose each other's increments.
Here the entry is locked first (a no-op UPDATE: the row lock on PostgreSQL, the write lock on
SQLite), then read and written in the same transaction; the expiry stays as it was.
"""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        cache_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {quote('expires')} = {quote('expires')} "
                f"WHERE {quote('cache_key')} = %s",
                [cache_key],
            )
            if cursor.rowcount:
                cursor.execute(
                    f"SELECT {quote('value')}, {quote('expires')} FROM {table} "
                    f"WHERE {quote('cache_key')} = %s",
                    [cache_key],
                )
                row = cursor.fetchone()
            else:
                row = None
            if row is None or self._expires(connection, row[1]) < now():
                raise ValueError(f"Key '{key}' not found.")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode()))
            new_value = value + delta
            encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol))
            cursor.execute(
                f"UPDATE {table} SET {quote('value')} = %s WHERE {quote('cache_key')} = %s",
                [encoded.decode("latin1"), cache_key],
            )
        return new_value

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version=version)

    @staticmethod
    def _expires(connection, value):
        """The expiry column as an aware or naive datetime, as Django's own cache reads it."""
        expression = models.Expression(output_field=models.DateTimeField())
        for converter in connection.ops.get_db_converters(
            expression
        ) + expression.get_db_converters(connection):
            value = converter(value, expression, connection)
        return value
