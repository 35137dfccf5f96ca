"""The workbook contract as data.

Sheets, columns, aliases, cost categories, units and age bands live here, in one
declarative place. The loader, the template writer and the documentation all read
these tables; nothing else in grantstats spells a sheet or column name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal[
    "id", "text", "amount", "date", "category", "share", "age", "age_group", "count", "flag"
]

#: Column kinds where a merged range would count something twice.
NUMBER_KINDS: frozenset[str] = frozenset({"amount", "count", "share", "age"})


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its DataFrame key, its Swedish and English headers."""

    key: str
    sv: str
    en: str
    kind: Kind
    required: bool = False
    aliases: tuple[str, ...] = ()
    doc_sv: str = ""
    doc_en: str = ""

    def names(self) -> tuple[str, ...]:
        return (self.sv, self.en, *self.aliases)


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook: what a row is and which columns it has."""

    key: str
    sv: str
    en: str
    columns: tuple[Column, ...]
    mandatory: bool = False
    row_sv: str = ""
    row_en: str = ""
    #: groups of columns of which at least one must be present
    one_of: tuple[tuple[str, ...], ...] = field(default=())
    #: the columns that say which thing a row is about (a cost: its project, date and
    #: category), so that ``grantstats diff`` can pair an edited row with its old version
    identity: tuple[str, ...] = ("project_id",)

    def names(self) -> tuple[str, ...]:
        return (self.sv, self.en)

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)


def _col(key: str, sv: str, en: str, kind: Kind, required: bool = False,
         aliases: tuple[str, ...] = (), doc_sv: str = "", doc_en: str = "") -> Column:
    return Column(key, sv, en, kind, required, tuple(aliases), doc_sv, doc_en)


_PROJECT_ID = _col("project_id", "projekt_id", "project_id", "id", required=True,
                   aliases=("projekt-id", "projektid", "projekt"))
_ILLUSTRATIVE = _col(
    "illustrative", "illustrativ", "illustrative", "flag",
    doc_sv="grantstats-tillägg: 'ja' markerar påhittade exempelrader (diagram märks)",
    doc_en="grantstats extension: 'yes' marks made-up example rows (charts are labelled)",
)
_NOTE = _col(
    "note", "kommentar", "note", "text",
    doc_sv="grantstats-tillägg: analytikerns kommentar; visas vid avvikelsen den förklarar",
    doc_en="grantstats extension: the analyst's comment; shown next to the variance it explains",
)

#: the template's example rows carry ``exempel = ja``; a workbook still holding one is refused
_EXAMPLE = _col(
    "example", "exempel", "example", "flag",
    doc_sv="grantstats-tillägg: 'ja' markerar mallens exempelrader; arbetsboken godtas inte "
           "förrän de är borttagna",
    doc_en="grantstats extension: 'yes' marks the template's example rows; the workbook is "
           "refused until they are removed",
)

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "projects", "projekt", "projects", mandatory=True,
        row_sv="ett projekt", row_en="a project",
        columns=(
            _PROJECT_ID,
            _col("name", "namn", "name", "text", required=True, aliases=("projektnamn",)),
            _col("unit", "enhet", "unit", "text"),
            _col("start", "start", "start", "date", aliases=("startdatum",)),
            _col("end", "slut", "end", "date", aliases=("slutdatum",)),
            _col("contact", "kontakt", "contact", "text",
                 doc_sv="grantstats-tillägg: vem som tagit fram rapporten (namn, e-post)",
                 doc_en="grantstats extension: who produced the report (name, e-mail)"),
            _col("committee", "nämnd", "committee", "text",
                 doc_sv="grantstats-tillägg: nämnden som tjänsteutlåtandet riktas till",
                 doc_en="grantstats extension: the committee the statement is addressed to"),
            _EXAMPLE,
        ),
    ),
    Sheet(
        "grants", "beslut", "grants", mandatory=True, identity=("project_id", "decision_date"),
        row_sv="ett beslut om bidrag", row_en="a grant decision from a funder",
        columns=(
            _PROJECT_ID,
            _col("decision_date", "beslutsdatum", "decision_date", "date", required=True),
            _col("amount", "belopp", "amount", "amount", required=True),
            _col("funder", "bidragsgivare", "funder", "text"),
            _col("reference", "diarienummer", "reference", "text", aliases=("dnr",)),
            _col("holdback_share", "innehållen_andel", "holdback_share", "share",
                 doc_sv="andel 0–1 (eller '20 %') som betalas först efter slutrapporten",
                 doc_en="share 0–1 (or '20 %') paid only after the final report"),
            _col("report_due", "slutrapport_senast", "report_due", "date"),
            _col("note", "kommentar", "note", "text"),
            _EXAMPLE,
        ),
    ),
    Sheet(
        "budget", "budget", "budget", identity=("project_id", "category"),
        row_sv="en rad i den sökta budgeten", row_en="a line of the applied budget",
        columns=(
            _PROJECT_ID,
            _col("category", "kategori", "category", "category", required=True),
            _col("amount", "belopp", "amount", "amount", required=True),
            _col("description", "beskrivning", "description", "text"),
            _col("explanation", "förklaring", "explanation", "text",
                 doc_sv="grantstats-tillägg: varför utfallet avviker från budgeten (visas i "
                        "rapporten vid avvikelsen)",
                 doc_en="grantstats extension: why the outcome departs from the budget (shown "
                        "in the report next to the variance)"),
            _NOTE,
            _EXAMPLE,
        ),
    ),
    Sheet(
        "costs", "kostnader", "costs", identity=("project_id", "date", "category"),
        row_sv="en faktisk kostnad (en bokföringsrad eller en månadssumma)",
        row_en="an actual cost (a ledger line or a monthly sum)",
        columns=(
            _PROJECT_ID,
            _col("date", "datum", "date", "date", required=True),
            _col("category", "kategori", "category", "category", required=True),
            _col("amount", "belopp", "amount", "amount", required=True),
            _col("description", "beskrivning", "description", "text"),
            _NOTE,
            _ILLUSTRATIVE,
            _EXAMPLE,
        ),
    ),
    Sheet(
        "requisitions", "rekvisitioner", "requisitions", identity=("project_id", "date"),
        row_sv="medel som rekvirerats från (betalats ut av) bidragsgivaren",
        row_en="funds requisitioned from (paid out by) the funder",
        columns=(
            _PROJECT_ID,
            _col("date", "datum", "date", "date", required=True),
            _col("amount", "belopp", "amount", "amount", required=True),
            _col("reference", "diarienummer", "reference", "text", aliases=("dnr",)),
            _EXAMPLE,
        ),
    ),
    Sheet(
        "referrals", "anmälningar", "referrals", identity=("project_id", "date"),
        row_sv="anmälningar till socialtjänsten (utfall)",
        row_en="referrals to social services (outcome)",
        one_of=(("age", "age_group"),),
        columns=(
            _PROJECT_ID,
            _col("date", "datum", "date", "date", required=True),
            _col("age", "ålder", "age", "age"),
            _col("age_group", "åldersgrupp", "age_group", "age_group"),
            _col("count", "antal", "count", "count"),
            _col("source", "källa", "source", "text"),
            _ILLUSTRATIVE,
            _EXAMPLE,
        ),
    ),
    Sheet(
        "financing", "finansiering", "financing", identity=("project_id", "source"),
        row_sv="annan finansiering än bidraget", row_en="other financing than the grant",
        columns=(
            _PROJECT_ID,
            _col("source", "källa", "source", "text", required=True),
            _col("amount", "belopp", "amount", "amount", required=True),
            _EXAMPLE,
        ),
    ),
)

SHEETS_BY_KEY: dict[str, Sheet] = {s.key: s for s in SHEETS}

#: Sheets whose amounts may not be negative (costs may: corrections).
NON_NEGATIVE_AMOUNTS: frozenset[str] = frozenset({"grants", "budget", "requisitions", "financing"})


@dataclass(frozen=True)
class Category:
    """A cost category of the funder's final-report form."""

    key: str
    sv: str
    en: str
    aliases: tuple[str, ...] = ()


CATEGORIES: tuple[Category, ...] = (
    Category("personal", "Personal, inkl. sociala avgifter", "staff",
             ("personal", "lön", "löner", "salaries", "salary", "personal inkl sociala avgifter")),
    Category("verksamhet", "Kostnader för verksamhet", "activities",
             ("verksamhet", "resor", "studiebesök", "transport", "travel")),
    Category("lokaler", "Lokaler", "premises", ("lokaler", "hyra", "rent")),
    Category("administration", "Administration", "administration", ("administration",)),
    Category("utvardering", "Utvärdering", "evaluation", ("utvärdering", "utvardering")),
    Category("ovrigt", "Övrigt", "other",
             ("övrigt", "ovrigt", "trycksaker", "informationsmaterial", "printing")),
)
CATEGORY_KEYS: tuple[str, ...] = tuple(c.key for c in CATEGORIES)
CATEGORIES_BY_KEY: dict[str, Category] = {c.key: c for c in CATEGORIES}

#: Amount units: a word after a number or in a header's parentheses, and its factor.
UNITS: dict[str, int] = {"kr": 1, "sek": 1, "kronor": 1, "tkr": 1_000, "mkr": 1_000_000}

#: First cells that mark a totals row rather than data.
TOTAL_WORDS: frozenset[str] = frozenset({"summa", "totalt", "total", "sum"})


@dataclass(frozen=True)
class AgeBand:
    """An age band, both ends included; ``high`` None means open-ended."""

    label: str
    low: int
    high: int | None

    def contains(self, low: int, high: int | None) -> bool:
        if low < self.low:
            return False
        if self.high is None:
            return True
        return high is not None and high <= self.high


MAX_AGE = 120
DEFAULT_AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand("0-17", 0, 17),
    AgeBand("18-19", 18, 19),
    AgeBand("20+", 20, None),
)


def age_bands(spec: str) -> tuple[AgeBand, ...]:
    """Parse bands written as ``"0-17,18-19,20+"``; they must tile 0 to any age."""
    bands: list[AgeBand] = []
    expected = 0
    parts = [p.strip() for p in spec.split(",")]
    for i, part in enumerate(parts):
        m = re.fullmatch(r"(\d+)\s*(?:-\s*(\d+)|\+)", part)
        if not m:
            raise ValueError(f"age band {part!r}: write it as 0-17 or 20+")
        low = int(m.group(1))
        high = int(m.group(2)) if m.group(2) else None
        if low != expected or (high is not None and high < low):
            raise ValueError(f"age bands must start at 0 and follow each other: {spec!r}")
        bands.append(AgeBand(f"{low}-{high}" if high is not None else f"{low}+", low, high))
        if high is None:
            if i < len(parts) - 1:
                raise ValueError(f"only the last age band may be open-ended: {spec!r}")
            break
        expected = high + 1
    if not bands or bands[-1].high is not None:
        raise ValueError(f"the last age band must be open-ended, like 20+: {spec!r}")
    return tuple(bands)
