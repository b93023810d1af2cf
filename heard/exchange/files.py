"""Reading an import file of any accepted kind into exchange records, for the command and the
upload page alike.

The rows of a file can be gone through more than once (the importer checks every case, then
writes), and JSON and CSV files are read a case at a time each time, so that a file of
100,000 cases is never held in memory whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from heard.exchange import flat


class UnreadableFile(ValueError):
    pass


@dataclass
class ImportFile:
    #: (where, raw case) pairs; iterable more than once.
    rows: Iterable[tuple[str, dict]]
    declared: dict = field(default_factory=dict)


def read(path: Path, parts: Path | None = None) -> ImportFile:
    """The rows of a .json, .csv or .xlsx import file; UnreadableFile says why not."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            header = _json_header(path)
            return ImportFile(
                JsonCases(path),
                {
                    "declared_terms": header.get("taxonomies") or [],
                    "declared_areas": header.get("service_areas") or [],
                    "declared_localities": header.get("localities") or [],
                    "declared_context_figures": header.get("context_figures") or [],
                },
            )
        if suffix == ".csv":
            return ImportFile(flat.read_csv(path, parts))
        if suffix == ".xlsx":
            return ImportFile(flat.read_xlsx(path))
    except flat.TemplateError as error:
        raise UnreadableFile(str(error)) from None
    except UnicodeDecodeError:
        raise UnreadableFile(f"{path.name} is not UTF-8 text.") from None
    raise UnreadableFile("Heard imports .json, .csv and .xlsx files.")


#: The document's keys the importer needs before its cases.
HEADER_KEYS = ("format", "version", "taxonomies", "service_areas", "localities")


def _json_header(path: Path) -> dict:
    """Everything in the document but its cases, checked to be a Heard exchange file.

    Heard writes the cases last, so this normally reads only the top of the file; a document
    with some of the header after its cases is read through once more (still a case at a
    time)."""
    header: dict = {}
    for key, value in _walk(path, header_only=True):
        if key == "cases":
            break
        header[key] = value
    if not all(key in header for key in HEADER_KEYS):
        header = {key: value for key, value in _walk(path) if key != "cases"}
    if header.get("format") != "heard-exchange":
        raise UnreadableFile(
            f'{path.name} is not a Heard exchange file ("format": "heard-exchange").'
        )
    if header.get("version") != 1:
        raise UnreadableFile(
            f"{path.name} is version {header.get('version')}; Heard reads version 1."
        )
    return header


class JsonCases:
    """The cases of a JSON exchange file as ("case N", raw case) pairs, decoded one at a time
    each time they are gone through."""

    def __init__(self, path: Path):
        self.path = path

    def __iter__(self) -> Iterator[tuple[str, dict]]:
        number = 0
        for key, value in _walk(self.path):
            if key == "cases":
                number += 1
                yield f"case {number}", value


def _walk(path: Path, *, header_only: bool = False) -> Iterator[tuple[str, object]]:
    """The top-level (key, value) pairs of a JSON object, with ("cases", case) for each case.

    With ``header_only`` it stops at the cases (yielding ("cases", None) once). Anything but
    an object at the top is decoded whole, as the old reader did, for its plain message."""
    try:
        with path.open(encoding="utf-8") as handle:
            scanner = _Scanner(handle, path.name)
            if scanner.peek() != "{":
                yield from _whole(path).items()
                return
            yield from _members(scanner, header_only)
    except UnicodeDecodeError:
        raise UnreadableFile(f"{path.name} is not UTF-8 text.") from None


def _whole(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as handle:
            document = json.load(handle)
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            f"{path.name} is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}."
        ) from None
    if not isinstance(document, dict):
        raise UnreadableFile(
            f'{path.name} is not a Heard exchange file ("format": "heard-exchange").'
        )
    return document


def _members(scanner: _Scanner, header_only: bool) -> Iterator[tuple[str, object]]:
    scanner.take("{", "Expecting value")
    if scanner.peek() == "}":
        scanner.take("}", "")
    else:
        while True:
            if scanner.peek() != '"':
                scanner.fail("Expecting property name enclosed in double quotes")
            key = scanner.value()
            scanner.take(":", "Expecting ':' delimiter")
            if key != "cases":
                yield key, scanner.value()
            elif header_only:
                yield "cases", None
                return
            else:
                yield from (("cases", case) for case in _array(scanner))
            if scanner.peek() != ",":
                scanner.take("}", "Expecting ',' delimiter")
                break
            scanner.take(",", "")
    if scanner.peek() != "":
        scanner.fail("Extra data")


def _array(scanner: _Scanner) -> Iterator[object]:
    if scanner.peek() != "[":
        raise UnreadableFile(f'{scanner.name}: "cases" is not a list.')
    scanner.take("[", "")
    if scanner.peek() == "]":
        scanner.take("]", "")
        return
    while True:
        yield scanner.value()
        if scanner.peek() != ",":
            scanner.take("]", "Expecting ',' delimiter")
            return
        scanner.take(",", "")


_SPACE = re.compile(r"[ \t\n\r]*")
_CHUNK = 1 << 20


class _Scanner:
    """Decodes a JSON text one value at a time with the standard library's decoder, reading
    it in chunks; a problem is reported with its line and column in the whole file, as
    ``json.load`` would."""

    def __init__(self, handle, name: str):
        self.handle, self.name = handle, name
        self.decoder = json.JSONDecoder()
        self.buffer, self.pos, self.eof = "", 0, False
        self.lines = 0  # newlines in the text already dropped from the buffer
        self.line_start = 0  # where the current line starts, relative to the buffer

    def _more(self) -> bool:
        if self.eof:
            return False
        chunk = self.handle.read(_CHUNK)
        if not chunk:
            self.eof = True
            return False
        done = self.buffer[: self.pos]
        newlines = done.count("\n")
        self.lines += newlines
        self.line_start = (
            done.rindex("\n") + 1 - self.pos if newlines else self.line_start - self.pos
        )
        self.buffer, self.pos = self.buffer[self.pos :] + chunk, 0
        return True

    def peek(self) -> str:
        """The next character that is not white space ("" at the end)."""
        while True:
            self.pos = _SPACE.match(self.buffer, self.pos).end()
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._more():
                return ""

    def take(self, char: str, message: str) -> None:
        if self.peek() != char:
            self.fail(message)
        self.pos += 1

    def value(self):
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as error:
                if self._cut_short(error) and self._more():
                    continue
                self.fail(error.msg, error.pos)
            if end == len(self.buffer) and self._more():
                continue  # a number may go on in the next chunk
            self.pos = end
            return value

    def _cut_short(self, error: json.JSONDecodeError) -> bool:
        """Whether the error may only be the end of the chunk read so far."""
        return error.pos >= len(self.buffer) - 6 or error.msg.startswith("Unterminated string")

    def fail(self, message: str, pos: int | None = None):
        pos = self.pos if pos is None else pos
        newline = self.buffer.rfind("\n", 0, pos)
        line = self.lines + self.buffer.count("\n", 0, pos) + 1
        column = pos - (newline + 1 if newline >= 0 else self.line_start) + 1
        raise UnreadableFile(
            f"{self.name} is not valid JSON: {message} at line {line}, column {column}."
        )
