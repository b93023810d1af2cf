"""The same annual-report figures as Heard's, computed by DuckDB from the same SQLite file.

Used by ``benchmarks/annual_report.py`` to put Heard's time beside a columnar engine's for the
same figures: cases received by kind over four years (``volumes.received``), complaint outcomes
over four years (``outcomes.overall``, on the default basis: the latest outcome known today),
each stage's outcomes (``outcomes.by_stage``), complaints by team and procedure
(``service_areas.by_procedure``, team rows) and each procedure's stage flow (``flow.<procedure>``:
brought forward, new, started, resolved and carried forward by stage). Every figure is keyed
``(table id, row key, column key)`` like the report's JSON, so the benchmark can check that the
two agree before it compares their times.

DuckDB reads the SQLite file through its ``sqlite_scanner`` extension, loaded from the
``duckdb-extension-sqlite-scanner`` package (no download: it works offline).
"""

from __future__ import annotations

import datetime
import pathlib

#: Kind, request type and row key of ``volumes.received``.
VOLUME_ROWS = [
    ("complaint", "complaint", None), ("representation", "representation", None),
    ("compliment", "compliment", None), ("comment", "comment", None),
    ("ombudsman", "ombudsman", None),
    ("sar", "information_request", "sar"), ("foi", "information_request", "foi"),
    ("eir", "information_request", "eir"),
    ("disclosure", "information_request", "disclosure"),
]  # fmt: skip
OUTCOMES = ["upheld", "partially-upheld", "not-upheld", "no-finding", "withdrawn", "refused",
            "still-open"]  # fmt: skip
STAGE_OUTCOMES = ["upheld", "partially-upheld", "not-upheld", "no-finding", "withdrawn"]
PROCEDURES = ("childrens_statutory", "corporate")


def scanner_path() -> pathlib.Path:
    """The sqlite_scanner extension file that the Python package ships."""
    import duckdb
    import duckdb_extension_sqlite_scanner as package

    root = pathlib.Path(package.__file__).parent / "extensions"
    wanted = root / f"v{duckdb.__version__}" / "sqlite_scanner.duckdb_extension"
    if not wanted.exists():
        found = sorted(p.parent.name for p in root.glob("*/sqlite_scanner.duckdb_extension"))
        raise RuntimeError(
            f"duckdb {duckdb.__version__} needs the sqlite scanner of the same version; the "
            f"package has {', '.join(found) or 'none'}. Install matching versions."
        )
    return wanted


def connect(sqlite_file: str):
    import duckdb

    con = duckdb.connect(
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    con.execute(f"LOAD '{scanner_path()}'")
    con.execute(f"ATTACH '{sqlite_file}' AS heard (TYPE sqlite, READ_ONLY)")
    return con


def figures(con, years: list[tuple[int, datetime.date, datetime.date]], today: datetime.date):
    """{(table, row, column): value} for the report whose years are ``years`` (oldest first,
    each ``(key, start, end)``), the report's year last."""
    found: dict[tuple[str, str, str], int] = {}
    key, start, end = years[-1]
    con.execute("CREATE OR REPLACE TEMP TABLE years (y VARCHAR, s DATE, e DATE)")
    con.executemany("INSERT INTO years VALUES (?, ?, ?)", years)
    # Narrow copies of the columns used, typed once (the scanner reads SQLite's text dates).
    con.execute(
        """CREATE OR REPLACE TEMP TABLE c AS SELECT id, kind, procedure, resolution,
        request_type, service_area_id, CAST(received_on AS DATE) AS received_on,
        CAST(closed_on AS DATE) AS closed_on FROM heard.cases_case"""
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE s AS SELECT case_id, number, outcome,
        CAST(requested_on AS DATE) AS requested_on, CAST(responded_on AS DATE) AS responded_on
        FROM heard.cases_stage"""
    )

    # volumes.received
    rows = con.execute(
        """SELECT y, kind, request_type, count(*) FROM c JOIN years
        ON received_on BETWEEN s AND e GROUP BY ALL"""
    ).fetchall()
    counts = {(y, kind, rt): n for y, kind, rt, n in rows}
    for row_key, kind, request_type in VOLUME_ROWS:
        for y, _, _ in years:
            found[("volumes.received", row_key, y)] = sum(
                n
                for (yy, k, rt), n in counts.items()
                if yy == y and k == kind and (request_type is None or rt == request_type)
            )

    # outcomes.overall: complaints received in each year, with their latest outcome.
    rows = con.execute(
        """WITH last AS (
            SELECT case_id, arg_max(outcome, number) AS outcome FROM s
            WHERE responded_on IS NOT NULL AND responded_on <= $today GROUP BY case_id
        ), o AS (
            SELECT c.received_on, CASE
                WHEN closed_on <= $today AND resolution = 'withdrawn' THEN 'withdrawn'
                WHEN closed_on <= $today AND resolution IN ('refused_not_eligible',
                    'refused_out_of_time', 'refused_other_process') THEN 'refused'
                WHEN coalesce(last.outcome, '') <> '' THEN last.outcome
                WHEN closed_on <= $today THEN 'no-finding'
                ELSE 'still-open' END AS outcome
            FROM c LEFT JOIN last ON last.case_id = c.id WHERE kind = 'complaint'
        )
        SELECT y, outcome, count(*) FROM o JOIN years ON received_on BETWEEN s AND e
        GROUP BY ALL""",
        {"today": today},
    ).fetchall()
    counts = {(y, outcome): n for y, outcome, n in rows}
    for y, _, _ in years:
        for outcome in OUTCOMES:
            found[("outcomes.overall", outcome, y)] = counts.get((y, outcome), 0)
        found[("outcomes.overall", "total", y)] = sum(n for (yy, _), n in counts.items() if yy == y)

    # outcomes.by_stage: stages of complaints responded to in the year.
    rows = con.execute(
        """SELECT number, coalesce(nullif(outcome, ''), 'no-finding'), count(*)
        FROM s JOIN c ON c.id = s.case_id WHERE kind = 'complaint'
        AND responded_on BETWEEN $start AND $end GROUP BY ALL""",
        {"start": start, "end": end},
    ).fetchall()
    counts = {(number, outcome): n for number, outcome, n in rows}
    for number in (1, 2, 3):
        for outcome in STAGE_OUTCOMES:
            found[("outcomes.by_stage", str(number), outcome)] = counts.get((number, outcome), 0)
        found[("outcomes.by_stage", str(number), "total")] = sum(
            n for (nn, _), n in counts.items() if nn == number
        )

    # service_areas.by_procedure: complaints received in the year by the area they are
    # recorded against (team rows; a case recorded against a directorate or a service has a
    # row of its own).
    rows = con.execute(
        """SELECT CASE WHEN a.level = 'directorate' THEN a.code || '-directorate'
            ELSE a.code END, c.procedure, count(*)
        FROM c JOIN heard.taxonomy_servicearea a ON a.id = c.service_area_id
        WHERE kind = 'complaint' AND received_on BETWEEN $start AND $end
        GROUP BY ALL""",
        {"start": start, "end": end},
    ).fetchall()
    teams: dict[str, dict[str, int]] = {}
    for code, procedure, n in rows:
        cells = teams.setdefault(code, {"childrens_statutory": 0, "corporate": 0, "other": 0})
        cells[procedure if procedure in PROCEDURES else "other"] += n
    for code, cells in teams.items():
        for column, n in cells.items():
            found[("service_areas.by_procedure", code, column)] = n
        found[("service_areas.by_procedure", code, "total")] = sum(cells.values())

    # flow.<procedure>: complaints dealt with in the year, by stage.
    before = start - datetime.timedelta(days=1)
    rows = con.execute(
        """WITH d AS (
            SELECT * FROM c WHERE kind = 'complaint' AND received_on <= $end
            AND (closed_on IS NULL OR closed_on >= $start)
        ), per AS (
            SELECT d.id, d.procedure, d.received_on, d.closed_on,
                coalesce(min(s.number), 1) AS first_stage,
                coalesce(max(s.number), 1) AS last_stage,
                coalesce(max(s.number) FILTER (WHERE s.requested_on <= $before), 1)
                    AS stage_before,
                coalesce(max(s.number) FILTER (WHERE s.requested_on <= $end), 1)
                    AS stage_at_end
            FROM d LEFT JOIN s ON s.case_id = d.id GROUP BY ALL
        )
        SELECT procedure, 'brought_forward', stage_before, count(*) FROM per
            WHERE received_on < $start GROUP BY ALL
        UNION ALL SELECT procedure, 'new', first_stage, count(*) FROM per
            WHERE received_on >= $start GROUP BY ALL
        UNION ALL SELECT procedure, 'resolved', last_stage, count(*) FROM per
            WHERE closed_on BETWEEN $start AND $end GROUP BY ALL
        UNION ALL SELECT procedure, 'carried_forward', stage_at_end, count(*) FROM per
            WHERE closed_on IS NULL OR closed_on > $end GROUP BY ALL
        UNION ALL SELECT d.procedure, 'started', s.number, count(*) FROM d
            JOIN s ON s.case_id = d.id
            WHERE s.requested_on BETWEEN $start AND $end GROUP BY ALL""",
        {"start": start, "end": end, "before": before},
    ).fetchall()
    flows: dict[tuple[str, str], dict[int, int]] = {}
    for procedure, column, number, n in rows:
        flows.setdefault((procedure, column), {})[number] = n
    for (procedure, column), by_stage in flows.items():
        for number, n in by_stage.items():
            found[(f"flow.{procedure}", str(number), column)] = n
    return found


def heard_figures(report_dict: dict, keys) -> dict[tuple[str, str, str], object]:
    """The report's own values for ``keys`` (missing rows and cells count as 0, as an empty
    row of a table means none)."""
    cells = {}
    for section in report_dict["sections"]:
        for table in section["tables"]:
            for row in table["rows"]:
                for column, value in row["cells"].items():
                    cells[(table["id"], row["key"], column)] = value
    return {key: cells.get(key, 0) for key in keys}
