"""Helpers for the app tests: run the real app.py, then switch to the page under test."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def open_page():
    def _open(page: str | None = None, timeout: float = 30, query: dict | None = None) -> AppTest:
        app = AppTest.from_file(APP, default_timeout=timeout)
        for name, value in (query or {}).items():
            app.query_params[name] = value
        app.run()
        assert not app.exception, app.exception
        if page:
            app.switch_page(page).run()
            assert not app.exception, app.exception
        return app

    return _open


def metric_values(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def table_with_column(app: AppTest, column: str):
    """The first table on the page that has the named column (st.dataframe has no test key)."""
    for frame in app.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"No table with a {column!r} column on the page.")
