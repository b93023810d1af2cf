"""Reading an import file of any accepted kind into exchange records, for the command and the
upload page alike."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from heard.exchange import flat


class UnreadableFile(ValueError):
    pass


@dataclass
class ImportFile:
    rows: list[tuple[str, dict]]
    declared: dict = field(default_factory=dict)


def read(path: Path, parts: Path | None = None) -> ImportFile:
    """The rows of a .json, .csv or .xlsx import file; UnreadableFile says why not."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            document = _read_json(path)
            rows = [(f"case {i}", raw) for i, raw in enumerate(document.get("cases", []), 1)]
            return ImportFile(
                rows,
                {
                    "declared_terms": document.get("taxonomies", []),
                    "declared_areas": document.get("service_areas", []),
                    "declared_localities": document.get("localities", []),
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


def _read_json(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as handle:
            document = json.load(handle)
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            f"{path.name} is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}."
        ) from None
    if not isinstance(document, dict) or document.get("format") != "heard-exchange":
        raise UnreadableFile(
            f'{path.name} is not a Heard exchange file ("format": "heard-exchange").'
        )
    if document.get("version") != 1:
        raise UnreadableFile(
            f"{path.name} is version {document.get('version')}; Heard reads version 1."
        )
    return document
