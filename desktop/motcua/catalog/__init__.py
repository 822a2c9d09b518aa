"""The procedure catalog and its guidance: load, validate, store, import, version, diff. No Qt.

Modules, one job each:
    locate      where the shipped catalog lives on disk
    model       the frozen Procedure dataclasses and their JSON round trip
    fees        what a fee costs for a quantity (per page, tiers, a cap per copy) and how to say it
    validate    JSON Schema + semantic checks with precise, located messages
    repository  the SQLite tables of migration 0002: versions, the current row, get_procedure
    shipped     load_shipped(): the reviewed files under db/catalog/procedures
    sheet       reading .xlsx/.csv annex tables into rows
    mapping     column headers → fields, and cell text → field values
    importer    preview-then-apply imports from spreadsheets and JSON
    diff        field-level differences between two versions
    guidance    Markdown guidance → safe HTML for Qt rich text
"""

from motcua.catalog.model import Component, Fee, Form, FormField, Procedure, ProcessingTime, Provenance
from motcua.catalog.repository import ProcedureNotFound, get_procedure, list_versions
from motcua.catalog.shipped import load_shipped

__all__ = [
    "Component",
    "Fee",
    "Form",
    "FormField",
    "Procedure",
    "ProcedureNotFound",
    "ProcessingTime",
    "Provenance",
    "get_procedure",
    "list_versions",
    "load_shipped",
]
