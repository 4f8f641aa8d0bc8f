"""The queue's precompiled statements, for the paths run on every ticket taken and every call:
SQL written once with `{name}` for each model's table, values only as parameters."""

from django.db import connection, models


def fetchall(sql: str, params: list, **tables: type[models.Model]) -> list[tuple]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**{name: quote(model._meta.db_table) for name, model in tables.items()}), params)
        return cursor.fetchall()
