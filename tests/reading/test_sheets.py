"""One sheet read cell by cell into a typed table (``reading/sheets.py``); what it reads
is tested through :func:`grantstats.load` in ``test_loader.py``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from grantstats.contract import DEFAULT_AGE_BANDS, SHEETS
from grantstats.reading.sheets import DEFAULTS, table_frame, typed_series


def test_a_column_the_sheet_lacks_is_its_default_in_every_row() -> None:
    """The default of a missing column is made once and taken n times; it must equal
    the default typed row by row, for every column of the contract."""
    for spec in SHEETS:
        for n in (0, 3):
            frame = table_frame(spec, {}, list(range(n)), spec.sv, DEFAULT_AGE_BANDS)
            for col in spec.columns:
                expected = typed_series(col, [DEFAULTS.get(col.kind)] * n, DEFAULT_AGE_BANDS)
                pd.testing.assert_series_equal(frame[col.key], expected, check_names=False)
            assert frame["sheet"].tolist() == [spec.sv] * n
            assert str(frame["sheet"].dtype) == "str"
            assert frame["row"].tolist() == list(np.arange(n) + 1)
