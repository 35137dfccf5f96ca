"""Build the bundled sample workbook, data/exempel.xlsx, from the seed reports.

Every figure below comes from the municipal documents in ../shared/seeds/ (the
applications, the county board's decisions and the final reports of the Prostitution
unit and the Social emergency service, 2007–2011), except the rows marked
``illustrativ`` = ``ja``: the seeds give costs only per category for the whole period
and referrals only as totals, so those rows spread the real totals over months and
dates for the charts. They sum exactly to the seeds' figures. The sheet ``källor``
in the workbook says where each figure comes from.

Run ``python scripts/build_sample.py [OUT]`` (``make sample``); it never overwrites.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from grantstats.commands.template import write_workbook

D = dt.date
FUNDER = "Länsstyrelsen i Stockholms län"
ILLUSTRATIVE_COST = "Illustrativ månadsfördelning av slutrapportens belopp"

PROJECTS = [
    {"project_id": "TRAFF-2008", "name": "Samordning mot trafficking 2008",
     "unit": "Prostitutionsenheten", "start": D(2008, 1, 1), "end": D(2008, 12, 31)},
    {"project_id": "REG-2009", "name": "Regional samordning mot prostitution och "
     "människohandel 2009–2010", "unit": "Prostitutionsenheten",
     "start": D(2009, 1, 1), "end": D(2010, 12, 31)},
    {"project_id": "JOUR-2010", "name": "Socialjourens akuta arbete mot människohandel 2010",
     "unit": "Socialjouren", "start": D(2010, 1, 1), "end": D(2010, 12, 31)},
]

GRANTS = [
    {"project_id": "TRAFF-2008", "decision_date": D(2007, 12, 10), "amount": 250_000,
     "funder": FUNDER,
     "note": "Avser ett år: personal och spridning av informationsmaterial. Medel till "
             "transport och utvärdering beviljades inte."},
    {"project_id": "REG-2009", "decision_date": D(2009, 4, 16), "amount": 789_000,
     "funder": FUNDER,
     "note": "Besluten 2009-01-16 och 2009-04-16, sammanlagt 789 tkr till en informatör och "
             "en traffickingsamordnare. Underlagen anger bara summan, så hela beloppet står "
             "här på det senare beslutet."},
    {"project_id": "REG-2009", "decision_date": D(2009, 11, 5), "amount": 500_000,
     "funder": FUNDER, "reference": "801-09-060935", "holdback_share": 0.2,
     "report_due": D(2011, 1, 20),
     "note": "Heltidstjänst för regional samordning, inkl. utökat arbete mot "
             "gatuprostitution. 20 % betalas när slutrapporten godkänts. Diarienumret är "
             "ansökans."},
    {"project_id": "JOUR-2010", "decision_date": D(2009, 11, 5), "amount": 550_000,
     "funder": FUNDER, "reference": "801-09-59750", "holdback_share": 0.2,
     "report_due": D(2011, 1, 20),
     "note": "En heltidsanställd, metodhandbok och seminarier. 20 % betalas när "
             "slutrapporten godkänts. Diarienumret är ansökans."},
]

BUDGET = [
    # The 2008 application (390 tkr), line by line, mapped to the form's categories.
    {"project_id": "TRAFF-2008", "category": "personal", "amount": 240_000,
     "description": "Personal 50 %"},
    {"project_id": "TRAFF-2008", "category": "verksamhet", "amount": 60_000,
     "description": "Transport (bilhyra, bensin)"},
    {"project_id": "TRAFF-2008", "category": "utvardering", "amount": 30_000,
     "description": "Utvärdering"},
    {"project_id": "TRAFF-2008", "category": "ovrigt", "amount": 10_000,
     "description": "Spridning av informationsmaterial"},
    # The application's lines add up to 340 tkr but its total says 390 tkr; the
    # difference is kept as its own line so that both figures stay visible.
    {"project_id": "TRAFF-2008", "category": "ovrigt", "amount": 50_000,
     "description": "Skillnad mellan ansökans summa (390 tkr) och summan av dess rader "
                    "(340 tkr); ansökan specificerar den inte"},
    # The 2009 application for 2010 (1 040 tkr + 125 tkr); the budget behind the
    # earlier 789 tkr is not in the seeds.
    {"project_id": "REG-2009", "category": "personal", "amount": 1_000_000,
     "description": "Traffickingsamordnare och informatör"},
    {"project_id": "REG-2009", "category": "ovrigt", "amount": 40_000,
     "description": "Informationsmaterial"},
    {"project_id": "REG-2009", "category": "personal", "amount": 125_000,
     "description": "Traffickingsamordnaren på heltid sex månader (gatuprostitution)"},
    {"project_id": "JOUR-2010", "category": "personal", "amount": 650_000,
     "description": "Hela ansökan; underlagen delar inte upp den per kategori (en "
                    "heltidsanställd, metodhandbok, seminarier)"},
]

#: The final report's costs for REG-2009 (form "5. Budget").
REG_COSTS = {"personal": 1_006_698, "verksamhet": 20_609, "ovrigt": 300}


def _months(start: dt.date, count: int) -> list[dt.date]:
    """Last day of each of ``count`` months from ``start``."""
    out = []
    year, month = start.year, start.month
    for _ in range(count):
        nxt = D(year + (month == 12), month % 12 + 1, 1)
        out.append(nxt - dt.timedelta(days=1))
        year, month = nxt.year, nxt.month
    return out


def _split(total: int, parts: int) -> list[int]:
    """``total`` in ``parts`` whole kronor that add up exactly."""
    base, rest = divmod(total, parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]


def costs() -> list[dict]:
    months = _months(D(2009, 1, 1), 24)
    rows = [
        {"project_id": "REG-2009", "date": month, "category": "personal", "amount": amount,
         "description": f"{ILLUSTRATIVE_COST} (personal)", "illustrative": "ja"}
        for month, amount in zip(months, _split(REG_COSTS["personal"], 24), strict=True)
    ]
    trips = [(D(2009, 6, 30), 5_200), (D(2009, 10, 31), 4_800), (D(2010, 3, 31), 6_100),
             (D(2010, 9, 30), 4_509)]
    assert sum(a for _, a in trips) == REG_COSTS["verksamhet"]
    rows += [
        {"project_id": "REG-2009", "date": day, "category": "verksamhet", "amount": amount,
         "description": f"{ILLUSTRATIVE_COST} (resor och studiebesök)", "illustrative": "ja"}
        for day, amount in trips
    ]
    rows.append({"project_id": "REG-2009", "date": D(2010, 5, 31), "category": "ovrigt",
                 "amount": REG_COSTS["ovrigt"],
                 "description": f"{ILLUSTRATIVE_COST} (trycksaker)", "illustrative": "ja"})
    return sorted(rows, key=lambda r: (r["date"], r["category"]))


REQUISITIONS = [
    {"project_id": "REG-2009", "date": D(2010, 12, 31), "amount": 1_189_000},
]

CITY_POLICE = "Citypolisens prostitutionsgrupp"
PROJECT_WORK = "Övrigt arbete i projektet"


def referrals() -> list[dict]:
    """14 referrals: 10 under 18, 3 aged 18–19, 1 aged 20+; 4 via the city police.

    The dates and which age each city-police referral had are illustrative; the
    totals by age group and by source are the final report's.
    """
    groups = (["under 18"] * 10) + (["18–19"] * 3) + ["20 och äldre"]
    sources = ([CITY_POLICE] * 2 + [PROJECT_WORK] * 8      # under 18
               + [CITY_POLICE] + [PROJECT_WORK] * 2         # 18–19
               + [CITY_POLICE])                             # 20+
    days = [D(2009, 3, 12), D(2009, 5, 4), D(2009, 6, 17), D(2009, 8, 25), D(2009, 9, 30),
            D(2009, 11, 9), D(2010, 1, 21), D(2010, 3, 3), D(2010, 4, 14), D(2010, 5, 26),
            D(2009, 10, 6), D(2010, 6, 8), D(2010, 9, 15), D(2010, 11, 2)]
    rows = [
        {"project_id": "REG-2009", "date": day, "age_group": group, "count": 1,
         "source": source, "illustrative": "ja"}
        for day, group, source in zip(days, groups, sources, strict=True)
    ]
    return sorted(rows, key=lambda r: r["date"])


SOURCES = [
    ["Varifrån uppgifterna kommer"],
    [""],
    ["Underlag: tjänsteutlåtanden, ansökningar och slutrapporter från Socialtjänst- och "
     "arbetsmarknadsförvaltningen 2007–2011 (se shared/seeds i projektet)."],
    ["TRAFF-2008: ansökan 390 tkr (personal 240, transport 60, utvärdering 30, "
     "informationsmaterial 10 — raderna summerar till 340 tkr, skillnaden 50 tkr står som en "
     "egen rad under Övrigt), beviljat 250 tkr 2007-12-10. Kostnader och rekvisitioner "
     "finns inte i underlagen."],
    ["REG-2009: beviljat 789 tkr (2009-01-16 och 2009-04-16, bara summan känd) + 500 000 kr "
     "2009-11-05 med 20 % innehållet till slutrapporten (senast 2011-01-20). Slutrapportens "
     "kostnader: personal 1 006 698 kr, resor och studiebesök 20 609 kr, trycksaker 300 kr, "
     "summa 1 027 607 kr. Rekvirerat 1 189 000 kr (datum ej känt; 2010-12-31 är satt som "
     "periodens slut). 14 anmälningar: 10 under 18 år, 3 under 20 år (18–19), 1 därmed 20 år "
     "eller äldre; 4 via Citypolisens prostitutionsgrupp."],
    ["JOUR-2010: ansökan 650 tkr, beviljat 550 tkr 2009-11-05 med 20 % innehållet till "
     "slutrapporten (senast 2011-01-20). Kostnader och rekvisitioner finns inte i underlagen."],
    ["Rader med illustrativ = ja är påhittade fördelningar (månader, datum) av de verkliga "
     "summorna; diagram som bygger på dem märks som illustrativa."],
]


def build(out: Path) -> Path:
    rows = {
        "projects": PROJECTS, "grants": GRANTS, "budget": BUDGET, "costs": costs(),
        "requisitions": REQUISITIONS, "referrals": referrals(), "financing": [],
    }
    return write_workbook(out, rows, extra_sheets={"källor": SOURCES})


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("data/exempel.xlsx")
    print(build(target))
