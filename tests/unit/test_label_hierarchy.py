"""The parent label "has corners": its truth, its derived probabilities, and their bounds."""

import numpy as np
import pytest

from lessons.label_hierarchy import (
    HAS_CORNERS,
    ParentLabel,
    share_saying_two_labels,
    with_parent_column,
)
from lessons.parsing import parse_with_threshold

CLASS_NAMES = ("circle", "square", "triangle", "star", "hexagon", "cross")


def random_probabilities(rows=200, seed=0):
    return np.random.default_rng(seed).random((rows, len(CLASS_NAMES)))


def test_a_circle_alone_has_no_corners_and_any_other_shape_has():
    y_true = np.array(
        [
            [1, 0, 0, 0, 0, 0],
            [0, 1, 0, 0, 0, 0],
            [1, 0, 0, 0, 0, 1],
            [0, 0, 0, 0, 0, 0],
        ]
    )
    assert HAS_CORNERS.truth(y_true, CLASS_NAMES).tolist() == [0, 1, 1, 0]


def test_the_max_rule_takes_the_likeliest_child_and_ignores_the_circle():
    probabilities = np.array([[0.99, 0.1, 0.7, 0.2, 0.0, 0.3]])
    assert HAS_CORNERS.probability_by_max(probabilities, CLASS_NAMES).tolist() == [0.7]


def test_noisy_or_matches_its_formula():
    probabilities = np.array([[0.9, 0.5, 0.5, 0.0, 0.0, 0.0]])
    assert HAS_CORNERS.probability_by_noisy_or(probabilities, CLASS_NAMES)[0] == pytest.approx(0.75)


def test_noisy_or_is_between_the_max_and_one():
    probabilities = random_probabilities()
    by_max = HAS_CORNERS.probability_by_max(probabilities, CLASS_NAMES)
    by_noisy_or = HAS_CORNERS.probability_by_noisy_or(probabilities, CLASS_NAMES)
    assert np.all(by_noisy_or >= by_max - 1e-12)
    assert np.all(by_noisy_or <= 1.0)


@pytest.mark.parametrize("threshold", [0.1, 0.5, 0.9])
def test_with_the_max_rule_a_child_that_passes_makes_the_parent_pass(threshold):
    probabilities = random_probabilities(seed=3)
    parent = HAS_CORNERS.probability_by_max(probabilities, CLASS_NAMES)
    labels = parse_with_threshold(with_parent_column(probabilities, parent), threshold)
    children = labels[:, HAS_CORNERS.child_columns(CLASS_NAMES)]
    assert np.all(labels[:, -1] >= children.max(axis=1))


def test_an_unknown_child_is_named_in_the_error():
    parent = ParentLabel("round", ("circle", "oval"))
    with pytest.raises(ValueError, match="oval"):
        parent.child_columns(CLASS_NAMES)


def test_a_matrix_with_the_wrong_number_of_columns_is_refused():
    with pytest.raises(ValueError, match="one column per class"):
        HAS_CORNERS.probability_by_max(np.full((2, 5), 0.5), CLASS_NAMES)


def test_the_parent_column_goes_on_the_right():
    matrix = with_parent_column(np.zeros((2, 6)), np.array([1, 0]))
    assert matrix.shape == (2, 7)
    assert matrix[:, -1].tolist() == [1, 0]


def test_softmax_outputs_never_say_two_labels_above_one_half():
    logits = np.random.default_rng(1).normal(scale=3, size=(500, 7))
    softmax = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert share_saying_two_labels(softmax, 0.5 + 1e-9) == 0.0
    assert share_saying_two_labels(np.array([[0.9, 0.8], [0.9, 0.1]]), 0.5) == 0.5
