"""The funder's form, section "5. Budget", as a Word table to paste into the form.

The same table as the report's and the .xlsx (:func:`grantstats.rendering.form.budget_form`):
the form's own row labels, whole kronor, one table for the costs and one for the
financing, per project. Laid out by :mod:`grantstats.rendering.word`; no file is read
or written here.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from grantstats import fmt
from grantstats.errors import Problem
from grantstats.rendering import word
from grantstats.texts import text

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject



def budget_form_document(forms: dict[str, tuple[str, pd.DataFrame]], lang: str = "sv",
                         template: bytes | None = None, *, made: dt.datetime | None = None,
                         ) -> tuple[DocumentObject, list[Problem]]:
    """One heading and the form's two tables per project of ``forms`` (project id →
    (name, :func:`~grantstats.rendering.form.budget_form` table)); the warnings of the
    layout (styles the template lacks)."""
    made = made or dt.datetime.now()
    doc = word.open_template(template)
    styles = word.Styles.of(doc, ("title", "heading", "body", "table"))
    total = text("form.sum", lang)
    for name, form in forms.values():
        styles.paragraph(text("statement.form_title", lang, name=name), "title")
        for section, part in form.groupby("section", sort=False):
            rows = [(str(label), fmt.amount(amount, lang))
                    for label, amount in zip(part["label"], part["amount"], strict=True)]
            emphasis = [i for i, (label, _) in enumerate(rows) if label == total]
            styles.table((str(section), text("form.kronor", lang)), rows, numeric=(1,),
                         emphasis=emphasis)
    title = text("form.title", lang)
    word.set_properties(doc, title, text("statement.word_language", lang), made)
    return doc, list(styles.warnings)
