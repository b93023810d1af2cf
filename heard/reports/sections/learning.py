"""Learning from cases: lessons recorded on the cases dealt with in the year, by category;
how their action plans stood at the year's end; and the lessons the council may publish.

Figures are as at the end of the year: learning recorded, and actions completed or signed
off, after the year's end are ignored, so a report gives the same figures whenever it is run.
Only lessons marked publishable are ever printed.
"""

from __future__ import annotations

from collections import Counter

from heard.reports import narrative
from heard.reports.context import ReportContext
from heard.reports.data import ActionFacts, LearningFacts
from heard.reports.document import Chart, Column, Item, Row, Section, Table
from heard.reports.measures import ROUNDING_NOTE, percent

TITLE = "Learning from complaints"

NOT_RECORDED = "not-recorded"

#: Action rows: key and label.
ACTION_ROWS = [
    ("on-time", "Completed on time"),
    ("late", "Completed late"),
    ("not-yet-due", "Open, not yet due"),
    ("overdue", "Overdue at year end"),
]
SIGNED_OFF = ("signed-off", "Signed off")


def build(ctx: ReportContext) -> Section:
    categories = by_category(ctx)
    actions_table = actions(ctx)
    return Section(
        id="learning",
        title=TITLE,
        narrative=draft(ctx, categories, actions_table),
        tables=[categories, actions_table],
        items=lessons(ctx),
        items_title="What we learned",
    )


def recorded(ctx: ReportContext) -> list[LearningFacts]:
    """Learning recorded by the year's end on cases dealt with in the year."""
    end = ctx.year.end
    return [
        learning
        for case in ctx.dealt_with(None)
        for learning in case.learning
        if learning.recorded_on <= end
    ]


def by_category(ctx: ReportContext) -> Table:
    found = recorded(ctx)
    counts = Counter(learning.category_id for learning in found)
    whole = len(found)
    rows = [
        Row(t.code, t.label, {"count": counts[t.id], "percent": percent(counts[t.id], whole)})
        for t in ctx.data.terms_of("learning_category")
    ]
    if counts[None]:
        cells = {"count": counts[None], "percent": percent(counts[None], whole)}
        rows.append(Row(NOT_RECORDED, "Not recorded", cells))
    rows.append(Row("total", "Total", {"count": whole, "percent": percent(whole, whole)},
                    total=True))  # fmt: skip
    return Table(
        id="learning.by_category",
        title="Learning by category",
        columns=[
            Column("label", "Category", "label"),
            Column("count", "Learning recorded"),
            Column(
                "percent", "% of learning", "percent", of="of learning recorded", source="count"
            ),
        ],  # fmt: skip
        rows=rows,
        selection=(
            f"Learning recorded by {ctx.year.end:%-d %B %Y} on cases dealt with in {ctx.year.label}"
        ),
        notes=[ROUNDING_NOTE],
        chart=Chart("bar", "Learning by category", ["count"]),
    )


def action_status(action: ActionFacts, ctx: ReportContext) -> str:
    """One of the ACTION_ROWS keys, as the action stood at the end of the year."""
    end = ctx.year.end
    if action.completed_on is not None and action.completed_on <= end:
        return "on-time" if action.completed_on <= action.due_on else "late"
    return "overdue" if action.due_on <= end else "not-yet-due"


def selected_actions(ctx: ReportContext) -> list[ActionFacts]:
    """Actions due in the year, or still open at its end."""
    year = ctx.year
    return [
        action
        for learning in recorded(ctx)
        for action in learning.actions
        if year.contains(action.due_on)
        or action.completed_on is None
        or action.completed_on > year.end
    ]


def actions(ctx: ReportContext) -> Table:
    chosen = selected_actions(ctx)
    whole = len(chosen)
    counts = Counter(action_status(a, ctx) for a in chosen)
    signed = sum(1 for a in chosen if a.signed_off_on and a.signed_off_on <= ctx.year.end)
    rows = [Row(key, label, {"count": counts[key], "percent": percent(counts[key], whole)})
            for key, label in ACTION_ROWS]  # fmt: skip
    rows.append(Row("total", "All actions", {"count": whole, "percent": percent(whole, whole)},
                    total=True))  # fmt: skip
    rows.append(Row(*SIGNED_OFF, {"count": signed, "percent": percent(signed, whole)}))
    return Table(
        id="learning.actions",
        title="Actions from learning",
        columns=[
            Column("label", "Actions", "label"),
            Column("count", "Actions"),
            Column("percent", "% of actions", "percent", of="of actions", source="count"),
        ],
        rows=rows,
        selection=(
            f"Actions from that learning that were due in {ctx.year.label} or still open at "
            f"{ctx.year.end:%-d %B %Y}"
        ),
        notes=[
            "Completed on time: completed on or before the date it was due. Signed off is "
            "counted separately: a completed action may still await sign-off.",
            ROUNDING_NOTE,
        ],
    )


def lessons(ctx: ReportContext) -> list[Item]:
    """Lessons marked publishable, each once, with their category."""
    items, seen = [], set()
    for learning in recorded(ctx):
        text = learning.lesson.strip()
        if not (learning.publishable and text) or text in seen:
            continue
        seen.add(text)
        category = ctx.data.term(learning.category_id)
        items.append(Item(text, category.label if category else ""))
    return items


def draft(ctx: ReportContext, categories: Table, actions_table: Table) -> str:
    total = categories.cell("total", "count")
    if not total:
        return f"No learning was recorded on the cases dealt with in {ctx.year.label}."
    sentences = [
        f"{narrative.plural(total, 'lesson')} {'was' if total == 1 else 'were'} recorded on "
        f"the cases dealt with in {ctx.year.label}.",
        narrative.largest(categories, "count", "lessons"),
    ]
    n = actions_table.cell("total", "count")
    if n:
        on_time, overdue = (
            actions_table.cell("on-time", "count"),
            actions_table.cell("overdue", "count"),
        )
        sentences.append(
            f"Of {narrative.plural(n, 'action')}, {on_time:,} {'was' if on_time == 1 else 'were'} "
            f"completed on time and {overdue:,} {'was' if overdue == 1 else 'were'} overdue at "
            "the year's end."
        )
    return " ".join(sentences)
