"""The kinds of job, one module each with the same few names:

- ``CACHEABLE``: whether a finished result may be handed to the next person asking for the
  same thing while the data is unchanged;
- ``title(spec)``: what the status page calls it;
- ``may_fetch(user, spec)``: whether ``user`` may see the result (the rule of the page it
  came from), checked on every look at the job besides "the requester may";
- ``produce(spec, progress, user)``: do the work for ``user``, returning a :class:`Produced`;
- ``record_fetch(user, job)``: the audit entry for a download of the result, the same entry
  the download wrote when it was made in the request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType


@dataclass
class Produced:
    data: bytes | None = None
    filename: str = ""
    content_type: str = ""
    #: A plain sentence for the status page (an import's counts, say).
    message: str = ""
    #: Plain JSON values the status page shows (an import check's preview).
    details: dict | None = None


class JobRefused(Exception):
    """The work cannot be done as asked; the message says why, in plain words."""


Progress = Callable[[int, str], None]


def kind_module(kind: str) -> ModuleType:
    from heard.jobs.kinds import exports, import_checks, imports, reports, trackers

    return {
        "report": reports,
        "export": exports,
        "import": imports,
        "check": import_checks,
        "tracker": trackers,
    }[kind]
