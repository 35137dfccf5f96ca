"""The tables' hand-over from the sandbox child as Arrow IPC: exact round trips, and the
loader using it (the parent never unpickles a table)."""

from __future__ import annotations

import datetime as dt
import pickle
import string
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from grantstats import contract
from grantstats.computing import metrics
from grantstats.errors import WorkbookError
from grantstats.reading import handover, loader, sandbox
from grantstats.reading.sheets import extra_series
from grantstats.reading.sniff import read_checked
from grantstats.resources import sample_workbook


def round_trip(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    data = handover.to_ipc(tables)
    assert isinstance(data, bytes) and data.startswith(handover.MAGIC)
    back = handover.from_ipc(data)
    assert list(back) == list(tables)
    for name, frame in tables.items():
        pd.testing.assert_frame_equal(back[name], frame, check_exact=True)
        assert isinstance(back[name].index, pd.RangeIndex)
        assert list(back[name].columns) == list(frame.columns)
    return back


def same_cells(a: pd.Series, b: pd.Series) -> None:
    """Equal cell by cell, with the same Python type (an object column's 1 stays an int,
    True a bool, a date a date)."""
    assert len(a) == len(b)
    for x, y in zip(a.tolist(), b.tolist(), strict=True):
        assert type(x) is type(y), (x, y)
        assert x == y or (x != x and y != y), (x, y)


# --- every dtype the loader makes -----------------------------------------------------


def every_dtype() -> pd.DataFrame:
    return pd.DataFrame({
        "project_id": pd.Series(["P1", None, "Å-2", "P1", ""], dtype="str"),
        "amount": pd.Series([1.5, np.nan, -0.0, 1e300, 1_027_607.0], dtype="float64"),
        "date": pd.Series(np.array(["2020-01-31", "NaT", "1900-03-01", "2099-12-31",
                                    "1970-01-01"], dtype="datetime64[s]")),
        "category": pd.Series(pd.Categorical(["personal", None, "lokaler", "personal", None],
                                             categories=contract.CATEGORY_KEYS)),
        "age": pd.Series([12, None, 0, -3, 2**62], dtype="Int64"),
        "example": pd.Series([True, False, False, True, True], dtype="bool"),
        "sheet": pd.Series(["kostnader"] * 5, dtype="str"),
        "row": pd.Series([2, 3, 4, 5, 1_048_576], dtype="int64"),
    })


def test_every_dtype_round_trips_with_its_missing_values():
    back = round_trip({"costs": every_dtype()})["costs"]
    costs = back
    assert costs["project_id"].isna().tolist() == [False, True, False, False, False]
    assert costs["project_id"][4] == ""  # an empty text is not a missing one
    assert costs["age"].isna().tolist() == [False, True, False, False, False]
    assert costs["age"][4] == 2**62
    assert pd.isna(costs["date"][1]) and costs["date"][2] == pd.Timestamp("1900-03-01")
    assert costs["category"].cat.categories.tolist() == list(contract.CATEGORY_KEYS)
    assert np.signbit(costs["amount"][2])  # -0.0 kept


def test_every_dtype_round_trips_with_nothing_missing_and_all_missing():
    full = every_dtype().dropna().reset_index(drop=True)
    round_trip({"t": full})
    missing = pd.DataFrame({
        "s": pd.Series([None] * 3, dtype="str"),
        "d": pd.Series(np.array(["NaT"] * 3, dtype="datetime64[s]")),
        "c": pd.Series(pd.Categorical([None] * 3, categories=["a", "b"])),
        "i": pd.Series([None] * 3, dtype="Int64"),
        "f": pd.Series([np.nan] * 3),
    })
    round_trip({"t": missing})


def test_the_age_groups_keep_their_bands_order_and_an_ordered_categorical_its_order():
    bands = [b.label for b in contract.DEFAULT_AGE_BANDS]
    frame = pd.DataFrame({
        "age_group": pd.Categorical([bands[-1], None, bands[0]], categories=bands),
        "ordered": pd.Categorical(["b", "a", "b"], categories=["b", "a"], ordered=True),
    })
    back = round_trip({"referrals": frame})["referrals"]
    assert back["ordered"].cat.ordered and back["age_group"].cat.categories.tolist() == bands


def test_empty_tables_as_the_loader_makes_them():
    tables = {spec.key: loader.empty_table(spec) for spec in contract.SHEETS}
    back = round_trip(tables)
    assert all(len(frame) == 0 for frame in back.values())
    assert back["costs"]["category"].dtype == tables["costs"]["category"].dtype


def test_extra_columns_of_mixed_kinds_with_swedish_names_come_back_exact():
    cells = [1, 2.5, "text", None, True, False, dt.date(2020, 1, 2),
             dt.datetime(2020, 1, 2, 3, 4, 5, 6), dt.time(23, 59, 59, 999_999),
             dt.timedelta(days=-1, microseconds=5), float("nan"), 0, "1 234,50 kr",
             dt.datetime(1899, 12, 31), 2**63 - 1]
    frame = pd.DataFrame({
        "projekt_id": pd.Series(["P1"] * len(cells), dtype="str"),
        "övrigt – blandat": extra_series(cells),
        "Ärende nr": extra_series([None, "ä"] * 7 + [None]),
        "åtgärdsdatum": extra_series([dt.date(2021, 5, 6), None] * 7 + [None]),
        "belopp (öre)": extra_series([1, 2.5] * 7 + [None]),
        "ja/nej": extra_series([True, None] * 7 + [False]),
    })
    assert frame["övrigt – blandat"].dtype == object and frame["ja/nej"].dtype == object
    back = round_trip({"kostnader med ÅÄÖ": frame})["kostnader med ÅÄÖ"]
    for column in ("övrigt – blandat", "ja/nej"):
        same_cells(back[column], frame[column])


def test_what_the_loader_never_makes_is_refused_not_guessed():
    with pytest.raises(TypeError, match="dtype"):
        handover.to_ipc({"t": pd.DataFrame({"x": pd.Series([1], dtype="uint8")})})
    with pytest.raises(TypeError, match="type"):
        handover.to_ipc({"t": pd.DataFrame({"x": pd.Series([1, object()], dtype=object)})})
    with pytest.raises(TypeError, match="Index"):
        handover.to_ipc({"t": pd.DataFrame({"x": [1.0]}, index=["a"])})
    for cell in (dt.datetime(2020, 1, 1, tzinfo=dt.UTC), dt.time(1, fold=1), 2**64):
        with pytest.raises(TypeError):
            handover.to_ipc({"t": pd.DataFrame({"x": pd.Series([cell, "a"], dtype=object)})})
    with pytest.raises(ValueError, match="hand-over"):
        handover.from_ipc(b"not arrow")


# --- generated frames -----------------------------------------------------------------

TEXTS = st.text(alphabet=string.ascii_letters + "åäöÅÄÖ -–\u00a0\n", max_size=8)
OBJECT_CELLS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True), TEXTS,
    st.dates(), st.datetimes().map(lambda v: v.replace(fold=0)),
    st.times().map(lambda v: v.replace(fold=0)),
    st.timedeltas(dt.timedelta(days=-100_000_000), dt.timedelta(days=100_000_000)),
)


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(0, 30))

    def cells(strategy: st.SearchStrategy, missing: bool = True) -> list:
        return draw(st.lists(st.one_of(st.none(), strategy) if missing else strategy,
                             min_size=n, max_size=n))

    makers = {
        "str": lambda: pd.Series(cells(TEXTS), dtype="str"),
        "float64": lambda: pd.Series(
            cells(st.floats(allow_nan=True, allow_infinity=True), missing=False),
            dtype="float64"),
        "datetime64[s]": lambda: pd.Series(np.array(
            cells(st.datetimes(dt.datetime(1800, 1, 1), dt.datetime(2200, 1, 1))),
            dtype="datetime64[s]")),
        "category": lambda: pd.Series(pd.Categorical(
            cells(st.sampled_from(contract.CATEGORY_KEYS)), categories=contract.CATEGORY_KEYS)),
        "Int64": lambda: pd.Series(cells(st.integers(-(2**63) + 1, 2**63 - 1)), dtype="Int64"),
        "bool": lambda: pd.Series(cells(st.booleans(), missing=False), dtype="bool"),
        "int64": lambda: pd.Series(cells(st.integers(-(2**63), 2**63 - 1), missing=False),
                                   dtype="int64"),
        "object": lambda: pd.Series(cells(OBJECT_CELLS, missing=False), dtype="object"),
    }
    names = draw(st.lists(TEXTS, min_size=1, max_size=6, unique=True))
    return pd.DataFrame({name: makers[draw(st.sampled_from(sorted(makers)))]()
                         for name in names}, index=pd.RangeIndex(n))


@given(st.dictionaries(TEXTS, frames(), min_size=1, max_size=3))
def test_generated_frames_round_trip_exactly(tables):
    back = round_trip(tables)
    for name, frame in tables.items():
        for column in frame.columns:
            if frame[column].dtype == object:
                same_cells(back[name][column], frame[column])


# --- the loader -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_parsed() -> loader.Workbook:
    path = sample_workbook()
    kind, data = read_checked(path)
    return loader.parse(path, data, kind)


def test_the_sample_loads_the_same_with_and_without_the_hand_over(sample_parsed):
    loaded = loader.load(sample_workbook(), cache=False)  # through the sandbox child
    assert list(loaded.tables) == list(sample_parsed.tables)
    for key, table in sample_parsed.tables.items():
        pd.testing.assert_frame_equal(loaded.tables[key], table, check_exact=True)
    assert loaded.notes == sample_parsed.notes
    assert loaded.sheet_names == sample_parsed.sheet_names
    assert loaded.age_bands == sample_parsed.age_bands
    t = loaded.tables
    summary = metrics.project_summary(t["projects"], t["grants"], t["budget"], t["costs"],
                                      t["requisitions"], t["financing"])
    assert summary.loc["REG-2009", "spent"] == 1_027_607
    assert summary.loc["REG-2009", "granted"] == 1_289_000
    assert summary.loc["REG-2009", "requisitioned"] == 1_189_000
    assert int(t["referrals"]["count"].sum()) == 14


def test_the_childs_answer_holds_the_tables_as_arrow_bytes_not_pickled_frames():
    path = sample_workbook()
    kind, data = read_checked(path)
    tables, rest = sandbox.call(loader.parse_for_parent, path, data, kind,
                                contract.DEFAULT_AGE_BANDS)
    assert type(tables) is bytes and tables.startswith(handover.MAGIC)
    assert rest.tables == {} and rest.sheet_names["costs"] == "kostnader"
    assert b"pandas" not in pickle.dumps(rest)  # the rest holds no frame
    assert handover.from_ipc(tables)["costs"]["amount"].sum() == 1_027_607


def test_load_rebuilds_the_tables_from_the_bytes_in_the_parent(monkeypatch):
    seen: list[type] = []
    decode = handover.from_ipc

    def spy(data: bytes) -> dict[str, pd.DataFrame]:
        seen.append(type(data))
        return decode(data)

    monkeypatch.setattr(handover, "from_ipc", spy)
    wb = loader.load(sample_workbook(), cache=False)
    assert seen == [bytes] and len(wb.costs) == 29


def test_inside_a_child_nothing_is_encoded(monkeypatch, sample_parsed):
    def refuse(*_args: object) -> None:
        raise AssertionError("encoded inside the sandbox")

    monkeypatch.setattr(sandbox, "inside", lambda: True)
    monkeypatch.setattr(handover, "to_ipc", refuse)
    monkeypatch.setattr(handover, "from_ipc", refuse)
    wb = loader.load(sample_workbook(), cache=False)
    pd.testing.assert_frame_equal(wb.costs, sample_parsed.costs, check_exact=True)


def test_a_workbooks_problems_come_back_from_the_child_as_before(write_xlsx, minimal):
    minimal["kostnader"] = [["projekt_id", "datum", "kategori", "belopp"],
                            ["P1", dt.date(2020, 3, 1), "personal", "tusen kronor"]]
    path: Path = write_xlsx(minimal)
    with pytest.raises(WorkbookError) as raised:
        loader.load(path, cache=False)
    kind, data = read_checked(path)
    with pytest.raises(WorkbookError) as direct:
        loader.parse(path, data, kind)
    assert raised.value.problems == direct.value.problems
    assert any(p.sheet == "kostnader" and p.cell == "D2" for p in raised.value.problems)
