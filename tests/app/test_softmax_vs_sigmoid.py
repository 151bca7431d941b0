"""Lesson 1, part one: the controls change the outputs, sums, losses and quiz feedback."""

from tests.app.conftest import metric_values, table_with_column

PAGE = "pages/softmax_vs_sigmoid.py"


def test_moving_a_logit_changes_both_outputs_and_the_sums(open_page):
    app = open_page(PAGE)
    before = metric_values(app)
    assert before["Softmax outputs add up to"] == "1.000"
    app.slider(key="l1_logit_dog").set_value(6.0).run()
    after = metric_values(app)
    assert after["Softmax outputs add up to"] == "1.000"
    assert after["Sigmoid outputs add up to"] != before["Sigmoid outputs add up to"]
    table = table_with_column(app, "sigmoid")
    assert table.loc["dog", "sigmoid"] > 0.99


def test_presets_set_the_logits(open_page):
    app = open_page(PAGE)
    app.button(key="l1_preset_two_objects").click().run()
    assert app.slider(key="l1_logit_cat").value == 3.0
    assert app.slider(key="l1_logit_dog").value == 3.0
    assert app.slider(key="l1_logit_bird").value == -4.0
    app.button(key="l1_preset_nothing").click().run()
    assert float(metric_values(app)["Sigmoid outputs add up to"]) < 0.1


def test_adding_a_class_lowers_softmax_but_not_sigmoid(open_page):
    app = open_page(PAGE)
    app.number_input(key="l1_class_count").set_value(4).run()
    assert not app.exception
    assert len([s for s in app.slider if s.key.startswith("l1_logit_")]) == 4
    table = table_with_column(app, "softmax change")
    kept = table.loc[["cat", "dog", "bird"]]
    assert all(float(change) < 0 for change in kept["softmax change"])
    assert all(float(change) == 0 for change in kept["sigmoid change"])
    # The new class has no "before"; the table shows it with a dash.
    assert table.loc["fish", "softmax before"] == "–"
    assert table.loc["fish", "softmax after"] != "–"

    # Moved after the change, the temperature updates the comparison too.
    app.slider(key="l1_temperature").set_value(0.2).run()
    cooler = table_with_column(app, "softmax change")
    assert cooler.loc["cat", "softmax after"] != table.loc["cat", "softmax after"]


def test_temperature_flattens_softmax(open_page):
    app = open_page(PAGE)
    sharp = table_with_column(app, "sigmoid").loc["cat", "softmax"]
    app.slider(key="l1_temperature").set_value(5.0).run()
    flat = table_with_column(app, "sigmoid").loc["cat", "softmax"]
    assert flat < sharp


def test_ticking_two_labels_removes_the_one_hot_target(open_page):
    app = open_page(PAGE)
    assert "one-hot target" in table_with_column(app, "multi-hot target").columns
    app.checkbox(key="l1_present_dog").check().run()
    table = table_with_column(app, "multi-hot target")
    assert "one-hot target" not in table.columns
    assert table["multi-hot target"].tolist() == [1.0, 1.0, 0.0]
    assert any("no one-hot vector" in info.value for info in app.info)


def test_two_class_identity_shows_equal_probabilities(open_page):
    app = open_page(PAGE)
    app.slider(key="l1_binary_logit").set_value(-3.2).run()
    values = metric_values(app)
    assert values["sigmoid(z)"] == values["softmax([z, 0])[0]"]
    parameters = table_with_column(app, "parameters")["parameters"].tolist()
    assert parameters == [65, 130]


def test_a_quiz_answer_gives_feedback_and_counts(open_page):
    app = open_page(PAGE)
    app.radio(key="quiz_softmax_vs_sigmoid_softmax-sum_choice").set_value(1)
    app.button(key="quiz_softmax_vs_sigmoid_softmax-sum_check").click().run()
    assert not app.exception
    assert any(block.value == "Right!" for block in app.success)
    answers = app.session_state["course_progress"]["softmax_vs_sigmoid"]["answers"]
    assert answers == {"softmax-sum": True}
    app.radio(key="quiz_softmax_vs_sigmoid_temperature_choice").set_value(2)
    app.button(key="quiz_softmax_vs_sigmoid_temperature_check").click().run()
    assert any("Not quite" in block.value for block in app.error)
