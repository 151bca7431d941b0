"""Lesson 1's live section: train both models, keep them, show maps and scores, read the URL.

The section runs on its own through AppTest.from_function, so these tests do not depend
on the rest of the lesson page. Training happens on a background thread: a test clicks
Train, waits for the thread, then reruns the script to see the result.
"""

import pytest
from streamlit.testing.v1 import AppTest

import models.training  # noqa: F401  (TensorFlow loads once here, not inside a timed run)
from tests.app.conftest import table_with_column

KEY = "l1_live"
RUN_KEY = f"training_panel:{KEY}"


def section():
    from ui.live_overlap import live_overlap_section

    live_overlap_section()


def open_section(query: dict | None = None) -> AppTest:
    app = AppTest.from_function(section, default_timeout=60)
    for name, value in (query or {}).items():
        app.query_params[name] = value
    app.run()
    assert not app.exception, app.exception
    return app


def small_settings(app: AppTest, epochs: int = 5) -> None:
    app.slider(key=f"{KEY}_epochs").set_value(epochs)
    app.slider(key=f"{KEY}_points").set_value(200)
    app.run()


def train_and_wait(app: AppTest) -> None:
    app.button(key=f"{KEY}_train").click().run()
    assert not app.exception, app.exception
    assert app.session_state[RUN_KEY].wait(timeout=60)
    app.run()
    assert not app.exception, app.exception


@pytest.mark.slow
def test_training_keeps_both_models_and_shows_chart_maps_and_scores():
    app = open_section()
    small_settings(app)
    train_and_wait(app)

    run = app.session_state[RUN_KEY]
    assert [progress.snapshot().status for progress in run.progress] == ["finished"] * 2
    assert all(progress.model is not None for progress in run.progress)
    statuses = [block.value for block in app.markdown if "trained:" in block.value]
    assert len(statuses) == 2
    assert len(app.get("plotly_chart")) == 2  # the training history and the maps

    scores = table_with_column(app, "score")
    assert scores["score"].tolist()[-1] == "subset accuracy"
    assert scores[["softmax", "sigmoid"]].to_numpy().min() >= 0.0
    at_a_point = table_with_column(app, "truly has the label (inside its disc)")
    assert at_a_point.set_index("label").loc["sum", "softmax"] == pytest.approx(1.0, abs=1e-3)

    # A rerun reuses the trained models instead of training again.
    first_model = run.progress[0].model
    app.number_input(key=f"{KEY}_probe_x").set_value(0.5).run()
    assert app.session_state[RUN_KEY].progress[0].model is first_model
    assert not app.exception


@pytest.mark.slow
def test_stop_leaves_a_partly_trained_model():
    app = open_section()
    small_settings(app, epochs=200)
    app.button(key=f"{KEY}_train").click().run()
    run = app.session_state[RUN_KEY]
    while run.is_running and run.progress[0].snapshot().epochs_done < 1:
        run.wait(timeout=0.05)
    app.button(key=f"{KEY}_stop").click().run()
    assert run.wait(timeout=30)
    app.run()
    assert not app.exception, app.exception
    first, second = (progress.snapshot() for progress in run.progress)
    assert first.status == "stopped" and first.partly_trained
    assert second.status == "stopped" and second.epochs_done == 0
    assert any("partly trained" in block.value for block in app.markdown)


def test_a_bad_url_value_falls_back_to_its_default_with_a_notice():
    app = open_section({"units": "garbage", "epochs": "900", "layers": "1"})
    assert app.select_slider(key=f"{KEY}_units").value == 16
    assert app.slider(key=f"{KEY}_epochs").value == 40
    assert app.slider(key=f"{KEY}_layers").value == 1
    notices = [notice.value for notice in app.info]
    assert any("`units`" in notice for notice in notices)
    assert any("`epochs`" in notice for notice in notices)
    assert app.query_params["units"] == "16"  # the link now says what the page shows


def test_changing_a_control_writes_it_to_the_url():
    app = open_section()
    app.slider(key=f"{KEY}_noise").set_value(0.1).run()
    assert app.query_params["noise"] == "0.1"
    assert not app.info


def test_the_url_is_read_only_on_the_first_visit():
    app = open_section({"layers": "3"})
    app.slider(key=f"{KEY}_layers").set_value(0).run()
    assert app.slider(key=f"{KEY}_layers").value == 0
