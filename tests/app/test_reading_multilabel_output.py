"""Lesson 2: the reading rule drives the gallery and the scores; tuning, URL and live training.

The page loads TensorFlow and the shipped models' predictions on its first run (cached
for the rest of the process), so the first test here takes longest.
"""

import pytest

from lessons.shapes import CLASS_NAMES
from tests.app.conftest import metric_values, table_with_column
from ui import multilabel_live

PAGE = "pages/reading_multilabel_output.py"
# TensorFlow, 3,000 generated images and two models' predictions on a busy machine.
TIMEOUT = 180


@pytest.fixture
def lesson(open_page):
    def _open(query: dict | None = None):
        return open_page(PAGE, timeout=TIMEOUT, query=query)

    return _open


def said_labels(app) -> list[str]:
    return table_with_column(app, "the model says")["the model says"].tolist()


def test_the_page_shows_real_scores_without_errors(lesson):
    app = lesson()
    assert not app.exception
    assert not app.error
    scores = metric_values(app)
    assert 0.0 < float(scores["micro F1"]) <= 1.0
    assert 0.0 <= float(scores["Hamming loss"]) < 1.0


def test_moving_the_threshold_changes_the_scores(lesson):
    app = lesson()
    before = metric_values(app)
    validation_before = table_with_column(app, "validation")["validation"].copy()
    app.slider(key="l2_threshold").set_value(0.1).run()
    after = metric_values(app)
    assert after["micro F1"] != before["micro F1"]
    assert after["Hamming loss"] != before["Hamming loss"]
    validation_after = table_with_column(app, "validation")["validation"]
    assert (validation_after != validation_before).any()
    # A lower threshold says more labels: recall cannot fall.
    assert validation_after["micro recall"] >= validation_before["micro recall"]
    assert app.query_params["threshold"] == "0.1"


def test_switching_the_rule_changes_the_parsed_labels(lesson):
    app = lesson()
    threshold_labels = said_labels(app)
    app.radio(key="l2_strategy").set_value("top-k").run()
    app.slider(key="l2_k").set_value(3).run()
    top_three = said_labels(app)
    assert top_three != threshold_labels
    assert all(len(labels.split(", ")) == 3 for labels in top_three)
    app.radio(key="l2_strategy").set_value("at-least-one").run()
    assert "(nothing)" not in said_labels(app)


def test_tuning_on_validation_sets_a_threshold_per_class(lesson):
    app = lesson()
    app.radio(key="l2_goal").set_value("precision").run()
    app.slider(key="l2_target_precision").set_value(0.99).run()
    app.button(key="l2_tune").click().run()
    assert not app.exception
    assert app.radio(key="l2_strategy").value == "per-class"
    thresholds = table_with_column(app, "test F1")["threshold"]
    assert len(set(thresholds.round(2))) > 1, "every class got the same threshold"
    for name, value in thresholds.items():
        assert app.slider(key=f"l2_t_{name}").value == pytest.approx(value)
    assert any("Tuned for a precision of at least 0.99" in box.value for box in app.success)
    # The validation precision the tuning aimed for is reached on every class that could.
    precision = table_with_column(app, "test F1")["validation precision"]
    assert (precision >= 0.98).sum() >= 4


def test_a_good_link_sets_the_controls(lesson):
    app = lesson({"strategy": "top-k-threshold", "k": "1", "threshold": "0.35"})
    assert app.radio(key="l2_strategy").value == "top-k-threshold"
    assert app.slider(key="l2_k").value == 1
    assert app.slider(key="l2_threshold").value == pytest.approx(0.35)
    assert not app.info


def test_a_bad_link_value_falls_back_with_a_notice(lesson):
    app = lesson({"threshold": "7", "strategy": "guess", "t_star": "0.123"})
    notices = " ".join(box.value for box in app.info)
    for name in ("threshold", "strategy", "t_star"):
        assert f"`{name}`" in notices
    assert app.slider(key="l2_threshold").value == 0.5
    assert app.radio(key="l2_strategy").value == "threshold"
    assert app.slider(key="l2_t_star").value == 0.5


def test_a_quiz_answer_counts(lesson):
    app = lesson()
    app.radio(key="quiz_reading_multilabel_output_where-to-tune_choice").set_value(1)
    app.button(key="quiz_reading_multilabel_output_where-to-tune_check").click().run()
    assert any(box.value == "Right!" for box in app.success)
    answers = app.session_state["course_progress"]["reading_multilabel_output"]["answers"]
    assert answers == {"where-to-tune": True}


def train_and_wait(app, key: str, timeout: float = 150):
    """Press a training panel's Train button, wait for its run to end, draw the results."""
    app.button(key=f"{key}_train").click().run()
    run = app.session_state[f"training_panel:{key}"]
    assert run.wait(timeout), "training did not finish in time"
    app.run()
    assert not app.exception
    return app


@pytest.mark.slow
def test_making_a_class_rare_retrains_and_compares_recall(lesson, monkeypatch):
    # A tiny budget: the test checks that the live run completes and reports, not how well.
    monkeypatch.setattr(multilabel_live, "EPOCHS", 3)
    app = train_and_wait(lesson({"rare": "star", "keep": "0.05"}), "l2_rare")
    recall = table_with_column(app, "recall, trained one class rare")
    assert list(recall.index) == list(CLASS_NAMES)
    assert recall["recall, trained balanced"].notna().all()
    assert any("**star**: test recall" in block.value for block in app.markdown)


@pytest.mark.slow
def test_one_vs_rest_trains_seven_models_and_compares_their_cost(lesson, monkeypatch):
    monkeypatch.setattr(multilabel_live, "EPOCHS", 2)
    app = train_and_wait(lesson(), "l2_ovr")
    costs = table_with_column(app, "parameters")
    separate, shared = costs["parameters"].iloc[1], costs["parameters"].iloc[0]
    assert separate > 5 * shared
    assert (costs["training seconds"] > 0).all()


def test_a_link_setting_the_page_does_not_know_is_dropped_with_a_notice(open_page):
    app = open_page(PAGE, timeout=TIMEOUT, query={"rule": "zzz", "t": "5"})
    assert any("2 settings this page does not use" in notice.value for notice in app.info)
    assert "rule" not in app.query_params and "t" not in app.query_params
