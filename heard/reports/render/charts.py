"""Charts drawn with matplotlib from a table that has a ``chart``: SVG for the PDF, PNG for
the report page and the Word file.

Every chart is drawn from its table alone, and the table is printed beside it, so the figures
are never only in a picture. The colours are the Okabe–Ito palette, which readers with the
common colour-vision deficiencies can tell apart; bars also get a dark outline, and bar
charts carry their figures as labels.

How a table becomes a chart (``chart.series`` names columns of the table):

- ``bar``: the rows are the categories, listed top to bottom as in the table, with one bar per
  series column (grouped when there are several).
- ``stacked-bar``: one bar per row, made of the series columns stacked (for example a team's
  complaints split by outcome), with the row's total at the end.
- ``line``: the rows run along the horizontal axis, in the table's order (so the rows are
  the years or the months), and each series column is one line.

Total rows are left out when ``chart.exclude_totals`` (the default). Suppressed (``[c]``) and
empty cells are drawn as nothing: no bar, a gap in the line.

Each chart is drawn once per format and kept (see :func:`render`). The PDF takes SVG, with
its text kept as text in the font matplotlib measured it in (DejaVu Sans): WeasyPrint draws it
as vectors, with nothing rasterised by matplotlib and then decoded and compressed again by
WeasyPrint, and the text stays sharp at any size. Word cannot show SVG on its own, so the Word
file and the report page take the PNG, encoded once at ``DPI`` (about 180 pixels per inch at
the 16 cm the Word file prints it).
"""

from __future__ import annotations

import hashlib
import io
import json
import textwrap
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass

from heard.reports.document import SUPPRESSED, Table

#: Okabe & Ito (2008), "Color universal design", starting with the most distinct colours.
PALETTE = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermilion
    "#F0E442",  # yellow
    "#000000",  # black
]
OUTLINE = "#0b0c0c"
KIND_NAMES = {"bar": "Bar chart", "stacked-bar": "Stacked bar chart", "line": "Line chart"}

WIDTH_INCHES = 7.5
DPI = 150
FONT_SIZE = 10
LABEL_WIDTH = 32  # characters before a category label wraps
LABEL_LINES = 2  # lines of a category label at most
#: A chart of more rows than this is hard to read and long to print: the table says it
#: better on its own.
MAX_ROWS = 16
CHAR = 0.075  # inches: the average width of a character at FONT_SIZE
LINE = 0.2  # inches: a line of text at FONT_SIZE
TOP = 0.45  # inches above the plot, for the title
TITLE_INDENT = 0.1  # inches from the picture's edges to the title
TITLE_CHAR = CHAR * 1.35  # inches: a character of a title (bold, two points larger)


def has_chart(table: Table) -> bool:
    """Whether ``table`` asks for a chart and has something to draw: a chart of nothing but
    zeros tells a reader nothing the table does not."""
    chart = table.chart
    if chart is None or not chart.series:
        return False
    if not set(chart.series) <= {column.key for column in table.columns}:
        return False  # a chart of columns the table does not have
    if len(_rows(table)) > MAX_ROWS:
        return False
    drawn = [
        row
        for row in _rows(table)
        if any((_value(row.cells.get(key)) or 0) > 0 for key in chart.series)
    ]
    # A chart of nothing, or of nothing but "Not recorded", tells a reader nothing the table
    # does not.
    return any(row.key not in NOT_RECORDED_KEYS for row in drawn)


#: Row keys of figures whose category was not recorded.
NOT_RECORDED_KEYS = frozenset({"not-recorded", "not_recorded"})


def label_boxes(table: Table) -> list[tuple[str, tuple[float, float, float, float]]]:
    """(text, (x0, y0, x1, y1) in pixels) of every piece of text the chart of ``table``
    draws: title, axis labels, tick labels, figures on bars and legend entries, so that a
    test can check that none overlaps another."""
    import matplotlib

    with _DRAWING, matplotlib.rc_context(PLAIN_TEXT):
        figure = _figure(table)
        figure.canvas.draw()  # lays out the legend and the tick labels as they are drawn
        renderer = figure.canvas.get_renderer()
        boxes = []
        for text in figure.findobj(matplotlib.text.Text):
            if not text.get_visible() or not text.get_text().strip():
                continue
            extent = text.get_window_extent(renderer)
            boxes.append((text.get_text(), (extent.x0, extent.y0, extent.x1, extent.y1)))
        return boxes


def alt_text(table: Table) -> str:
    chart = table.chart
    assert chart is not None
    kind = KIND_NAMES.get(chart.kind, "Chart")
    return f"{kind}: {chart.title}. The figures are in the table “{table.title}”."


#: Charts already drawn, by a digest of their table: drawing is by far the slowest part of
#: showing a report page, and the same figures are shown again and again (every user, every
#: edition preview). Bounded, so a long-running server does not grow without limit.
_DRAWN: OrderedDict[str, bytes] = OrderedDict()
_DRAWN_LIMIT = 512
_LOCK = threading.Lock()
_DRAWING = threading.Lock()


#: How long a drawn chart is kept in the ``reports`` cache (seconds): a chart is a function of
#: its table alone, so it never goes stale, only unused.
KEEP_DRAWN = 24 * 60 * 60


#: The formats a chart is drawn in: {name: (content type, matplotlib settings)}. SVG text
#: stays text ("none"): as glyph outlines it is twice the size and WeasyPrint takes three
#: times as long to draw it.
FORMATS = {
    "png": ("image/png", {}),
    "svg": ("image/svg+xml", {"svg.fonttype": "none", "svg.hashsalt": "heard"}),
}


def render(table: Table, fmt: str = "png") -> bytes:
    """The chart of ``table`` as a PNG or SVG image (``fmt``), drawn once for the same figures
    and labels in each format.

    Kept in this process and in Django's ``reports`` cache, which the server's processes and
    ``heard worker`` share: the charts the report page showed are not drawn again for its Word
    download, nor by the next process that shows them."""
    if fmt not in FORMATS:
        raise ValueError(f"Charts are drawn as {' or '.join(FORMATS)}, not {fmt!r}.")
    figures = json.dumps(asdict(table), sort_keys=True, default=str).encode("utf-8")
    digest = f"{fmt}:{hashlib.sha256(figures).hexdigest()}"
    with _LOCK:
        if digest in _DRAWN:
            _DRAWN.move_to_end(digest)
            return _DRAWN[digest]
    from django.core.cache import caches

    shared = caches["reports"]
    image = shared.get(f"chart:{digest}")
    if image is None:
        image = _draw(table, fmt)
        shared.set(f"chart:{digest}", image, KEEP_DRAWN)
    with _LOCK:
        _DRAWN[digest] = image
        if len(_DRAWN) > _DRAWN_LIMIT:
            _DRAWN.popitem(last=False)
    return image


def forget_drawn() -> None:
    """Forget the charts drawn in this process (not those in the shared cache): for
    measuring how long drawing takes."""
    with _LOCK:
        _DRAWN.clear()


#: Text in a chart is the council's and staff's own words, printed as typed: never read as
#: TeX. Left on, matplotlib reads the text between two ``$`` as mathematics, so that "Spend
#: $5 to $10" comes out in italics without its dollars, and "a $_$ b" cannot be drawn at all
#: (a custom table's name with it used to break its chart, its PDF and any edition holding
#: it). Set for every chart, around everything that makes or draws text (tick labels are
#: made when the figure is saved).
PLAIN_TEXT = {"text.parse_math": False, "text.usetex": False}


def _draw(table: Table, fmt: str = "png") -> bytes:
    """The chart of ``table`` as a PNG or SVG image, every label and title as plain text."""
    import matplotlib

    # rc_context changes matplotlib's settings for the whole process, so charts are drawn
    # one at a time (drawing holds the interpreter lock almost throughout anyway).
    with _DRAWING, matplotlib.rc_context({**PLAIN_TEXT, **FORMATS[fmt][1]}):
        return _draw_plain(table, fmt)


def _draw_plain(table: Table, fmt: str) -> bytes:
    figure = _figure(table)
    buffer = io.BytesIO()
    # No date in the file: the same figures always make the same bytes.
    metadata = {"Date": None} if fmt == "svg" else None
    figure.savefig(buffer, format=fmt, dpi=DPI, facecolor="white", metadata=metadata)
    return buffer.getvalue()


def _figure(table: Table):
    """The chart of ``table`` as a matplotlib figure, laid out and ready to draw."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    chart = table.chart
    if chart is None:
        raise ValueError(f"Table {table.id} has no chart.")
    rows = _rows(table)
    series = [table.column(key) for key in chart.series]
    labels = [_wrap(row.label) for row in rows]
    cells = [[row.cells.get(column.key) for column in series] for row in rows]

    # Margins are worked out from the length of the labels rather than by matplotlib's
    # constrained layout, which draws every chart twice and so doubles the time it takes.
    if chart.kind == "line":
        layout = _line_layout(labels, series)
    else:
        layout = _bar_layout(labels, series, per_row=len(series) if chart.kind == "bar" else 1)
    figure = Figure(figsize=(WIDTH_INCHES, layout.height), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.subplots_adjust(
        left=layout.left / WIDTH_INCHES,
        right=1 - layout.right / WIDTH_INCHES,
        top=1 - TOP / layout.height,
        bottom=layout.bottom / layout.height,
    )
    axes = figure.add_subplot()
    # The title at a fixed height (y=1, just above the plot): left to find its own, matplotlib
    # measures every tick label to keep it clear of labels along the top, which charts here
    # never have, a tenth of drawing a chart. A bar chart's title starts at the picture's left
    # edge, not the plot's (which long row labels push right), so that a long title is not cut
    # off at the right; a line chart's over the plot, clear of the figures up its side. One
    # too long even so ends in "…" (the table beneath gives it in full).
    start = layout.left if chart.kind == "line" else TITLE_INDENT
    axes.set_title(
        _title(chart.title, WIDTH_INCHES - start - TITLE_INDENT),
        fontsize=FONT_SIZE + 2,
        loc="left",
        fontweight="bold",
        x=(start - layout.left) / (WIDTH_INCHES - layout.left - layout.right),
        y=1.0,
    )
    for spine in ("top", "right"):
        axes.spines[spine].set_visible(False)
    axes.tick_params(labelsize=FONT_SIZE)

    if chart.kind == "line":
        _line(axes, labels, series, cells)
    elif chart.kind == "stacked-bar":
        _stacked(axes, labels, series, cells)
    else:
        _grouped(axes, labels, series, cells)
    if layout.legend_columns:
        figure.legend(
            fontsize=FONT_SIZE - 1,
            frameon=False,
            loc="lower center",
            bbox_to_anchor=(0.5, 0.01),
            ncols=layout.legend_columns,
        )
    elif layout.side_legend:
        figure.legend(
            fontsize=FONT_SIZE - 1, frameon=False, loc="center right", bbox_to_anchor=(0.99, 0.5)
        )
    return figure


@dataclass
class _Layout:
    """A chart's height and margins, in inches, and where its legend goes."""

    height: float
    left: float
    right: float
    bottom: float
    legend_columns: int = 0  # a legend beneath the chart, in this many columns
    side_legend: bool = False  # a legend to the right of the chart


def _longest(texts: list[str]) -> int:
    return max((len(line) for text in texts for line in text.split("\n")), default=0)


def _bar_layout(labels: list[str], series: list, per_row: int) -> _Layout:
    """Horizontal bars: the row labels on the left, a legend beneath when there are several
    series (or the column's label as the axis title when there is one)."""
    lines = sum(label.count("\n") + 1 for label in labels)
    plot = max(1.4, 0.12 * max(lines, len(labels) * per_row) + 0.15 * len(labels) + 0.2)
    # Every row at least as tall as its wrapped label, so that labels never overlap.
    tallest = max((label.count("\n") + 1 for label in labels), default=1)
    plot = max(plot, len(labels) * (0.17 * tallest + 0.06) + 0.2)
    left = min(0.3 + CHAR * _longest(labels), 0.45 * WIDTH_INCHES)
    bottom = 0.45
    columns = 0
    if len(series) == 1:
        bottom += LINE
    else:
        entry = 0.6 + CHAR * _longest([column.label for column in series])
        columns = max(1, min(len(series), int(WIDTH_INCHES // entry)))
        bottom += 0.15 + LINE * -(-len(series) // columns)
    return _Layout(TOP + plot + bottom, left, 0.25, bottom, legend_columns=columns)


def _line_layout(labels: list[str], series: list) -> _Layout:
    """Rows along the bottom, the figures up the side, a legend to the right when there are
    several series (or the column's label as the axis title when there is one)."""
    plain = [label.replace("\n", " ") for label in labels]
    left = 0.6
    if _slanted(labels):  # slanted at 35 degrees: about 0.57 of their length down, 0.82 left
        bottom = 0.35 + 0.57 * CHAR * _longest(plain)
        spacing = 0.6 * WIDTH_INCHES / len(plain)  # roughly, between one row and the next
        reach = max(0.82 * CHAR * len(label) - i * spacing for i, label in enumerate(plain))
        left = max(left, min(reach + 0.1, 0.4 * WIDTH_INCHES))
    else:
        ticks = [_wrap(label, 14) for label in plain]
        bottom = 0.3 + LINE * max((t.count("\n") + 1 for t in ticks), default=1)
    height = 3.0 + bottom
    if len(series) == 1:
        title_lines = _wrap(series[0].label, 40).count("\n") + 1
        return _Layout(height, max(left, 0.55 + LINE * title_lines), 0.3, bottom)
    right = min(0.8 + CHAR * _longest([column.label for column in series]), 0.45 * WIDTH_INCHES)
    return _Layout(height, left, right, bottom, side_legend=True)


def _slanted(labels: list[str]) -> bool:
    """Whether a line chart's row labels, wrapped, would not fit side by side."""
    widest = _longest([_wrap(label.replace("\n", " "), 14) for label in labels])
    return len(labels) * (widest * CHAR + 0.15) > WIDTH_INCHES * 0.75


def _grouped(axes, categories, series, cells) -> None:
    positions = list(range(len(categories)))
    height = 0.8 / len(series)
    for index, column in enumerate(series):
        offsets = [p - 0.4 + height * (index + 0.5) for p in positions]
        raw = [row[index] for row in cells]
        bars = axes.barh(
            offsets,
            [_value(cell) or 0 for cell in raw],
            height=height,
            color=PALETTE[index % len(PALETTE)],
            edgecolor=OUTLINE,
            linewidth=0.5,
            label=column.label,
        )
        axes.bar_label(
            bars, labels=[_figure_label(cell, column) for cell in raw], padding=2, fontsize=8
        )
    _category_axis(axes, categories, series)


def _stacked(axes, categories, series, cells) -> None:
    positions = list(range(len(categories)))
    left = [0.0] * len(categories)
    hatches = ["", "//", "..", "xx"]
    bars = None
    for index, column in enumerate(series):
        figures = [_value(row[index]) or 0 for row in cells]
        bars = axes.barh(
            positions,
            figures,
            left=left,
            height=0.7,
            color=PALETTE[index % len(PALETTE)],
            hatch=hatches[index // len(PALETTE) % len(hatches)],
            edgecolor=OUTLINE,
            linewidth=0.5,
            label=column.label,
        )
        left = [a + b for a, b in zip(left, figures, strict=True)]
    totals = [f"{total:,.0f}" if total.is_integer() else f"{total:,.1f}" for total in left]
    axes.bar_label(bars, labels=totals, padding=2, fontsize=8)
    _category_axis(axes, categories, series)


def _category_axis(axes, categories, series) -> None:
    axes.set_yticks(list(range(len(categories))), categories)
    axes.invert_yaxis()  # the first row of the table at the top
    axes.margins(x=0.12)
    axes.xaxis.grid(True, color="#dddddd", linewidth=0.5)
    axes.set_axisbelow(True)
    if len(series) == 1:
        axes.set_xlabel(series[0].label, fontsize=FONT_SIZE)


def _line(axes, categories, series, cells) -> None:
    positions = list(range(len(categories)))
    markers = ["o", "s", "^", "D", "v", "P", "X", "*"]
    for index, column in enumerate(series):
        values = [_value(row[index]) for row in cells]
        axes.plot(
            positions,
            [float("nan") if v is None else v for v in values],
            color=PALETTE[index % len(PALETTE)],
            marker=markers[index % len(markers)],
            linewidth=2,
            label=column.label,
        )
    if _slanted(categories):  # too long to sit side by side: slant them
        ticks = [label.replace("\n", " ") for label in categories]
        axes.set_xticks(positions, ticks, rotation=35, ha="right", rotation_mode="anchor")
    else:
        axes.set_xticks(positions, [_wrap(label.replace("\n", " "), 14) for label in categories])
    axes.set_ylim(bottom=0)
    if all(column.kind == "percent" for column in series):
        axes.set_ylim(top=max(100, axes.get_ylim()[1]))
    axes.margins(x=0.05)
    axes.yaxis.grid(True, color="#dddddd", linewidth=0.5)
    axes.set_axisbelow(True)
    if len(series) == 1:
        axes.set_ylabel(_wrap(series[0].label, 40), fontsize=FONT_SIZE)


def _rows(table: Table):
    chart = table.chart
    if chart is None:
        return []
    return [row for row in table.rows if not (chart.exclude_totals and row.total)]


def _value(cell) -> float | None:
    """A number to draw, or None for a suppressed, empty or text cell."""
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        return None
    return float(cell)


def _figure_label(cell, column) -> str:
    """The figure printed at the end of a bar: "[c]" where it is suppressed."""
    if cell == SUPPRESSED:
        return SUPPRESSED
    value = _value(cell)
    if value is None:
        return ""
    text = f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    return f"{text}%" if column.kind == "percent" else text


def _title(title: str, inches: float) -> str:
    """``title`` on one line ``inches`` wide, shortened with "…" if it is too long."""
    fits = int(inches / TITLE_CHAR)
    if len(title) <= fits:
        return title
    return title[: fits - 1].rstrip() + "…"


def _wrap(label: str, width: int = LABEL_WIDTH) -> str:
    """``label`` in lines of ``width`` characters, at most ``LABEL_LINES`` of them (the table
    beside the chart gives it in full)."""
    lines = textwrap.wrap(label, width)
    if len(lines) > LABEL_LINES:
        lines = lines[:LABEL_LINES]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return "\n".join(lines) or label
