"""Events from a CSV file, for geo import: the columns, and each row as the values of the
add-event options of the same names.

Columns (a header row names them, in any order; only date, title, summary and a source are
required, and one of place, from/to or route):

    id, date, end_date, title, summary, kind, place, from, to, route,
    people, people_min, people_max, group, direction, confidence, notes,
    source            ids of sources in routes.yaml, separated by ';'
    source_url, source_outlet, source_title, source_date, source_language
                      a new source (rows with the same source_url share it)

Empty cells are left out.  The file is UTF-8 (a BOM is fine), comma-separated.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from geo.errors import DataError, GeoError, Problem

COLUMNS = (
    "id", "date", "end_date", "title", "summary", "kind", "place", "from", "to", "route",
    "people", "people_min", "people_max", "group", "direction", "confidence", "notes",
    "source", "source_url", "source_outlet", "source_title", "source_date", "source_language",
)  # fmt: skip
REQUIRED = ("date", "title", "summary")


@dataclass(frozen=True)
class Row:
    line: int  # line of the row in the CSV file
    values: dict[str, str]  # column -> non-empty cell, stripped
    columns: dict[str, int]  # column -> its 1-based position, for messages

    def problem(self, file: str, column: str, message: str) -> Problem:
        return Problem(file, self.line, self.columns.get(column, 1), column, message)


def read_rows(path: str | Path) -> list[Row]:
    """The rows of the CSV file at *path*; a DataError naming each bad header column."""
    name = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise GeoError(f"{name}: file not found") from None
    except UnicodeDecodeError:
        raise GeoError(f"{name}: not UTF-8 text; save the CSV file as UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in next(reader, [])]
    problems = [
        Problem(name, 1, i + 1, h, f"unknown column '{h}'; the columns are: {', '.join(COLUMNS)}")
        for i, h in enumerate(header) if h not in COLUMNS
    ]  # fmt: skip
    missing = [c for c in REQUIRED if c not in header]
    if missing or not header:
        problems.append(Problem(name, 1, 1, "", f"missing column(s): {', '.join(missing)}"))
    if problems:
        raise DataError(problems)
    columns = {h: i + 1 for i, h in enumerate(header)}
    rows = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        values = {h: c.strip() for h, c in zip(header, cells, strict=False) if c.strip()}
        rows.append(Row(reader.line_num, values, columns))
    if not rows:
        raise GeoError(f"{name}: no rows below the header")
    return rows
