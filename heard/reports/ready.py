"""The annual report made ready in the background after the data changes.

Opening the annual report page computes the report from every case of four years unless it is
kept for the data as it is now (``heard.reports.cache``). ``heard worker`` calls
:func:`keep_annual_report_ready` once it has had no job for a few seconds, so that after a
change the report of the last complete reporting year (the one the reports page offers first),
in both modes, is computed by the worker, at the worker's lower priority, before anyone asks
for it, and its charts drawn: the page finds it kept and opens at once, with its charts.

Never stale: the report is kept under the state of the data it was computed from, so a page
asked for after a change that the worker has not caught up with yet computes the new figures
itself, as before; it never shows the old ones.
"""

from __future__ import annotations

import time

#: Seconds between two looks at the state of the data (three small queries) while idle.
LOOK_EVERY = 5.0
#: At most one round of computing per this many seconds, so that a council making changes all
#: day does not keep a processor busy recomputing a report nobody has opened yet.
AT_MOST_EVERY = 30.0


def keep_annual_report_ready(on=None) -> int:
    """Compute and keep the live annual report of the last complete reporting year, unsuppressed
    and in publication mode, unless each is already kept for the data as it is now; returns how
    many were computed."""
    from heard.reports import cache, editions, presenters

    if not cache.keeps_anything():
        return 0  # nothing would be kept: computing it would only cost
    year = presenters.last_complete_year(on)
    computed = 0
    for publication in (False, True):
        if not cache.is_kept("annual", (year, publication)):
            draw_charts(editions.annual_report(year, publication=publication))
            computed += 1
    return computed


def draw_charts(report) -> None:
    """Draw the report's charts as the page shows them (PNG), unless drawn already.

    A chart is kept by its figures (``charts.render``), in the cache the web processes share,
    so the page's charts then come without drawing, instead of some thirty matplotlib drawings
    in the web processes while others wait for their pages; the Word download uses them too.
    After a change only the charts whose figures changed are drawn again."""
    from heard.reports.render import charts

    for table in report.tables():
        if charts.has_chart(table):
            charts.render(table, "png")


class Readier:
    """When the worker looks at the data, and when it last computed (one per worker process)."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.looked_at = None
        self.computed_at = None
        self.worked_at = None

    def worked(self) -> None:
        """The worker has just run a job: jobs come first, so wait until it has been idle."""
        self.worked_at = self.clock()

    def due(self) -> bool:
        now = self.clock()
        for then, wait in (
            (self.worked_at, LOOK_EVERY),
            (self.looked_at, LOOK_EVERY),
            (self.computed_at, AT_MOST_EVERY),
        ):
            if then is not None and now - then < wait:
                return False
        return True

    def run(self) -> int:
        """Look, and compute what is not kept; returns how many reports were computed."""
        self.looked_at = self.clock()
        computed = keep_annual_report_ready()
        if computed:
            self.computed_at = self.clock()
        return computed
