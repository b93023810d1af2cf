"""The database triggers that make the audit trail append-only, for SQLite and PostgreSQL.

UPDATE and DELETE of an entry are refused, and on PostgreSQL TRUNCATE of the trail (which skips
row triggers); the held values may be deleted (erased) but never updated. Migrations create
them; the test suite's ``flush`` (heard/audit/management/commands/flush.py) lifts them while it
empties the test database. On SQLite a migration that rebuilds ``audit_auditevent`` or
``audit_auditvalue`` drops their triggers: it must call ``create(schema_editor)`` again
(``tests/audit/test_audit_trail.py`` fails if the database accepts an UPDATE or DELETE).
"""

from __future__ import annotations

MESSAGE = "The audit trail is append-only."
VALUES_MESSAGE = "Held audit values cannot be changed, only erased."

SQLITE = [
    f"""CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER audit_auditvalue_no_update BEFORE UPDATE ON audit_auditvalue
    BEGIN SELECT RAISE(ABORT, '{VALUES_MESSAGE}'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
    "DROP TRIGGER IF EXISTS audit_auditvalue_no_update",
]

POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; END;
    $$ LANGUAGE plpgsql""",
    f"""CREATE OR REPLACE FUNCTION audit_refuse_value_change() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{VALUES_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()""",
    """CREATE TRIGGER audit_auditevent_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()""",
    """CREATE TRIGGER audit_auditvalue_no_update BEFORE UPDATE ON audit_auditvalue
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_value_change()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_auditvalue_no_update ON audit_auditvalue",
]


def _run(connection, statements: dict[str, list[str]]) -> None:
    with connection.cursor() as cursor:
        for statement in statements.get(connection.vendor, []):
            cursor.execute(statement)


def create(connection) -> None:
    _run(connection, {"sqlite": SQLITE, "postgresql": POSTGRES})


def drop(connection) -> None:
    _run(connection, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})
