"""Building and INSERTing many new model instances cheaply, for the hot paths (inbound messages, queue tickets).

`QuerySet.bulk_create` compiles every value through the SQL compiler (pre_save, a
get_db_prep_save call and a placeholder per field and row) and, on SQLite, splits the rows into
statements of 999 parameters. On the inbound path that preparation cost more CPU than running
the engine. `insert_rows` works out each model's column list and per-column converters once, then
reads plain values straight off the instances: one statement for hundreds of rows, the primary
keys read back with RETURNING (SQLite >= 3.35, PostgreSQL).

It does less than bulk_create, on purpose: no signals (bulk_create sends none either), no
multi-table inheritance; the only conflict handling is skipping rows that would break a unique
constraint (`insert_rows_skipping_conflicts`). Like save(), it takes the id of a related object
assigned before that object was saved (a reply's `in_reply_to` inserted by an earlier call).
"""

import datetime as dt
import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections, models
from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.query import get_related_populators

# Fields whose Python value is already what the database driver takes (Django's own
# get_db_prep_save returns these values unchanged). Everything else goes through the field.
_PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


@dataclass(frozen=True)
class _Plan:
    sql_head: str
    row_sql: str
    getters: tuple[Callable, ...]
    rows_per_statement: int


def build(model: type[models.Model], **values):
    """An unsaved `model(**values)`, built at a third of the cost. Values are given by column
    attribute (`channel_id=…`, never `channel=…`); unnamed fields take their defaults. Link
    unsaved related objects afterwards (`obj.event = event`).

    Model.__init__ spends most of its time on keyword and related-descriptor handling that plain
    column values don't need; what it must still do for a new row is set the fields, a fresh
    ModelState, and send post_init, which only runs when the model has a listener (then
    __init__ itself is used)."""
    row = {}
    for attname, default, call in _defaults(model):
        if attname in values:
            row[attname] = values.pop(attname)
        else:
            row[attname] = default() if call else default
    if values:
        raise TypeError(f"{model.__name__} has no column {', '.join(values)}")
    if signals.post_init.has_listeners(model):
        return model(*row.values())
    obj = model.__new__(model)
    obj._state = ModelState()
    obj.__dict__.update(row)
    return obj


@functools.cache
def _defaults(model: type[models.Model]) -> tuple[tuple[str, Any, bool], ...]:
    # In the order of Model.__init__'s positional arguments; the primary key is None until saved.
    out = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            out.append((field.attname, None, False))
        elif field.has_default():
            out.append((field.attname, field.default, callable(field.default)))
        else:
            out.append((field.attname, field.get_default(), False))
    return tuple(out)


def insert_rows(model: type[models.Model], objs: list, *, using: str = "default") -> None:
    """INSERT `objs` (unsaved instances of `model`) and set their primary keys."""
    if not objs:
        return
    connection = connections[using]
    plan = _plan(model, using)
    pk_attname = model._meta.pk.attname
    for start in range(0, len(objs), plan.rows_per_statement):
        chunk = objs[start : start + plan.rows_per_statement]
        params = [get(obj) for obj in chunk for get in plan.getters]
        sql = plan.sql_head + ",".join([plan.row_sql] * len(chunk)) + f" RETURNING {_quote(using, pk_attname)}"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ids = cursor.fetchall()
        # Rows come back in VALUES order on both databases (bulk_create relies on the same).
        for obj, (pk,) in zip(chunk, ids, strict=True):
            setattr(obj, pk_attname, pk)
            obj._state.adding = False
            obj._state.db = using


def insert_rows_skipping_conflicts(model: type[models.Model], objs: list, *, key: str, using: str = "default") -> None:
    """INSERT `objs`, skipping those a unique constraint refuses (ON CONFLICT DO NOTHING, on both
    databases): the inserted ones get their primary keys, the skipped ones keep None. `key` is a
    column whose value tells the rows of one statement apart (rows may come back in any order
    once some are skipped)."""
    if not objs:
        return
    connection = connections[using]
    plan = _plan(model, using)
    pk_attname = model._meta.pk.attname
    key_field = model._meta.get_field(key)
    assert isinstance(key_field, models.Field) and key_field.column
    key_column = key_field.column
    returning = f" ON CONFLICT DO NOTHING RETURNING {_quote(using, pk_attname)}, {_quote(using, key_column)}"
    for start in range(0, len(objs), plan.rows_per_statement):
        chunk = objs[start : start + plan.rows_per_statement]
        by_key = {getattr(obj, key): obj for obj in chunk}
        if len(by_key) != len(chunk):
            raise ValueError(f"{model.__name__}.{key} repeats within one insert")
        params = [get(obj) for obj in chunk for get in plan.getters]
        sql = plan.sql_head + ",".join([plan.row_sql] * len(chunk)) + returning
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        for pk, value in rows:
            obj = by_key[value]
            setattr(obj, pk_attname, pk)
            obj._state.adding = False
            obj._state.db = using


def insert_rows_ignoring_conflicts(model: type[models.Model], objs: list, *, using: str = "default") -> None:
    """INSERT `objs`, leaving out those a unique constraint refuses (ON CONFLICT DO NOTHING, on
    both databases); no primary keys are read back: for rows nothing points at."""
    if not objs:
        return
    connection = connections[using]
    plan = _plan(model, using)
    for start in range(0, len(objs), plan.rows_per_statement):
        chunk = objs[start : start + plan.rows_per_statement]
        params = [get(obj) for obj in chunk for get in plan.getters]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql_head + ",".join([plan.row_sql] * len(chunk)) + " ON CONFLICT DO NOTHING", params)


def _quote(using: str, name: str) -> str:
    return connections[using].ops.quote_name(name)


@functools.cache
def _plan(model: type[models.Model], using: str) -> _Plan:
    connection = connections[using]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(_quote(using, f.attname if f.column is None else f.column) for f in fields)
    # Names from the model, values only as parameters.
    head = f"INSERT INTO {_quote(using, model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return _Plan(
        sql_head=head,
        row_sql=row_sql,
        getters=tuple(_getter(f, connection) for f in fields),
        rows_per_statement=max(1, _max_params(connection) // len(fields)),
    )


def _max_params(connection) -> int:
    if connection.vendor == "sqlite":
        import sqlite3

        # The library's real limit (32766 since SQLite 3.32), not Django's conservative 999.
        connection.ensure_connection()
        return min(connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER), 20000)
    return 20000  # PostgreSQL's protocol allows 65535 parameters per statement


def _getter(field: models.Field, connection) -> Callable:
    if isinstance(field, models.ForeignKey):  # OneToOneField too
        get_id = functools.partial(_related_id, field)
        target = field.target_field
        if isinstance(target, models.IntegerField):  # AutoField and BigAutoField too
            return get_id
        return lambda obj: target.get_db_prep_save(get_id(obj), connection)
    if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add):  # type: ignore[attr-defined]
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, add=True), connection)
    if isinstance(field, _PLAIN_FIELDS):
        return operator.attrgetter(field.attname)
    attname = field.attname
    adapt_datetime = connection.ops.adapt_datetimefield_value

    def field_value(value):
        return field.get_db_prep_save(value, connection)

    def datetime_value(value):
        # An aware datetime needs only the backend's adapter: the field's own checks are for
        # dates and naive values, which take the long way.
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return adapt_datetime(value)
        return field_value(value)

    convert = datetime_value if isinstance(field, models.DateTimeField) else field_value

    def prepared(obj):
        value = getattr(obj, attname)
        # NULL needs no conversion: most of an inbound row's dates are still empty.
        return None if value is None else convert(value)

    return prepared


def _related_id(field: models.ForeignKey, obj: models.Model):
    value = getattr(obj, field.attname)
    if value is None and field.is_cached(obj):
        related = field.get_cached_value(obj)
        if related is not None:
            value = getattr(related, field.target_field.attname)
            if value is None:
                raise ValueError(f"{type(obj).__name__}.{field.name}: the related object is not saved yet")
            setattr(obj, field.attname, value)
    return value


class CompiledQuery:
    """A queryset whose SQL is built once and then run with other parameter values.

    For the look-ups made for every inbound message: Django builds a query's SQL anew each time
    (the filter, the joins of select_related, the column list), and for a one-row look-up by a
    unique key that cost several times what SQLite needs to run it. `make_queryset` receives a
    placeholder for each of `names` and puts it where the values go; rows become model
    instances, with their select_related objects, through Django's own converters and
    populators (as QuerySet iteration does; no annotations or prefetching).
    """

    def __init__(self, make_queryset: Callable[..., models.QuerySet], *names: str):
        self.make_queryset = make_queryset
        self.names = names
        self._compiled: dict[str, _Compiled] = {}

    def fetch(self, *values, using: str = "default") -> list:
        compiled = self._compiled.get(using) or self._compile(using)
        params = [p if slot is None else values[slot] for p, slot in zip(compiled.params, compiled.slots, strict=True)]
        with connections[using].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        out = []
        for row in rows:
            obj = compiled.model.from_db(using, compiled.init_list, row[compiled.start : compiled.end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            out.append(obj)
        return out

    def _compile(self, using: str) -> "_Compiled":
        placeholders = [_Placeholder(i) for i in range(len(self.names))]
        queryset = self.make_queryset(*placeholders).using(using)
        assert not queryset.query.annotations and not queryset._known_related_objects  # type: ignore[attr-defined]
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = [p.position if isinstance(p, _Placeholder) else None for p in params]
        # A field that rewrote the value would leave the placeholder's text in the SQL's values.
        assert sorted(slot for slot in slots if slot is not None) == list(range(len(self.names)))
        klass_info, select = compiler.klass_info, compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        compiled = _Compiled(
            compiler=compiler,
            sql=sql,
            params=params,
            slots=slots,
            converters=compiler.get_converters([s[0] for s in select[: compiler.col_count]]),
            model=klass_info["model"],
            start=start,
            end=end,
            init_list=[s[0].target.attname for s in select[start:end]],
            # (django-stubs describe a later Django, whose signature has a fetch_mode too)
            populators=get_related_populators(klass_info, select, using),  # type: ignore[call-arg]
        )
        self._compiled[using] = compiled
        return compiled


class _Placeholder(str):
    """Where a value goes in a CompiledQuery's queryset: a string for the field's checks, told
    apart from the queryset's own parameters by its type."""

    position: int

    def __new__(cls, position: int):
        obj = super().__new__(cls, f"<parameter {position}>")
        obj.position = position
        return obj


@dataclass(frozen=True)
class _Compiled:
    compiler: Any
    sql: str
    params: tuple
    slots: list[int | None]
    converters: dict
    model: type[models.Model]
    start: int
    end: int
    init_list: list[str]
    populators: list


def update_rows(model: type[models.Model], pks: list, *, using: str = "default", **values) -> None:
    """`model.objects.filter(pk__in=pks).update(**values)` for column attributes (`channel_id=…`),
    without building the query through the ORM: one UPDATE, values prepared by their fields, no
    signals (like QuerySet.update)."""
    if not pks:
        return
    connection = connections[using]
    fields, columns = [], []
    for name in values:
        field = model._meta.get_field(name)
        assert isinstance(field, models.Field) and field.attname == name and field.column, name
        fields.append(field)
        columns.append(field.column)
    assignments = ", ".join(f"{_quote(using, column)} = %s" for column in columns)
    pk = model._meta.pk
    assert pk is not None and pk.column
    pk_column = _quote(using, pk.column)
    placeholders = ", ".join(["%s"] * len(pks))
    # Names from the model, values only as parameters.
    sql = f"UPDATE {_quote(using, model._meta.db_table)} SET {assignments} WHERE {pk_column} IN ({placeholders})"  # noqa: S608
    params = [f.get_db_prep_save(v, connection) for f, v in zip(fields, values.values(), strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *pks])
