"""Lesson 3: the page draws its diagrams and benchmark, trains all four models, reads the URL.

Training happens on a background thread: a test clicks Train, waits for the thread, then
reruns the script to see the results. The budgets are tiny (200 images, one epoch), so
the tests check that the page fills in, not how well the models learn; the unit tests
and the benchmark cover learning.
"""

import json
from pathlib import Path

import pytest

import models.training  # noqa: F401  (TensorFlow loads once here, not inside a timed run)
from tests.app.conftest import table_with_column

PAGE = "pages/parameter_sharing.py"
KEY = "l3"
RUN_KEY = f"training_panel:{KEY}"
SWEEP = Path(__file__).resolve().parents[2] / "models" / "sharing_sweep.json"
TITLES = ["class only", "box only", "hard sharing", "soft sharing"]
TINY = {"images": "200", "epochs": "1"}
# The first run of the page imports TensorFlow and builds the four models to count them.
TIMEOUT = 120


def train_and_wait(app) -> None:
    app.button(key=f"{KEY}_train").click().run()
    assert not app.exception, app.exception
    assert app.session_state[RUN_KEY].wait(timeout=TIMEOUT)
    app.run()
    assert not app.exception, app.exception


def test_the_page_draws_the_diagrams_parameters_and_benchmark_before_any_training(open_page):
    app = open_page(PAGE, timeout=TIMEOUT)
    assert len(app.get("graphviz_chart")) == 4
    counts = table_with_column(app, "parameters").set_index("model")["parameters"]
    assert counts["hard sharing"] < counts["class only + box only, together"]
    assert counts["soft sharing"] == counts["class only + box only, together"]
    # The benchmark's tables by task, one row per training-set size.
    accuracy = table_with_column(app, "class only")
    assert list(accuracy["training images"]) == [300, 1000, 3000]
    assert "box only" not in accuracy.columns
    iou = table_with_column(app, "box only")
    assert "class only" not in iou.columns
    assert "learned nothing" in iou.columns
    assert len(table_with_column(app, "box loss weight")) >= 2
    assert any("Nothing trained yet" in caption.value for caption in app.caption)
    assert not any("held-out" in header.value for header in app.subheader)


@pytest.mark.slow
def test_training_all_four_with_a_tiny_budget_fills_the_results_table(open_page):
    app = open_page(PAGE, timeout=TIMEOUT, query=TINY)
    train_and_wait(app)

    run = app.session_state[RUN_KEY]
    assert [progress.snapshot().status for progress in run.progress] == ["finished"] * 4
    statuses = [block.value for block in app.markdown if "trained:" in block.value]
    assert len(statuses) == 4

    results = table_with_column(app, "mean box IoU").set_index("model")
    assert list(results.index[:4]) == TITLES
    # The table is shown as text: a dash for a head a model does not have.
    assert results.loc["class only", "mean box IoU"] == "–"
    assert results.loc["box only", "class accuracy"] == "–"
    for title in ("hard sharing", "soft sharing"):
        assert 0.0 <= float(results.loc[title, "class accuracy"]) <= 1.0
        assert 0.0 <= float(results.loc[title, "mean box IoU"]) <= 1.0
    # One epoch on a few hundred images teaches the class heads nothing yet, and the
    # page says so instead of comparing them.
    assert any("not learned the classes yet" in warning.value for warning in app.warning)
    assert (results.loc[TITLES, "epochs trained"] == 1).all()
    assert any(block.value.startswith("- **hard sharing**") for block in app.markdown)

    gallery = table_with_column(app, "true class")
    assert len(gallery) == 6  # one test image of each class
    assert "soft sharing: box IoU" in gallery.columns
    # The training curves, the benchmark, the continuum and the boxes on test images.
    assert len(app.get("plotly_chart")) == 4

    # A change of settings says the results are for the models as last trained.
    app.select_slider(key=f"{KEY}_lam").set_value(1.0).run()
    assert not app.exception, app.exception
    assert any("have changed since" in notice.value for notice in app.info)
    assert any("as last trained" in caption.value for caption in app.caption)
    assert app.session_state[RUN_KEY] is run  # nothing retrains by itself


def test_controls_write_the_settings_to_the_url(open_page):
    app = open_page(PAGE, timeout=TIMEOUT)
    app.select_slider(key=f"{KEY}_lam").set_value(0.0).run()
    app.select_slider(key=f"{KEY}_box_weight").set_value(100.0).run()
    app.slider(key=f"{KEY}_epochs").set_value(3).run()
    assert not app.exception, app.exception
    assert app.query_params["lam"] == "0"
    assert app.query_params["box_weight"] == "100"
    assert app.query_params["epochs"] == "3"
    assert not app.info


def test_a_link_sets_the_controls(open_page):
    app = open_page(PAGE, timeout=TIMEOUT, query={"lam": "0.1", "images": "3000"})
    assert app.select_slider(key=f"{KEY}_lam").value == 0.1
    assert app.select_slider(key=f"{KEY}_images").value == 3000
    assert not app.info


def test_bad_url_values_fall_back_to_their_defaults_with_a_notice(open_page):
    query = {"lam": "garbage", "images": "99999", "epochs": "0", "box_weight": "-3"}
    app = open_page(PAGE, timeout=TIMEOUT, query=query)
    assert app.select_slider(key=f"{KEY}_lam").value == 0.01
    assert app.select_slider(key=f"{KEY}_images").value == 1000
    assert app.slider(key=f"{KEY}_epochs").value == 9
    assert app.select_slider(key=f"{KEY}_box_weight").value == 10.0
    notices = " ".join(notice.value for notice in app.info)
    for name in query:
        assert f"`{name}`" in notices
    assert "garbage" not in notices  # the page never repeats what a link said
    assert app.query_params["lam"] == "0.01"  # the link now says what the page shows


def test_both_loss_weights_at_zero_are_refused_before_training(open_page):
    app = open_page(PAGE, timeout=TIMEOUT, query={"class_weight": "0", "box_weight": "0"})
    assert any("Both loss weights are 0" in error.value for error in app.error)
    assert not [button for button in app.button if button.key == f"{KEY}_train"]


def test_the_page_defaults_are_the_benchmark_settings_it_is_compared_with(open_page):
    sweep = json.loads(SWEEP.read_text(encoding="utf-8"))
    app = open_page(PAGE, timeout=TIMEOUT)
    settings = sweep["settings"]
    assert app.select_slider(key=f"{KEY}_class_weight").value == settings["class_weight"]
    assert app.select_slider(key=f"{KEY}_box_weight").value == settings["box_weight"]
    assert app.select_slider(key=f"{KEY}_lam").value == settings["penalty_strength"]
    images = app.select_slider(key=f"{KEY}_images").value
    row = next(row for row in sweep["by_size"] if row["size"] == images)
    assert app.slider(key=f"{KEY}_epochs").value == row["epochs"]


def test_a_quiz_answer_gives_feedback(open_page):
    app = open_page(PAGE, timeout=TIMEOUT)
    app.radio(key="quiz_parameter_sharing_lambda-zero_choice").set_value(1)
    app.button(key="quiz_parameter_sharing_lambda-zero_check").click().run()
    assert not app.exception, app.exception
    assert any(block.value == "Right!" for block in app.success)
