"""Statements compiled once per database and run straight through the driver: the reads a person waits on
(the desk's phone look-up, a page of a list) and an import's bulk inserts. Per call only the pool and the
driver work, several times faster than a Core execution; values are converted by their column types."""
from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from datetime import datetime
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Dialect, Engine, Select, insert

from app.models.base import UTCDateTime

class _DriverPlan(NamedTuple):
    statement: Select[Any]  # held, so that its id is never reused by another statement while cached
    sql: str
    order: tuple[str, ...] | None  # parameter names in order for positional drivers (SQLite), else None
    defaults: dict[str, Any]  # values bound in the statement itself
    converters: list[Callable[[Any], Any] | None]
    row: type
    binds: dict[str, Callable[[Any], Any]]  # parameters' own conversions, e.g. an aware time to naive UTC
    converted: tuple[tuple[int, Callable[[Any], Any]], ...]  # (column, conversion) of the columns that have one
    names: tuple[str, ...]  # the parameters the statement takes (a named driver is given exactly these)


_plans: dict[tuple[int, str], _DriverPlan] = {}


def _driver_plan(statement: Select[Any], dialect: Dialect) -> _DriverPlan:
    key = (id(statement), dialect.name)  # for module constants: a statement built per call would pile up here
    if key not in _plans:
        compiled = statement.compile(dialect=dialect)
        columns = list(statement.selected_columns)
        converters = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]
        binds = {name: bind.type.dialect_impl(dialect).bind_processor(dialect)
                 for name, bind in compiled.binds.items()}
        _plans[key] = _DriverPlan(
            statement, compiled.string, tuple(compiled.positiontup) if compiled.positional else None,
            {k: v for k, v in compiled.construct_params(_check=False).items() if v is not None},
            converters, namedtuple("Row", [c.key for c in columns]),  # type: ignore[misc]
            {name: process for name, process in binds.items() if process is not None},
            tuple((i, convert) for i, convert in enumerate(converters) if convert is not None),
            tuple(compiled.construct_params(_check=False)))
    return _plans[key]


def first_row(engine: Engine, statement: Select[Any], params: dict[str, Any]) -> Any | None:
    plan = _driver_plan(statement, engine.dialect)
    conn = engine.raw_connection()
    try:
        cursor = conn.cursor()
        values = {**plan.defaults, **params}
        cursor.execute(plan.sql, [values[n] for n in plan.order] if plan.order is not None else values)
        row = cursor.fetchone()
    finally:
        conn.close()  # back to the pool, rolled back
    if row is None:
        return None
    return plan.row(*(convert(v) if convert else v for convert, v in zip(plan.converters, row)))


def rows(engine: Engine, statement: Select[Any], params: dict[str, Any]) -> list[list[Any]]:
    plan = _driver_plan(statement, engine.dialect)
    values = {**plan.defaults, **params}
    for name, process in plan.binds.items():
        if name in values:
            values[name] = process(values[name])
    conn = engine.raw_connection()
    try:
        cursor = conn.cursor()
        cursor.execute(plan.sql, [values[n] for n in plan.order] if plan.order is not None
                       else {n: values[n] for n in plan.names})
        found = [list(row) for row in cursor.fetchall()]
    finally:
        conn.close()  # back to the pool, rolled back
    for i, convert in plan.converted:  # column by column: most columns need no conversion
        for row in found:
            row[i] = convert(row[i])
    return found


class _InsertPlan(NamedTuple):
    sql: str
    order: list[str]  # the parameters in the statement's order
    positional: bool  # SQLite's ? (tuples) or PostgreSQL's %(name)s (dicts)
    convert: list[tuple[int, Callable[[Any], Any], bool]]  # (position, conversion, whether a moment)


_inserts: dict[tuple[str, str, tuple[str, ...]], _InsertPlan] = {}


def _insert_plan(dialect, table, keys: tuple[str, ...]) -> _InsertPlan:  # type: ignore[no-untyped-def]
    """The INSERT of `keys` into `table` as the driver takes it, compiled once per database kind."""
    if (dialect.name, table.name, keys) not in _inserts:
        compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
        order = list(compiled.positiontup) if compiled.positional else list(keys)
        convert = [(i, table.c[key].type.dialect_impl(dialect).bind_processor(dialect),
                    isinstance(table.c[key].type, UTCDateTime)) for i, key in enumerate(order)]
        _inserts[dialect.name, table.name, keys] = _InsertPlan(
            compiled.string, order, compiled.positional, [(i, f, moment) for i, f, moment in convert if f])
    return _inserts[dialect.name, table.name, keys]


def insert_rows(conn, table, rows: list[dict[str, Any]], stored: dict[datetime, Any]) -> None:  # type: ignore[no-untyped-def]
    """One executemany INSERT of `rows` (dicts with the same keys), straight through the driver.

    The values are converted by their column types as a Core insert would, but a moment is converted once
    (`stored` keeps it) however many columns and rows hold it: a visit's time is also its customer's first and
    last visit. Those conversions were most of a Core executemany's cost.
    """
    plan = _insert_plan(conn.dialect, table, tuple(rows[0]))
    pick = itemgetter(*plan.order)
    params = []
    for row in rows:
        values = list(pick(row))
        for i, f, moment in plan.convert:
            v = values[i]
            if v is None:
                continue
            if moment:
                done = stored.get(v)
                if done is None:
                    done = stored[v] = f(v)
                values[i] = done
            else:
                values[i] = f(v)
        params.append(tuple(values))
    conn.exec_driver_sql(plan.sql, params if plan.positional else [dict(zip(plan.order, p)) for p in params])
