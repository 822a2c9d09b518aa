"""The entry point: view model + chosen legal set → PDF bytes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.platypus import Flowable

from motcua.forms.formsets import DEFAULT_FORM_SET, FormSet, TemplateSpec, load_form_set
from motcua.forms.layout import LANDSCAPE, PORTRAIT, Page, build_pdf
from motcua.forms.model import (
    ApologyData,
    ControlSheetData,
    GuidanceData,
    ProcedureFormData,
    ReceiptData,
    RefusalData,
    StopNoticeData,
    SupplementData,
    TrackingBookData,
)
from motcua.forms.templates import (
    apology,
    control_sheet,
    guidance,
    procedure_form,
    receipt,
    refusal,
    stop,
    supplement,
    tracking_book,
)

Story = Callable[[Any, TemplateSpec], list[Flowable]]

_TEMPLATES: dict[str, tuple[type, Story, Page]] = {
    "receipt": (ReceiptData, receipt.story, PORTRAIT),
    "supplement": (SupplementData, supplement.story, PORTRAIT),
    "refusal": (RefusalData, refusal.story, PORTRAIT),
    "apology": (ApologyData, apology.story, PORTRAIT),
    "stop": (StopNoticeData, stop.story, PORTRAIT),
    "control": (ControlSheetData, control_sheet.story, PORTRAIT),
    "book": (TrackingBookData, tracking_book.story, LANDSCAPE),
}


def _form_set(form_set: FormSet | str | None) -> FormSet:
    if isinstance(form_set, FormSet):
        return form_set
    return load_form_set(form_set or DEFAULT_FORM_SET)


def render_form(kind: str, data: object, form_set: FormSet | str | None = None, *, copies: int = 1) -> bytes:
    """Render one of the one-stop papers ("receipt", "supplement", …, "book") in the chosen set; a receipt in
    ``copies`` copies (1 or 2 «liên»).

    Raises ``FormNotInSet`` when the set has no such paper (TT 01/2018 has no stop notice).
    """
    model, build_story, page = _TEMPLATES[kind]
    if not isinstance(data, model):
        raise TypeError(f"{kind} needs {model.__name__}, got {type(data).__name__}")
    spec = _form_set(form_set).template(kind)
    if isinstance(data, ReceiptData):  # laid out twice when a long table would leave its signatures alone
        return receipt.build(data, spec, copies)
    return build_pdf(build_story(data, spec), page=page, title=spec.title, subject=spec.label)


def render_procedure_form(data: ProcedureFormData) -> bytes:
    """A procedure's own đơn / tờ khai, blank (dotted lines) or filled from a dossier."""
    return build_pdf(procedure_form.story(data), title=data.title, subject=data.basis)


def render_guidance(data: GuidanceData) -> bytes:
    """The guidance sheet of one procedure."""
    return build_pdf(guidance.story(data), title=data.procedure_name, subject=data.procedure_code)
