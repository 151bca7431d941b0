"""The page's explanation of a disagreement follows from the numbers."""

from lessons.model_comparison import explain_disagreement

NAMES = ("circle", "square", "triangle")


def test_agreeing_models_need_no_explanation():
    assert explain_disagreement(NAMES, [0.9, 0.1, 0.05], [0.8, 0.1, 0.1], 0.5) is None


def test_two_shapes_explain_the_softmax_split():
    text = explain_disagreement(NAMES, [0.9, 0.8, 0.05], [0.5, 0.45, 0.05], 0.5)
    assert "circle and square" in text
    assert "circle 0.50, square 0.45" in text


def test_an_empty_picture_explains_that_softmax_still_sums_to_one():
    text = explain_disagreement(NAMES, [0.1, 0.2, 0.05], [0.2, 0.7, 0.1], 0.5)
    assert "none of the shapes" in text and "square (0.70)" in text


def test_different_single_answers_are_named():
    text = explain_disagreement(NAMES, [0.1, 0.9, 0.05], [0.2, 0.1, 0.7], 0.5)
    assert "says square" in text and "triangle (0.70)" in text


def test_the_threshold_decides_what_the_sigmoid_model_says():
    probabilities, softmax = [0.6, 0.55, 0.05], [0.55, 0.4, 0.05]
    assert explain_disagreement(NAMES, probabilities, softmax, 0.5) is not None
    assert explain_disagreement(NAMES, probabilities, softmax, 0.58) is None
