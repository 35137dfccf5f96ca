"""Word documents (.docx) with python-docx: an organisation's template or a clean default,
the styles a draft's parts are written in, and tables.

A draft names the *role* of each paragraph (title, section heading, body, table); the
template's own style for that role is found by name (``Heading 1`` or a Swedish
``Rubrik 1`` …). Where a template has none, python-docx's built-in definition is copied
into the document and a warning (``statement.style_missing``) says so. Nothing here
reads or writes a file: a template comes in as bytes, a document goes out as an object
the caller saves.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from grantstats.errors import Problem

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.styles.style import BaseStyle
    from docx.table import Table as TableObject

#: A draft's roles, and the style names that fill each, the first one found winning:
#: Word's own (English, also in a Swedish Word: the file keeps the English name) and the
#: names of renamed or hand-made Swedish styles.
ROLES: dict[str, tuple[str, ...]] = {
    "title": ("Heading 1", "Rubrik 1"),
    "heading": ("Heading 2", "Rubrik 2"),
    "body": ("Normal",),
    "table": ("Table Grid",),
}

#: The largest template grantstats opens (a letterhead with a logo is far smaller).
MAX_TEMPLATE_BYTES = 20_000_000
#: Its parts may unpack to at most this much together.
MAX_UNPACKED_BYTES = 200_000_000


class TemplateError(ValueError):
    """The template cannot be used; ``detail`` says why (technical, English)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def open_template(data: bytes | None) -> DocumentObject:
    """A new document: the template's styles, page setup, headers and footers with an
    empty body, or (``data`` None) python-docx's default on A4 paper.

    Raises :class:`TemplateError` for bytes that are not a Word document."""
    if data is None:
        doc = Document()
        section = doc.sections[0]
        section.page_height, section.page_width = Mm(297), Mm(210)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        return doc
    _check_archive(data)
    try:
        doc = Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
        raise TemplateError(_first_line(exc) or type(exc).__name__) from None
    except Exception as exc:  # lxml's XMLSyntaxError and the like: a damaged part
        raise TemplateError(f"{type(exc).__name__}: {_first_line(exc)}") from None
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0][:120] if str(exc).strip() else ""


def _check_archive(data: bytes) -> None:
    """Refuse what is not a zip archive of sane size before python-docx unpacks it."""
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateError(f"the file is {len(data)} bytes, more than {MAX_TEMPLATE_BYTES}")
    if not data.startswith(b"PK"):
        raise TemplateError("not a zip archive (a .docx is one)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise TemplateError(_first_line(exc) or "damaged zip archive") from None
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise TemplateError(f"the parts unpack to more than {MAX_UNPACKED_BYTES} bytes")
    if "word/document.xml" not in {i.filename for i in infos}:
        raise TemplateError("no word/document.xml: not a Word document")


@dataclass
class Styles:
    """The style each role is written in, in one document; ``warnings`` lists the roles
    the template had no style for (filled from python-docx's built-in ones)."""

    doc: DocumentObject
    names: dict[str, str]
    warnings: list[Problem]

    @classmethod
    def of(cls, doc: DocumentObject, roles: Sequence[str] = tuple(ROLES)) -> Styles:
        names: dict[str, str] = {}
        warnings: list[Problem] = []
        for role in roles:
            candidates = ROLES[role]
            found = _find_style(doc, candidates)
            if found is None:
                found = _copy_builtin(doc, candidates[0])
                warnings.append(Problem("statement.style_missing", severity="warning", params={
                    "names": " / ".join(f"'{c}'" for c in candidates),
                    "name": f"'{candidates[0]}'"}))
            names[role] = found
        return cls(doc, names, warnings)

    def paragraph(self, text: str, role: str = "body", *, bold: bool = False,
                  align_right: bool = False) -> None:
        """A paragraph of ``text`` in the role's style (a newline is a line break)."""
        par = self.doc.add_paragraph(style=self.names[role])
        for i, line in enumerate(text.split("\n")):
            run = par.add_run()
            if i:
                run.add_break()
            run.add_text(line)
            run.bold = bold or None
        if align_right:
            par.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], *,
              numeric: Sequence[int] = (), emphasis: Sequence[int] = ()) -> TableObject:
        """A real Word table: a header row (repeated on each page), ``rows`` of text, the
        ``numeric`` columns right-aligned, the ``emphasis`` rows (totals) in bold."""
        table: TableObject = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        table.style = self.doc.styles[self.names["table"]]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        for i, row in enumerate([list(header), *map(list, rows)]):
            cells = table.rows[i].cells
            for j, value in enumerate(row):
                par = cells[j].paragraphs[0]
                run = par.add_run(value)
                run.bold = (i == 0 or (i - 1) in emphasis) or None
                if j in numeric:
                    par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        header_props = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        header_props.append(repeat)
        self.doc.add_paragraph(style=self.names["body"])  # Word needs a paragraph between tables
        return table


def _find_style(doc: DocumentObject, candidates: Sequence[str]) -> str | None:
    """The name of the document's paragraph or table style matching a candidate (by name,
    case aside, or by style id), or None."""
    styles: list[BaseStyle] = list(doc.styles)
    for wanted in candidates:
        key = wanted.lower()
        for style in styles:
            name = (style.name or "").lower()
            if name == key or (style.style_id or "").lower() == key.replace(" ", ""):
                return str(style.name)
    return None


def _copy_builtin(doc: DocumentObject, name: str) -> str:
    """Copy python-docx's definition of style ``name`` (and the styles it is based on that
    the document lacks) into ``doc``; its name."""
    builtin = Document().styles
    have = {s.style_id for s in doc.styles}
    wanted = builtin[name]
    chain = []
    style: BaseStyle | None = wanted
    while style is not None and style.style_id not in have:
        chain.append(style)
        style = getattr(style, "base_style", None)
    for style in reversed(chain):
        element = copy.deepcopy(style.element)
        for tag in ("w:link", "w:next"):
            for child in element.findall(qn(tag)):
                element.remove(child)
        doc.styles.element.append(element)
    return str(wanted.name)


def default_layout(doc: DocumentObject, header: str, page: str, made: dt.date,
                   language: str) -> None:
    """The seeds' layout for a document made without a template: the document kind and
    the date at the top right, ``SID n (m)`` page numbers, the text's language set so
    that Word checks the spelling in it."""
    section = doc.sections[0]
    par = section.header.paragraphs[0]
    par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = par.add_run(header)
    run.bold = True
    par.add_run(f"\n{made.isoformat()}\n")
    before, _, rest = page.partition("{page}")
    middle, _, after = rest.partition("{pages}")
    par.add_run(before)
    _field(par, "PAGE")
    par.add_run(middle)
    _field(par, "NUMPAGES")
    par.add_run(after)
    for run in par.runs:
        run.font.size = Pt(9)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            for old in rpr.findall(qn("w:lang")):
                rpr.remove(old)
            lang = OxmlElement("w:lang")
            lang.set(qn("w:val"), language)
            rpr.append(lang)


def _field(par: object, instruction: str) -> None:
    """A simple Word field (``PAGE``, ``NUMPAGES``) at the end of paragraph ``par``."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    par._p.append(field)  # type: ignore[attr-defined]


def set_properties(doc: DocumentObject, title: str, language: str, made: dt.datetime) -> None:
    """The document's own properties: its title and language, made by grantstats; no
    author (a person's name is never made up)."""
    props = doc.core_properties
    props.title = title
    props.language = language
    props.author = ""
    props.last_modified_by = ""
    props.comments = "grantstats"
    props.created = props.modified = made.replace(tzinfo=None)
    props.revision = 1
