"""Check a loaded routes.yaml and turn it into a resolved Dataset: the entry point.

Two passes: the JSON Schema (geo.schema) checks shape, types and enumerations; then the rules
(geo.rules) check what a schema cannot express and build the Dataset.  Every problem is
collected, located to its line, and raised at once as a DataError; nothing here prints.
"""

from __future__ import annotations

import os

from geo.errors import DataError
from geo.load import Document, parse_document, read_text
from geo.model import Dataset
from geo.rules import Rules, today
from geo.schema import schema, schema_problems

__all__ = ["check_document", "load_dataset", "schema", "today", "validate_text"]


def load_dataset(path: str | os.PathLike, display: str | None = None) -> Dataset:
    """Load, validate and resolve a routes.yaml file; raise DataError listing every problem."""
    name = display or str(path)
    return validate_text(read_text(path, name), name)


def check_document(doc: Document) -> Dataset:
    problems = schema_problems(doc)
    if not isinstance(doc.data, dict):
        raise DataError(problems)
    rules = Rules(doc, problems)
    dataset = rules.run()
    if dataset is None:
        raise DataError(rules.problems)
    return dataset


def validate_text(text: str, name: str = "routes.yaml") -> Dataset:
    return check_document(parse_document(text, name))
