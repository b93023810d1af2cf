"""The demo council's annual report as a committee reads it: the PDF read back page by page
(pdfplumber), every chart's labels, and the Word file's structure.

The demo council is built once for the module (its usual 2,000 cases) and the report laid out
once; the import is rolled back afterwards."""

import datetime
import io

import pdfplumber
import pytest
from django.core.management import call_command
from django.db import transaction
from docx import Document as WordDocument
from docx.oxml.ns import qn
from pdfminer.pdftypes import resolve1

from heard.reports import annual
from heard.reports.render import FORMATS, charts

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)
YEAR = 2025  # April 2025 to March 2026, the last complete year on TODAY
MAX_PAGES = 40
#: The page margins of reports/report.css, in points: portrait 1.6 cm at the sides,
#: landscape 1.5 cm.
CM = 72 / 2.54
SIDE_MARGIN = {"portrait": 1.6 * CM, "landscape": 1.5 * CM}
#: How far (points) a character may reach into the margin: glyph boxes overhang a little.
SLACK = 1.0


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo council's annual report: the document, its PDF and its Word file."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", today=TODAY, stdout=io.StringIO())
        report = annual.build(YEAR, today=TODAY)
        built = {
            "report": report,
            "pdf": FORMATS["pdf"].render(report),
            "docx": FORMATS["docx"].render(report),
        }
        transaction.set_rollback(True)
    return built


def test_no_character_of_the_pdf_lies_outside_the_page_margins(demo):
    outside = []
    with pdfplumber.open(io.BytesIO(demo["pdf"])) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            margin = SIDE_MARGIN["landscape" if page.width > page.height else "portrait"]
            left, right = margin - SLACK, page.width - margin + SLACK
            for char in page.chars:
                if (
                    char["x0"] < left
                    or char["x1"] > right
                    or char["top"] < 0
                    or (char["bottom"] > page.height)
                ):
                    outside.append((number, char["text"]))
    assert not outside, f"{len(outside)} characters outside the margins: {outside[:20]}"


def test_the_report_comes_to_40_pages_or_fewer_with_the_summary_first(demo):
    with pdfplumber.open(io.BytesIO(demo["pdf"])) as pdf:
        assert len(pdf.pages) <= MAX_PAGES
        text = "\n".join(page.extract_text() or "" for page in pdf.pages[:3])
    assert demo["report"].sections[0].id == "summary"
    assert "Executive summary" in text and "Headline figures" in text


def test_the_pdf_is_tagged_with_its_language_and_title(demo):
    with pdfplumber.open(io.BytesIO(demo["pdf"])) as pdf:
        catalog = pdf.doc.catalog
        assert "StructTreeRoot" in catalog
        assert resolve1(catalog["MarkInfo"])["Marked"] is True
        assert resolve1(catalog["Lang"]).decode() == "en-GB"
        assert demo["report"].title in pdf.metadata["Title"]


def _figures(node) -> list[dict]:
    """The ``Figure`` elements of a PDF's structure tree under ``node``."""
    node = resolve1(node)
    if isinstance(node, list):
        return [found for child in node for found in _figures(child)]
    if not isinstance(node, dict):
        return []
    kind = resolve1(node.get("S"))
    here = [node] if getattr(kind, "name", None) == "Figure" else []
    return here + (_figures(node["K"]) if "K" in node else [])


def test_every_chart_is_in_the_pdf_as_drawing_with_its_alt_text(demo):
    """The charts are SVG, drawn by WeasyPrint as vectors (no picture decoded and compressed
    again), each a tagged figure whose alternative text names its table."""
    expected = [
        charts.alt_text(table) for table in demo["report"].tables() if charts.has_chart(table)
    ]
    assert expected
    with pdfplumber.open(io.BytesIO(demo["pdf"])) as pdf:
        assert not [image for page in pdf.pages for image in page.images]
        figures = _figures(pdf.doc.catalog["StructTreeRoot"])
        alts = [resolve1(figure["Alt"]) for figure in figures if "Alt" in figure]
    assert len(figures) == len(expected)
    assert [_pdf_text(alt) for alt in alts] == expected


def _pdf_text(value: bytes) -> str:
    """A PDF text string: UTF-16 after its byte-order mark, else PDFDocEncoding (ASCII here)."""
    return value.decode("utf-16") if value.startswith(b"\xfe\xff") else value.decode("latin-1")


def test_every_chart_is_legible(demo):
    report = demo["report"]
    drawn = [table for table in report.tables() if charts.has_chart(table)]
    assert drawn
    for table in report.tables():
        rows = [row for row in table.rows if not row.total]
        if not rows:
            assert not charts.has_chart(table), f"{table.id}: a chart of an empty table"
        if rows and all(row.key == "not-recorded" for row in rows):
            assert not charts.has_chart(table), f"{table.id}: a chart of Not recorded alone"
    width = charts.WIDTH_INCHES * charts.DPI  # pixels
    for table in drawn:
        boxes = charts.label_boxes(table)
        title = table.chart.title
        # The title is the topmost text that says it (an axis or legend may say it too).
        box = max((b for text, b in boxes if text == title or _shortened(text, title)),
                  key=lambda b: b[3])  # fmt: skip
        assert box[0] >= 0 and box[2] <= width, f"{table.id}: the title is cut off: {title!r}"
        for i, (text, a) in enumerate(boxes):
            for other, b in boxes[i + 1 :]:
                overlaps = (
                    a[0] < b[2] - 0.5
                    and b[0] < a[2] - 0.5
                    and (a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5)
                )
                assert not overlaps, f"{table.id}: {text!r} overlaps {other!r}"


def _shortened(text: str, title: str) -> bool:
    return text.endswith("…") and title.startswith(text[:-1])


def test_the_word_file_marks_headings_and_table_header_rows(demo):
    word = WordDocument(io.BytesIO(demo["docx"]))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings[0] == "Executive summary"
    assert [s.title for s in demo["report"].sections] == headings[: len(demo["report"].sections)]
    assert len(word.tables) == len(demo["report"].tables())
    for table in word.tables:
        first = table.rows[0]._tr
        assert first.find(qn("w:trPr")) is not None
        assert first.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
