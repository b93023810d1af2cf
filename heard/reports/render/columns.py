"""How wide each column of a report table is printed in the PDF.

Left to itself (``table-layout: auto``), WeasyPrint finds each column's width by laying out
every cell twice more, at its narrowest and at its widest, before laying it out for real: half
of making a report's PDF went on it. Here the same widths are worked out from the cells' text
and the font's own advance widths (read once from the font file with fontTools, which
WeasyPrint itself uses), and the PDF's tables are laid out ``fixed`` at those widths.

The widths follow the rule an automatic layout uses: every column gets at least its longest
word (its figure, for a column of figures, which never wraps), and the room left over goes to
the columns whose text would otherwise wrap, in proportion to how much more they would need to
sit on one line. A table whose words cannot all fit gets no widths (``None``) and is laid out
automatically as before, so that nothing is ever cut off for the sake of speed.
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
from dataclasses import dataclass

from heard.reports.document import Table
from heard.reports.render import cells

logger = logging.getLogger(__name__)

#: The print stylesheet's measures (reports/report.css), in points.
CM = 72 / 2.54
REM = 9.5  # the root font size in print
PAGE_WIDTH = {"portrait": (21.0 - 2 * 1.6) * CM, "landscape": (29.7 - 2 * 1.5) * CM}
FONT_SIZE = {"normal": 8.0, "dense": 7.0}
GAP = {"normal": 0.6 * REM, "dense": 0.35 * REM}  # a cell's right padding (none on the last)
INDENT = {1: 1.25 * REM, 2: 2.5 * REM}  # a row heading's left padding, by level
#: Measured text is widened by this much, and a point added, so that rounding and kerning
#: never make a word a hair too wide for the room it was given.
SAFETY = 1.04

#: The family the stylesheet asks for first that this machine has (Arial is metrically the
#: same as Liberation Sans, which Debian puts in its place).
FONT = "Arial"
#: Em widths for any character the font file does not give (or with no font file at all):
#: generous, so that a column is a little wide rather than too narrow.
FALLBACK_EM = 0.62


@dataclass(frozen=True)
class Widths:
    """A table's column widths, as percentages of its width summing to 100."""

    percentages: list[float]
    #: Every word of the column headings fits whole: none needs hyphenating.
    whole_headings: bool


def column_widths(table: Table) -> Widths | None:
    """The share of the table's width each column of ``table`` takes in the PDF, or ``None``
    when its words cannot all fit the page and it is laid out automatically instead."""
    if not table.columns:
        return None
    style = "dense" if cells.is_dense(table) else "normal"
    room = PAGE_WIDTH["landscape" if cells.is_wide(table) else "portrait"]
    narrowest, widest, headings = [], [], []
    last = len(table.columns) - 1
    for index, column in enumerate(table.columns):
        low, high, heading = _column_range(table, column, FONT_SIZE[style])
        gap = (0.0 if index == last else GAP[style]) + 1
        narrowest.append(low * SAFETY + gap)
        widest.append(max(high, heading[1]) * SAFETY + gap)
        headings.append(heading[0] * SAFETY + gap)
    # A heading's words are kept whole if they can be; if not, a heading may break inside a
    # word (as the stylesheet allows), but a row's words and figures never do.
    with_headings = [max(low, heading) for low, heading in zip(narrowest, headings, strict=True)]
    whole_headings = sum(with_headings) <= room
    if whole_headings:
        narrowest = with_headings
    elif sum(narrowest) > room:
        return None
    if sum(widest) <= room:
        widths = [width * room / sum(widest) for width in widest]
    else:
        spare = room - sum(narrowest)
        wanted = [high - low for low, high in zip(narrowest, widest, strict=True)]
        widths = [
            low + spare * want / sum(wanted) for low, want in zip(narrowest, wanted, strict=True)
        ]
    return Widths([round(100 * width / room, 3) for width in widths], whole_headings)


def _column_range(table: Table, column, size: float):
    """A column's narrowest and widest text (points) in its rows, and its heading's longest
    word and whole width: a row heading or text wraps between words, a figure never."""
    low = high = 0.0
    numeric = cells.is_numeric(column)
    for row in table.rows:
        if column.kind == "label":
            indent = INDENT.get(row.level, 0.0)
            word, line = _text_range(row.label, size, bold=row.total)
            low, high = max(low, word + indent), max(high, line + indent)
            continue
        text = cells.format_cell(row.cells.get(column.key), column)
        if numeric:
            word = line = _width(text, size, bold=row.total)
        else:
            word, line = _text_range(text, size, bold=row.total)
        low, high = max(low, word), max(high, line)
    return low, high, _text_range(column.label, size, bold=True)


def _text_range(text: str, size: float, bold: bool) -> tuple[float, float]:
    """The width of the longest word of ``text`` and of the whole of it on one line."""
    words = text.split()
    if not words:
        return 0.0, 0.0
    return max(_width(word, size, bold) for word in words), _width(" ".join(words), size, bold)


def _width(text: str, size: float, bold: bool) -> float:
    """``text``'s width in points at ``size`` points, in the report's font."""
    advances = _advances(bold)
    return size * sum(advances.get(char, FALLBACK_EM) for char in text)


@functools.cache
def _advances(bold: bool) -> dict[str, float]:
    """{character: advance width in ems} of the font the PDF prints tables in, or an empty
    mapping (every character then counts as ``FALLBACK_EM``) if it cannot be read."""
    path = _font_file(f"{FONT}:bold" if bold else FONT)
    if not path:
        return {}
    try:
        from fontTools.ttLib import TTFont

        font = TTFont(path, lazy=True)
        units = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        return {
            chr(code): metrics[glyph][0] / units
            for code, glyph in font.getBestCmap().items()
            if glyph in metrics
        }
    except Exception as error:  # a broken or unexpected font file: measure generously
        logger.warning("Cannot read the widths of %s (%s); estimating them.", path, error)
        return {}


def _font_file(pattern: str) -> str:
    """The file fontconfig gives for ``pattern``, as WeasyPrint (through Pango) would."""
    command = shutil.which("fc-match")
    if not command:
        return ""
    try:
        found = subprocess.run(  # noqa: S603 (fc-match from PATH, a fixed pattern)
            [command, "--format=%{file}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return found.stdout.strip()
