"""The flat templates for spreadsheet migrations: one row per case (with columns for up to three
stages) and an optional sheet of parts with their findings. Rows become exchange-format
records, so they are checked and imported exactly as JSON is.

Dates may be written 2024-03-18 or 18/03/2024 (or be real dates in Excel); yes/no columns take
yes, no, y, n, true, false, 1, 0 or nothing; categories, and the staff complained about
(usernames in ``staff_complained_about``, anyone else in ``staff_complained_about_names``), are
separated by semicolons. Columns added since a template was written may be left out: a
template without them still imports (their values are empty).

``case_row`` turns an exchange record back into a row of the template, so that what a
template carries can be checked to come back whole.
"""

from __future__ import annotations

import csv
import datetime
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

CASE_COLUMNS = [
    "reference", "kind", "status", "received_on", "channel", "procedure", "triage_reason",
    "complainant_name", "complainant_email", "complainant_phone", "complainant_address",
    "complainant_postcode", "complainant_role", "under_18", "looked_after", "child_name",
    "child_consent", "representative_type", "representative_name", "advocate_offered",
    "advocate_accepted", "service_area", "locality", "categories", "summary", "desired_outcome",
    "staff_complained_about",
    "staff_complained_about_names", "equality_age_band", "equality_sex", "equality_ethnicity",
    "equality_disability", "allocated_to", "linked_reference", "enquiry_source", "request_type",
    "disclosure_requester", "information_outcome", "lgsco_reference", "lgsco_enquiry_type",
    "lgsco_reply_due", "lgsco_decision", "lgsco_decision_on", "staff_named",
    "compliment_source", "quote", "quote_publishable", "resolution", "resolution_reason",
    "closed_on",
]  # fmt: skip
STAGE_COLUMNS = [
    "requested_on", "acknowledged_on", "extended_to", "responded_on", "outcome", "late_reason",
    "responder", "investigating_officer_fee", "independent_person_fee", "report_received_on",
    "panel_on", "adjudication_on",
]  # fmt: skip
for _n in (1, 2, 3):
    CASE_COLUMNS += [f"stage{_n}_{column}" for column in STAGE_COLUMNS]
PART_COLUMNS = [
    "reference", "number", "summary", "category", "stage1_finding", "stage2_finding",
    "stage3_finding",
]  # fmt: skip

EXAMPLE_CASE = {
    "reference": "CMP-2017-00001", "kind": "complaint", "status": "closed",
    "received_on": "03/04/2017", "channel": "telephone", "procedure": "childrens_statutory",
    "complainant_role": "parent", "under_18": "no", "service_area": "",
    "categories": "communication;delay", "summary": "Calls not returned",
    "resolution": "responded", "closed_on": "13/04/2017", "stage1_requested_on": "03/04/2017",
    "stage1_acknowledged_on": "04/04/2017", "stage1_responded_on": "13/04/2017",
    "stage1_outcome": "partially-upheld",
}  # fmt: skip
EXAMPLE_PARTS = [
    {"reference": "CMP-2017-00001", "number": "1", "summary": "Calls not returned",
     "category": "communication", "stage1_finding": "upheld"},
    {"reference": "CMP-2017-00001", "number": "2", "summary": "Delay in the assessment",
     "category": "delay", "stage1_finding": "not-upheld"},
]  # fmt: skip


#: The equality monitoring questions, as the exchange format's ``equality`` names them.
EQUALITY = ("age_band", "sex", "ethnicity", "disability")


class TemplateError(ValueError):
    pass


def write_templates(directory: Path) -> list[Path]:
    """Blank templates, each with one example row: cases.csv, parts.csv and cases.xlsx."""
    from heard.core.spreadsheets import Workbook, csv_dict_writer

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, columns, rows in (
        ("cases.csv", CASE_COLUMNS, [EXAMPLE_CASE]),
        ("parts.csv", PART_COLUMNS, EXAMPLE_PARTS),
    ):
        path = directory / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv_dict_writer(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        written.append(path)
    book = Workbook()
    cases = book.active
    cases.title = "Cases"
    cases.append(CASE_COLUMNS)
    cases.append([EXAMPLE_CASE.get(c, "") for c in CASE_COLUMNS])
    parts = book.create_sheet("Parts")
    parts.append(PART_COLUMNS)
    for row in EXAMPLE_PARTS:
        parts.append([row.get(c, "") for c in PART_COLUMNS])
    path = directory / "cases.xlsx"
    book.save(path)
    written.append(path)
    return written


def read_csv(path: Path, parts_path: Path | None = None) -> CsvCases:
    """The cases of a CSV template, read a row at a time each time they are gone through;
    the parts (fewer and smaller) are held, by case reference."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        _check_header(reader.fieldnames or [], CASE_COLUMNS, path.name)
        known = {_text(row.get("reference")) for row in reader}
    parts = _csv_rows(parts_path, PART_COLUMNS) if parts_path else []
    parts_by_reference = _parts_by_reference(parts)
    _check_orphans(parts_by_reference, known, path.name, parts_path.name if parts_path else "")
    return CsvCases(path, parts_by_reference)


class CsvCases:
    """("cases.csv row N", raw case) pairs from a CSV template, read afresh each time."""

    def __init__(self, path: Path, parts_by_reference: dict):
        self.path, self.parts_by_reference = path, parts_by_reference

    def __iter__(self) -> Iterator[tuple[str, dict]]:
        with self.path.open(newline="", encoding="utf-8-sig") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                raw = {k: row.get(k) for k in CASE_COLUMNS}
                yield f"{self.path.name} row {number}", _case(raw, self.parts_by_reference)


def read_xlsx(path: Path) -> list[tuple[str, dict]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds for a file it cannot read
        raise TemplateError(f"{path.name} is not a readable XLSX file ({error}).") from None
    if "Cases" not in book.sheetnames:
        raise TemplateError(f'{path.name} has no sheet called "Cases".')
    cases = _sheet_rows(book["Cases"], CASE_COLUMNS, f"{path.name} Cases")
    parts = _sheet_rows(book["Parts"], PART_COLUMNS, f"{path.name} Parts") if (
        "Parts" in book.sheetnames
    ) else []  # fmt: skip
    return _records(cases, parts, f"{path.name} Cases", f"{path.name} Parts")


def _csv_rows(path: Path, columns: list[str]) -> Iterator[tuple[int, dict]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        _check_header(reader.fieldnames or [], columns, path.name)
        yield from enumerate(reader, start=2)


def _sheet_rows(sheet, columns, name) -> list[tuple[int, dict]]:
    rows = sheet.iter_rows(values_only=True)
    header = [str(c).strip() if c is not None else "" for c in next(rows, [])]
    _check_header(header, columns, name)
    result = []
    for number, values in enumerate(rows, start=2):
        if all(v in (None, "") for v in values):
            continue
        result.append((number, dict(zip(header, values, strict=False))))
    return result


def _check_header(header, columns, name) -> None:
    unknown = [c for c in header if c and c not in columns]
    if unknown:
        raise TemplateError(
            f"{name} has columns Heard does not know: {', '.join(unknown)}. "
            "Write a fresh template with `heard import --template DIR`."
        )
    if "reference" not in header:
        raise TemplateError(f"{name} has no reference column.")


def _text(value) -> str:
    if value.__class__ is str:  # every CSV cell: the common case first
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value):
    text = _text(value)
    if not text:
        return None
    day_month_year = text.split("/")
    if len(day_month_year) == 3 and all(p.strip().isdigit() for p in day_month_year):
        day, month, year = (p.strip() for p in day_month_year)
        # Written the British way: as ISO, so an impossible date is reported as such.
        return f"{year.zfill(4)}-{month.zfill(2)}-{day.zfill(2)}"
    return text  # ISO, or wrong: the exchange format says which


def _bool(value):
    text = _text(value).lower()
    if text == "":
        return None
    return {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False,
            "false": False, "0": False}.get(text, text)  # fmt: skip


def _records(cases, parts, cases_name, parts_name) -> list[tuple[str, dict]]:
    parts_by_reference = _parts_by_reference(parts)
    known = {_text(row.get("reference")) for _, row in cases}
    _check_orphans(parts_by_reference, known, cases_name, parts_name)
    records = []
    for number, row in cases:
        raw = {k: row.get(k) for k in CASE_COLUMNS}
        records.append((f"{cases_name} row {number}", _case(raw, parts_by_reference)))
    return records


def _parts_by_reference(parts) -> dict[str, list[tuple[int, dict]]]:
    """Parts rows by case reference, each keeping only its non-empty cells (a big parts
    file is held while the cases are read)."""
    by_reference = defaultdict(list)
    for number, row in parts:
        cells = {k: v for k, v in row.items() if k in PART_COLUMNS and v not in (None, "")}
        by_reference[_text(row.get("reference"))].append((number, cells))
    return by_reference


def _check_orphans(parts_by_reference, known, cases_name, parts_name) -> None:
    orphans = [
        f"{parts_name} row {rows[0][0]}: there is no case {reference!r} in {cases_name}"
        for reference, rows in parts_by_reference.items()
        if reference not in known
    ]
    if orphans:
        raise TemplateError("\n".join(orphans))


def _list(value) -> list[str]:
    """Values separated by semicolons, each once, in order."""
    items = (" ".join(item.split()) for item in _text(value).split(";"))
    return list(dict.fromkeys(item for item in items if item))


def _or_none(value):
    text = _text(value)
    return text or None


def _case(row: dict, parts_by_reference) -> dict:
    kind = _text(row["kind"])
    record = {
        "reference": _text(row["reference"]),
        "kind": kind,
        "status": _text(row["status"]) or "open",
        "received_on": _date(row["received_on"]),
        "channel": _or_none(row["channel"]),
        "procedure": _or_none(row["procedure"]),
        "triage_reason": _text(row["triage_reason"]),
        "complainant": {
            "name": _text(row["complainant_name"]),
            "email": _text(row["complainant_email"]),
            "phone": _text(row["complainant_phone"]),
            "address": _text(row["complainant_address"]),
            "postcode": _text(row["complainant_postcode"]),
            "role": _or_none(row["complainant_role"]),
            "under_18": _bool(row["under_18"]),
            "looked_after": _bool(row["looked_after"]),
        },
        "child_name": _text(row["child_name"]),
        "child_consent": _text(row["child_consent"]) or "not_needed",
        "representative_type": _or_none(row["representative_type"]),
        "representative_name": _text(row["representative_name"]),
        "advocate_offered": _bool(row["advocate_offered"]),
        "advocate_accepted": _bool(row["advocate_accepted"]),
        "service_area": _or_none(row["service_area"]),
        "locality": _or_none(row["locality"]),
        "categories": [c.strip() for c in _text(row["categories"]).split(";") if c.strip()],
        "summary": _text(row["summary"]),
        "desired_outcome": _text(row["desired_outcome"]),
        "staff_complained_about": _list(row["staff_complained_about"]),
        "staff_complained_about_names": _list(row["staff_complained_about_names"]),
        "allocated_to": _or_none(row["allocated_to"]),
        "linked_reference": _or_none(row["linked_reference"]),
        "enquiry_source": _or_none(row["enquiry_source"]),
        "resolution": _or_none(row["resolution"]),
        "resolution_reason": _text(row["resolution_reason"]),
        "closed_on": _date(row["closed_on"]),
    }
    equality = {q: _or_none(row[f"equality_{q}"]) for q in EQUALITY}
    if any(equality.values()):
        record["equality"] = equality
    if kind == "information_request":
        record["information_request"] = {
            "request_type": _text(row["request_type"]),
            "requester": _or_none(row["disclosure_requester"]),
            "outcome": _or_none(row["information_outcome"]),
        }
    if kind == "ombudsman":
        record["ombudsman"] = {
            "reference": _text(row["lgsco_reference"]),
            "enquiry_type": _or_none(row["lgsco_enquiry_type"]),
            "reply_due": _date(row["lgsco_reply_due"]),
            "decision": _or_none(row["lgsco_decision"]),
            "decision_on": _date(row["lgsco_decision_on"]),
        }
    if kind == "compliment":
        record["compliment"] = {
            "staff_named": _text(row["staff_named"]),
            "source": _or_none(row["compliment_source"]),
            "quote": _text(row["quote"]),
            "quote_publishable": bool(_bool(row["quote_publishable"])),
        }
    parts = parts_by_reference.get(record["reference"], [])
    record["parts"] = [
        {"number": _text(p.get("number")), "summary": _text(p.get("summary")),
         "category": _or_none(p.get("category"))}
        for _, p in parts
    ]  # fmt: skip
    stages = []
    for n in (1, 2, 3):
        if not _text(row[f"stage{n}_requested_on"]):
            continue
        findings = {
            _text(p.get("number")): _text(p.get(f"stage{n}_finding"))
            for _, p in parts
            if _text(p.get(f"stage{n}_finding"))
        }
        stages.append({
            "number": n,
            "requested_on": _date(row[f"stage{n}_requested_on"]),
            "acknowledged_on": _date(row[f"stage{n}_acknowledged_on"]),
            "extended_to": _or_none(row[f"stage{n}_extended_to"]),
            "responded_on": _date(row[f"stage{n}_responded_on"]),
            "outcome": _or_none(row[f"stage{n}_outcome"]),
            "late_reason": _or_none(row[f"stage{n}_late_reason"]),
            "responder": _or_none(row[f"stage{n}_responder"]),
            "investigating_officer_fee": _or_none(row[f"stage{n}_investigating_officer_fee"]),
            "independent_person_fee": _or_none(row[f"stage{n}_independent_person_fee"]),
            "report_received_on": _date(row[f"stage{n}_report_received_on"]),
            "panel_on": _date(row[f"stage{n}_panel_on"]),
            "adjudication_on": _date(row[f"stage{n}_adjudication_on"]),
            "findings": findings,
        })  # fmt: skip
    record["stages"] = stages
    return record


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def case_row(record: dict) -> dict[str, str]:
    """An exchange record as a row of the cases template (ISO dates, yes/no, lists joined by
    semicolons): the inverse of reading a row, for what the template carries."""
    person = record.get("complainant") or {}
    equality = record.get("equality") or {}
    request = record.get("information_request") or {}
    ombudsman = record.get("ombudsman") or {}
    compliment = record.get("compliment") or {}
    row = {
        "reference": record["reference"], "kind": record["kind"], "status": record["status"],
        "received_on": record["received_on"], "channel": record.get("channel"),
        "procedure": record.get("procedure"), "triage_reason": record.get("triage_reason"),
        "complainant_name": person.get("name"), "complainant_email": person.get("email"),
        "complainant_phone": person.get("phone"), "complainant_address": person.get("address"),
        "complainant_postcode": person.get("postcode"), "complainant_role": person.get("role"),
        "under_18": person.get("under_18"), "looked_after": person.get("looked_after"),
        "child_name": record.get("child_name"), "child_consent": record.get("child_consent"),
        "representative_type": record.get("representative_type"),
        "representative_name": record.get("representative_name"),
        "advocate_offered": record.get("advocate_offered"),
        "advocate_accepted": record.get("advocate_accepted"),
        "service_area": record.get("service_area"), "locality": record.get("locality"),
        "categories": ";".join(record.get("categories") or []),
        "summary": record.get("summary"), "desired_outcome": record.get("desired_outcome"),
        "staff_complained_about": ";".join(record.get("staff_complained_about") or []),
        "staff_complained_about_names": ";".join(
            record.get("staff_complained_about_names") or []
        ),
        **{f"equality_{q}": equality.get(q) for q in EQUALITY},
        "allocated_to": record.get("allocated_to"),
        "linked_reference": record.get("linked_reference"),
        "enquiry_source": record.get("enquiry_source"),
        "request_type": request.get("request_type"),
        "disclosure_requester": request.get("requester"),
        "information_outcome": request.get("outcome"),
        "lgsco_reference": ombudsman.get("reference"),
        "lgsco_enquiry_type": ombudsman.get("enquiry_type"),
        "lgsco_reply_due": ombudsman.get("reply_due"),
        "lgsco_decision": ombudsman.get("decision"),
        "lgsco_decision_on": ombudsman.get("decision_on"),
        "staff_named": compliment.get("staff_named"),
        "compliment_source": compliment.get("source"), "quote": compliment.get("quote"),
        "quote_publishable": compliment.get("quote_publishable") if compliment else None,
        "resolution": record.get("resolution"),
        "resolution_reason": record.get("resolution_reason"),
        "closed_on": record.get("closed_on"),
    }  # fmt: skip
    stages = {stage["number"]: stage for stage in record.get("stages") or []}
    for n in (1, 2, 3):
        stage = stages.get(n, {})
        for column in STAGE_COLUMNS:
            row[f"stage{n}_{column}"] = stage.get(column)
    return {column: _cell(row[column]) for column in CASE_COLUMNS}


def part_rows(record: dict) -> list[dict[str, str]]:
    """A record's parts as rows of the parts template, with each stage's finding."""
    findings = {
        stage["number"]: stage.get("findings") or {} for stage in record.get("stages") or []
    }
    rows = []
    for part in record.get("parts") or []:
        row = {
            "reference": record["reference"], "number": part["number"],
            "summary": part["summary"], "category": part.get("category"),
        }  # fmt: skip
        for n in (1, 2, 3):
            found = findings.get(n, {})
            row[f"stage{n}_finding"] = found.get(part["number"], found.get(str(part["number"])))
        rows.append({column: _cell(row[column]) for column in PART_COLUMNS})
    return rows
