"""Triggers that keep the inbox tallies (0019) in step with the registrations.

In the database, not in signals: the bulk status change, the purge and the
merge write with ``QuerySet.update`` and ``delete``, which send no signal, and
a tally that drifted would show a manager the wrong number of registrations.

PostgreSQL applies each statement's changes at once, from its transition
tables, summed per row of the tally: a bulk change of 10,000 rows is one
upsert. Every statement takes its locks in one order (the registrations, then
the inbox tally, the programme tally and the address tally, each in key
order), so two statements never wait for each other in a circle; two
transactions of several statements each, touching the same registrations in
opposite orders, still can, as they could without tallies. SQLite, whose
writers take turns anyway, counts a row at a time. The SQL is written out
here, frozen with the migration.
"""

from django.db import migrations

S = "forms_interestsubmission"
L = "forms_interestsubmission_programs"
DIMS = "verification, intake_year, status, source"
IT_KEY = f"{DIMS}, has_programme"
PT_KEY = f"{DIMS}, programme_id"
AT_KEY = "email_key, intake_year"


def upsert(table, key, select, with_=""):
    """Adds ``select``'s counts (its last column) to ``table``'s rows by ``key``;
    ``with_``: common table expressions ``select`` reads."""
    head = f"WITH {with_} " if with_ else ""
    return (
        f'{head}INSERT INTO {table} ({key}, "count") {select} ON CONFLICT ({key}) '
        f'DO UPDATE SET "count" = {table}."count" + EXCLUDED."count";'
    )


REBUILD = [
    "DELETE FROM forms_sharedaddress;",
    "DELETE FROM forms_inboxtally;",
    "DELETE FROM forms_programmetally;",
    "DELETE FROM forms_addresstally;",
    f'INSERT INTO forms_inboxtally ({IT_KEY}, "count") '
    f"SELECT {DIMS}, EXISTS (SELECT 1 FROM {L} l "
    f"WHERE l.interestsubmission_id = s.id), COUNT(*) FROM {S} s "
    "GROUP BY 1, 2, 3, 4, 5;",
    f'INSERT INTO forms_programmetally ({PT_KEY}, "count") '
    "SELECT s.verification, s.intake_year, s.status, s.source, l.programpage_id, "
    f"COUNT(*) FROM {S} s JOIN {L} l ON l.interestsubmission_id = s.id "
    "GROUP BY 1, 2, 3, 4, 5;",
    f'INSERT INTO forms_addresstally ({AT_KEY}, "count") '
    f"SELECT LOWER(TRIM(email)), intake_year, COUNT(*) FROM {S} "
    "WHERE email <> '' GROUP BY 1, 2;",
]


# --- PostgreSQL: one function per event, over the statement's rows ---------


def pg_submission_change(rows_sql):
    """The body for a change to registrations: ``rows_sql`` yields each row's
    id, filter columns, e-mail and +1 (now there) or -1 (gone). Rows whose
    change nets to nothing (a receipt's state, say) write no tally row."""
    delta = f"d AS ({rows_sql})"
    has = f"EXISTS (SELECT 1 FROM {L} l WHERE l.interestsubmission_id = d.id)"
    return "\n".join(
        [
            upsert(
                "forms_inboxtally",
                IT_KEY,
                f"SELECT {DIMS}, {has}, SUM(n) FROM d "
                "GROUP BY 1, 2, 3, 4, 5 HAVING SUM(n) <> 0 ORDER BY 1, 2, 3, 4, 5",
                delta,
            ),
            upsert(
                "forms_programmetally",
                PT_KEY,
                "SELECT d.verification, d.intake_year, d.status, d.source, "
                f"l.programpage_id, SUM(n) FROM d "
                f"JOIN {L} l ON l.interestsubmission_id = d.id "
                "GROUP BY 1, 2, 3, 4, 5 HAVING SUM(n) <> 0 ORDER BY 1, 2, 3, 4, 5",
                delta,
            ),
            upsert(
                "forms_addresstally",
                AT_KEY,
                "SELECT LOWER(TRIM(email)), intake_year, SUM(n) FROM d "
                "WHERE email <> '' GROUP BY 1, 2 HAVING SUM(n) <> 0 ORDER BY 1, 2",
                delta,
            ),
        ]
    )


def rows_of(table, sign):
    return f"SELECT id, {DIMS}, email, {sign} AS n FROM {table}"


def pg_links_change(table, sign):
    """The body for links added (``sign`` 1) or removed (-1): the programme
    counts, and the registrations whose first link was added or last removed
    move in or out of "no programme"."""
    if sign > 0:
        # Its links now are all the ones this statement added.
        moved = (
            f"SELECT s.* FROM (SELECT interestsubmission_id AS id, COUNT(*) AS n "
            f"FROM {table} GROUP BY 1) a JOIN {S} s ON s.id = a.id "
            f"WHERE (SELECT COUNT(*) FROM {L} l "
            "WHERE l.interestsubmission_id = a.id) = a.n"
        )
    else:
        moved = (
            f"SELECT s.* FROM (SELECT DISTINCT interestsubmission_id AS id "
            f"FROM {table}) r JOIN {S} s ON s.id = r.id "
            f"WHERE NOT EXISTS (SELECT 1 FROM {L} l "
            "WHERE l.interestsubmission_id = r.id)"
        )
    into, out_of = ("true", "false") if sign > 0 else ("false", "true")
    return "\n".join(
        [
            # The registrations first, as an update of them would: a status
            # changed meanwhile is then read as committed, and two link
            # changes of one registration take turns (else both could take
            # theirs for its first link). Then the tallies in the order every
            # trigger takes them: inbox, programme, address.
            f"PERFORM 1 FROM {S} s WHERE s.id IN (SELECT interestsubmission_id "
            f"FROM {table}) ORDER BY s.id FOR NO KEY UPDATE;",
            upsert(
                "forms_inboxtally",
                IT_KEY,
                f"SELECT {DIMS}, has_programme, SUM(n) FROM ("
                f"SELECT {DIMS}, {out_of} AS has_programme, -1 AS n FROM moved "
                f"UNION ALL SELECT {DIMS}, {into}, 1 FROM moved) m "
                "GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5",
                f"moved AS ({moved})",
            ),
            upsert(
                "forms_programmetally",
                PT_KEY,
                "SELECT s.verification, s.intake_year, s.status, s.source, "
                f"c.programpage_id, {sign} * COUNT(*) FROM {table} c "
                f"JOIN {S} s ON s.id = c.interestsubmission_id "
                "GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5",
            ),
        ]
    )


def pg_function(name, body):
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$\nBEGIN\n{body}\nRETURN NULL;\nEND\n$$;"
    )


def pg_trigger(name, event, table, transition=None):
    referencing = f"REFERENCING {transition} " if transition else ""
    return (
        f"CREATE TRIGGER {name} AFTER {event} ON {table} {referencing}"
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}();"
    )


PG_REBUILD = (
    "CREATE OR REPLACE FUNCTION forms_tally_rebuild() RETURNS void "
    "LANGUAGE plpgsql AS $$\nBEGIN\n" + "\n".join(REBUILD) + "\nEND\n$$;"
)

PG_TRIGGERS = [
    # (name, event, table, transition tables, body)
    (
        "forms_tally_submissions_inserted",
        "INSERT",
        S,
        "NEW TABLE AS new_rows",
        pg_submission_change(rows_of("new_rows", 1)),
    ),
    (
        "forms_tally_submissions_deleted",
        "DELETE",
        S,
        "OLD TABLE AS old_rows",
        pg_submission_change(rows_of("old_rows", -1)),
    ),
    (
        "forms_tally_submissions_updated",
        "UPDATE",
        S,
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        pg_submission_change(
            f"{rows_of('old_rows', -1)} UNION ALL {rows_of('new_rows', 1)}"
        ),
    ),
    (
        "forms_tally_links_inserted",
        "INSERT",
        L,
        "NEW TABLE AS new_links",
        pg_links_change("new_links", 1),
    ),
    (
        "forms_tally_links_deleted",
        "DELETE",
        L,
        "OLD TABLE AS old_links",
        pg_links_change("old_links", -1),
    ),
    # Django never updates a link row, and a truncate counts nothing row by
    # row: both recount everything.
    ("forms_tally_links_updated", "UPDATE", L, None, "PERFORM forms_tally_rebuild();"),
    (
        "forms_tally_links_truncated",
        "TRUNCATE",
        L,
        None,
        "PERFORM forms_tally_rebuild();",
    ),
    (
        "forms_tally_submissions_truncated",
        "TRUNCATE",
        S,
        None,
        "PERFORM forms_tally_rebuild();",
    ),
]


# The address tally's rows are few and locked as they change, so a row trigger
# on them keeps the shared keys without a race between two senders.
PG_SHARED = [
    "CREATE OR REPLACE FUNCTION forms_tally_shared() RETURNS trigger "
    "LANGUAGE plpgsql AS $$\nBEGIN\n"
    "IF TG_OP <> 'INSERT' AND OLD.\"count\" > 1 AND "
    "(TG_OP = 'DELETE' OR NEW.\"count\" <= 1) THEN "
    "DELETE FROM forms_sharedaddress WHERE email_key = OLD.email_key "
    "AND intake_year = OLD.intake_year; END IF;\n"
    "IF TG_OP <> 'DELETE' AND NEW.\"count\" > 1 AND "
    "(TG_OP = 'INSERT' OR OLD.\"count\" <= 1) THEN "
    "INSERT INTO forms_sharedaddress (email_key, intake_year) "
    "VALUES (NEW.email_key, NEW.intake_year) ON CONFLICT DO NOTHING; END IF;\n"
    "RETURN NULL;\nEND\n$$;",
    "CREATE TRIGGER forms_tally_shared AFTER INSERT OR UPDATE OR DELETE "
    "ON forms_addresstally FOR EACH ROW EXECUTE FUNCTION forms_tally_shared();",
]


def postgresql_forward():
    statements = [*PG_SHARED, PG_REBUILD]
    for name, event, table, transition, body in PG_TRIGGERS:
        statements.append(pg_function(name, body))
        statements.append(pg_trigger(name, event, table, transition))
    statements.append("SELECT forms_tally_rebuild();")
    return statements


def postgresql_backward():
    statements = [
        f"DROP TRIGGER IF EXISTS {name} ON {table};"
        for name, _event, table, _transition, _body in PG_TRIGGERS
    ]
    statements += [
        f"DROP FUNCTION IF EXISTS {name}();" for name, *_rest in PG_TRIGGERS
    ]
    return [
        *statements,
        "DROP TRIGGER IF EXISTS forms_tally_shared ON forms_addresstally;",
        "DROP FUNCTION IF EXISTS forms_tally_shared();",
        "DROP FUNCTION IF EXISTS forms_tally_rebuild();",
    ]


# --- SQLite: a row at a time -------------------------------------------------

SQLITE_DIMS_OF = "(verification, intake_year, status, source)"


def sqlite_count_in(row):
    """``row`` (NEW or OLD) of the registrations counted in."""
    return [
        upsert(
            "forms_inboxtally",
            IT_KEY,
            f"SELECT {row}.verification, {row}.intake_year, {row}.status, "
            f"{row}.source, EXISTS (SELECT 1 FROM {L} l "
            f"WHERE l.interestsubmission_id = {row}.id), 1 WHERE true",
        ),
        upsert(
            "forms_programmetally",
            PT_KEY,
            f"SELECT {row}.verification, {row}.intake_year, {row}.status, "
            f"{row}.source, l.programpage_id, 1 FROM {L} l "
            f"WHERE l.interestsubmission_id = {row}.id",
        ),
    ]


def sqlite_count_out(row):
    """``row`` of the registrations counted out: only ever down, never a new
    row, so a flush that empties a tally first leaves nothing below zero."""
    same = (
        f"verification = {row}.verification AND intake_year = {row}.intake_year "
        f"AND status = {row}.status AND source = {row}.source"
    )
    return [
        f'UPDATE forms_inboxtally SET "count" = "count" - 1 WHERE {same} '
        f"AND has_programme = EXISTS (SELECT 1 FROM {L} l "
        f"WHERE l.interestsubmission_id = {row}.id);",
        f'UPDATE forms_programmetally SET "count" = "count" - 1 WHERE {same} '
        f"AND programme_id IN (SELECT l.programpage_id FROM {L} l "
        f"WHERE l.interestsubmission_id = {row}.id);",
    ]


def sqlite_address_in(row):
    return [
        upsert(
            "forms_addresstally",
            AT_KEY,
            f"SELECT LOWER(TRIM({row}.email)), {row}.intake_year, 1 "
            f"WHERE {row}.email <> ''",
        )
    ]


def sqlite_address_out(row):
    return [
        f'UPDATE forms_addresstally SET "count" = "count" - 1 '
        f"WHERE {row}.email <> '' AND email_key = LOWER(TRIM({row}.email)) "
        f"AND intake_year = {row}.intake_year;"
    ]


def sqlite_link_in(row):
    submission = f"{row}.interestsubmission_id"
    links_now = f"(SELECT COUNT(*) FROM {L} WHERE interestsubmission_id = {submission})"
    return [
        upsert(
            "forms_programmetally",
            PT_KEY,
            f"SELECT {DIMS}, {row}.programpage_id, 1 FROM {S} WHERE id = {submission}",
        ),
        # Its first programme: out of "no programme".
        f'UPDATE forms_inboxtally SET "count" = "count" - 1 '
        f"WHERE has_programme = 0 AND {SQLITE_DIMS_OF} = "
        f"(SELECT {DIMS} FROM {S} WHERE id = {submission}) AND {links_now} = 1;",
        upsert(
            "forms_inboxtally",
            IT_KEY,
            f"SELECT {DIMS}, 1, 1 FROM {S} WHERE id = {submission} AND {links_now} = 1",
        ),
    ]


def sqlite_link_out(row):
    submission = f"{row}.interestsubmission_id"
    none_left = (
        f"NOT EXISTS (SELECT 1 FROM {L} WHERE interestsubmission_id = {submission})"
    )
    return [
        f'UPDATE forms_programmetally SET "count" = "count" - 1 '
        f"WHERE programme_id = {row}.programpage_id AND {SQLITE_DIMS_OF} = "
        f"(SELECT {DIMS} FROM {S} WHERE id = {submission});",
        # Its last programme: back to "no programme".
        f'UPDATE forms_inboxtally SET "count" = "count" - 1 '
        f"WHERE has_programme = 1 AND {SQLITE_DIMS_OF} = "
        f"(SELECT {DIMS} FROM {S} WHERE id = {submission}) AND {none_left};",
        upsert(
            "forms_inboxtally",
            IT_KEY,
            f"SELECT {DIMS}, 0, 1 FROM {S} WHERE id = {submission} AND {none_left}",
        ),
    ]


SHARED_IN = (
    "INSERT OR IGNORE INTO forms_sharedaddress (email_key, intake_year) "
    "SELECT NEW.email_key, NEW.intake_year;"
)
SHARED_OUT = (
    "DELETE FROM forms_sharedaddress WHERE email_key = OLD.email_key "
    "AND intake_year = OLD.intake_year;"
)

DIMS_CHANGED = " OR ".join(
    f"OLD.{column} IS NOT NEW.{column}" for column in DIMS.split(", ")
)
ADDRESS_CHANGED = "OLD.email IS NOT NEW.email OR OLD.intake_year IS NOT NEW.intake_year"

SQLITE_TRIGGERS = [
    # (name, event and table, condition, statements)
    (
        "forms_tally_submission_inserted",
        f"INSERT ON {S}",
        None,
        sqlite_count_in("NEW") + sqlite_address_in("NEW"),
    ),
    (
        "forms_tally_submission_deleted",
        f"DELETE ON {S}",
        None,
        sqlite_count_out("OLD") + sqlite_address_out("OLD"),
    ),
    (
        "forms_tally_submission_updated",
        f"UPDATE OF {DIMS} ON {S}",
        DIMS_CHANGED,
        sqlite_count_out("OLD") + sqlite_count_in("NEW"),
    ),
    (
        "forms_tally_address_updated",
        f"UPDATE OF email, intake_year ON {S}",
        ADDRESS_CHANGED,
        sqlite_address_out("OLD") + sqlite_address_in("NEW"),
    ),
    ("forms_tally_link_inserted", f"INSERT ON {L}", None, sqlite_link_in("NEW")),
    (
        "forms_tally_shared_inserted",
        "INSERT ON forms_addresstally",
        'NEW."count" > 1',
        [SHARED_IN],
    ),
    (
        "forms_tally_shared_updated",
        'UPDATE OF "count" ON forms_addresstally',
        '(OLD."count" > 1) <> (NEW."count" > 1)',
        [
            f'{SHARED_IN[:-1]} WHERE NEW."count" > 1;',
            f'{SHARED_OUT[:-1]} AND NEW."count" <= 1;',
        ],
    ),
    (
        "forms_tally_shared_deleted",
        "DELETE ON forms_addresstally",
        'OLD."count" > 1',
        [SHARED_OUT],
    ),
    ("forms_tally_link_deleted", f"DELETE ON {L}", None, sqlite_link_out("OLD")),
    # As on PostgreSQL: Django never updates a link row; recount everything.
    ("forms_tally_link_updated", f"UPDATE ON {L}", None, REBUILD),
]


def sqlite_forward():
    statements = []
    for name, event, condition, body in SQLITE_TRIGGERS:
        when = f" WHEN {condition}" if condition else ""
        statements.append(
            f"CREATE TRIGGER {name} AFTER {event}{when} BEGIN\n"
            + "\n".join(body)
            + "\nEND;"
        )
    return statements + REBUILD


def sqlite_backward():
    return [f"DROP TRIGGER IF EXISTS {name};" for name, *_rest in SQLITE_TRIGGERS]


def run(statements_for):
    def operation(apps, schema_editor):
        statements = statements_for.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(
                "The inbox tallies have triggers for PostgreSQL and SQLite only."
            )
        for statement in statements():
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [("forms", "0019_inbox_tallies")]

    operations = [
        migrations.RunPython(
            run({"postgresql": postgresql_forward, "sqlite": sqlite_forward}),
            run({"postgresql": postgresql_backward, "sqlite": sqlite_backward}),
        )
    ]
