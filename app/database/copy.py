"""Moving an office's data into another database: a single station's SQLite file into the office's shared
PostgreSQL server (`salesoffice db copy --to URL`, SEC-6).

Every table is copied with its ids; the target's id sequences are moved past them, so the desk's next
rows fit after the old. The target must be new: no tables, or salesoffice's tables with no rows (as
`db upgrade` leaves it). Everything happens in one transaction on the target: its schema made at the
source's version, the rows copied, brought to this version's schema, and checked (every table's count, the
audit chain); anything wrong rolls it all back, and the source is only read.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, MetaData, func, inspect, select, text

from app.database import audit_chain, schema
from app.database.driver_errors import reason
from app.errors import Conflict, DatabaseProblem, NotFound, ValidationError
from app.i18n import _

BATCH = 2000


@dataclass
class Copied:
    revision: str  # the source's schema version
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows copied
    audit_entries: int = 0


def copy_database(source: Engine, target: Engine, *, progress: Callable[[str], None] | None = None) -> Copied:
    """Copy everything from `source` into the new database `target`; refuse (changing nothing) otherwise."""
    if source.url.render_as_string() == target.url.render_as_string():
        raise ValidationError(_("The source and the target are the same database."))
    revision = schema.ensure_supported(source)
    if revision is None:
        raise NotFound(_("The source holds no salesoffice data; there is nothing to copy."))
    schema.ensure_supported(target)  # reachable, made by salesoffice or empty, not newer than us
    done = Copied(revision)
    try:
        with source.connect() as src, target.begin() as dst:
            _make_room(dst)
            _upgrade(dst, revision)
            tables = MetaData()
            tables.reflect(dst)
            from_source = MetaData()
            from_source.reflect(src)
            for table in tables.sorted_tables:
                if table.name == "alembic_version" or table.name not in from_source.tables:
                    continue
                done.rows[table.name] = _copy_table(src, dst, from_source.tables[table.name], table)
                if progress:
                    progress(_("%(table)s: %(rows)d rows") % {"table": table.name, "rows": done.rows[table.name]})
            _move_sequences(dst, tables)
            for name, count in done.rows.items():
                copied = dst.execute(select(func.count()).select_from(tables.tables[name])).scalar_one()
                if copied != count:
                    raise DatabaseProblem(_("Table %(table)s has %(found)d rows after the copy instead of %(rows)d.")
                                          % {"table": name, "found": copied, "rows": count})
            # Counted before the upgrade, which may add rows of its own (an older audit log is sealed).
            _upgrade(dst, "head")
            verdict = audit_chain.verify_connection(dst)
            if verdict.problems:
                raise DatabaseProblem(" ".join(verdict.problems))
            done.audit_entries = verdict.entries
    except (DatabaseProblem, Conflict, NotFound, ValidationError):
        raise
    except Exception as e:
        if not hasattr(e, "orig"):
            raise
        raise DatabaseProblem(_("Nothing was copied: %s") % reason(e)) from e
    return done


def _make_room(dst: Connection) -> None:
    """Refuse a target holding data; drop salesoffice's empty tables (db upgrade's) so the schema can be made
    at the source's version."""
    names = inspect(dst).get_table_names()
    if not names:
        return
    meta = MetaData()
    meta.reflect(dst)
    for table in meta.sorted_tables:
        if table.name != "alembic_version" and dst.execute(select(table).limit(1)).first() is not None:
            raise Conflict(_("The target database already holds data (table %s); copy only into a new, empty "
                             "database, so that nothing there is mixed or overwritten.") % table.name)
    meta.drop_all(dst)


def _upgrade(dst: Connection, revision: str) -> None:
    from alembic import command

    cfg = schema._alembic_config()
    cfg.attributes["connection"] = dst
    command.upgrade(cfg, revision)


def _copy_table(src: Connection, dst: Connection, source_table, target_table) -> int:  # type: ignore[no-untyped-def]
    columns = [c.name for c in target_table.columns if c.name in source_table.c]
    order = [source_table.c[c.name] for c in source_table.primary_key.columns]
    result = src.execution_options(yield_per=BATCH).execute(
        select(*(source_table.c[name] for name in columns)).order_by(*order))
    count = 0
    for batch in result.partitions(BATCH):
        dst.execute(target_table.insert(), [dict(zip(columns, row)) for row in batch])
        count += len(batch)
    return count


def _move_sequences(dst: Connection, tables: MetaData) -> None:
    """PostgreSQL numbers new rows from a sequence per table: move each past the copied ids."""
    if dst.dialect.name != "postgresql":
        return
    for table in tables.sorted_tables:
        if "id" in table.c and table.c.id.primary_key:
            dst.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                             f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}), false)"))
