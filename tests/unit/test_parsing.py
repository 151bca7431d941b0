"""Unit tests for lessons.parsing: each way of reading a sigmoid output."""

import numpy as np
import pytest

from lessons.parsing import (
    check_probabilities,
    label_names,
    parse_at_least_one,
    parse_top_k,
    parse_top_k_above_threshold,
    parse_with_threshold,
    parse_with_thresholds,
)

SEEDS = [0, 1, 2, 3, 4]

# Two samples, three classes, with a value exactly on 0.5 to pin down ">=".
PROBABILITIES = np.array(
    [
        [0.9, 0.5, 0.1],
        [0.2, 0.49, 0.3],
    ]
)


def random_probabilities(seed, n_samples=40, n_classes=6):
    return np.random.default_rng(seed).random((n_samples, n_classes))


# One threshold.


def test_threshold_says_every_label_at_or_above_it():
    expected = np.array([[1, 1, 0], [0, 0, 0]])
    np.testing.assert_array_equal(parse_with_threshold(PROBABILITIES, 0.5), expected)


def test_threshold_returns_integer_zeros_and_ones_of_the_same_shape():
    predictions = parse_with_threshold(PROBABILITIES, 0.3)
    assert predictions.shape == PROBABILITIES.shape
    assert predictions.dtype.kind == "i"
    np.testing.assert_array_equal(predictions, [[1, 1, 0], [0, 1, 1]])


def test_threshold_zero_says_every_label_and_threshold_one_only_certain_ones():
    probabilities = np.array([[0.0, 0.7, 1.0]])
    np.testing.assert_array_equal(parse_with_threshold(probabilities, 0.0), [[1, 1, 1]])
    np.testing.assert_array_equal(parse_with_threshold(probabilities, 1.0), [[0, 0, 1]])


# A threshold per class.


def test_per_class_thresholds_apply_each_threshold_to_its_own_column():
    expected = np.array([[1, 0, 1], [0, 0, 1]])
    np.testing.assert_array_equal(
        parse_with_thresholds(PROBABILITIES, [0.8, 0.6, 0.1]),
        expected,
    )


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("threshold", [0.0, 0.25, 0.5, 0.9, 1.0])
def test_per_class_thresholds_equal_to_a_global_one_give_the_same_result(seed, threshold):
    probabilities = random_probabilities(seed)
    thresholds = np.full(probabilities.shape[1], threshold)
    np.testing.assert_array_equal(
        parse_with_thresholds(probabilities, thresholds),
        parse_with_threshold(probabilities, threshold),
    )


# Top-k.


def test_top_k_says_the_k_most_probable_labels():
    np.testing.assert_array_equal(parse_top_k(PROBABILITIES, 1), [[1, 0, 0], [0, 1, 0]])
    np.testing.assert_array_equal(parse_top_k(PROBABILITIES, 2), [[1, 1, 0], [0, 1, 1]])


@pytest.mark.parametrize("seed", SEEDS)
def test_top_k_returns_exactly_k_labels_per_row_and_they_are_the_most_probable(seed):
    probabilities = random_probabilities(seed)
    for k in range(1, probabilities.shape[1] + 1):
        predictions = parse_top_k(probabilities, k)
        np.testing.assert_array_equal(predictions.sum(axis=1), k)
        chosen = np.where(predictions == 1, probabilities, np.inf).min(axis=1)
        left_out = np.where(predictions == 0, probabilities, -np.inf).max(axis=1)
        assert np.all(chosen >= left_out)


def test_top_k_breaks_ties_by_class_order():
    probabilities = np.array([[0.5, 0.5, 0.5, 0.5], [0.1, 0.7, 0.7, 0.7]])
    np.testing.assert_array_equal(parse_top_k(probabilities, 2), [[1, 1, 0, 0], [0, 1, 1, 0]])


def test_top_k_says_k_labels_even_when_all_are_improbable():
    probabilities = np.array([[0.01, 0.03, 0.02]])
    np.testing.assert_array_equal(parse_top_k(probabilities, 2), [[0, 1, 1]])


# Top-k above a threshold.


def test_top_k_above_threshold_keeps_only_top_labels_that_also_pass():
    probabilities = np.array([[0.9, 0.8, 0.7, 0.1], [0.6, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3, 0.4]])
    expected = np.array([[1, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]])
    np.testing.assert_array_equal(parse_top_k_above_threshold(probabilities, 2, 0.5), expected)


@pytest.mark.parametrize("seed", SEEDS)
def test_top_k_above_threshold_is_at_most_k_and_inside_both_rules(seed):
    probabilities = random_probabilities(seed)
    predictions = parse_top_k_above_threshold(probabilities, 2, 0.4)
    assert np.all(predictions.sum(axis=1) <= 2)
    assert np.all(predictions <= parse_top_k(probabilities, 2))
    assert np.all(predictions <= parse_with_threshold(probabilities, 0.4))


# At least one label.


def test_at_least_one_falls_back_to_the_most_probable_label_for_an_empty_row():
    expected = np.array([[1, 1, 0], [0, 1, 0]])
    np.testing.assert_array_equal(parse_at_least_one(PROBABILITIES, 0.5), expected)


def test_at_least_one_breaks_ties_by_class_order():
    probabilities = np.array([[0.2, 0.3, 0.3]])
    np.testing.assert_array_equal(parse_at_least_one(probabilities, 0.5), [[0, 1, 0]])


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("threshold", [0.5, 0.9, 1.0])
def test_at_least_one_never_returns_an_empty_row(seed, threshold):
    probabilities = random_probabilities(seed)
    predictions = parse_at_least_one(probabilities, threshold)
    assert np.all(predictions.sum(axis=1) >= 1)


@pytest.mark.parametrize("seed", SEEDS)
def test_at_least_one_equals_the_threshold_rule_on_rows_that_already_have_a_label(seed):
    probabilities = random_probabilities(seed)
    by_threshold = parse_with_threshold(probabilities, 0.7)
    non_empty = by_threshold.sum(axis=1) > 0
    assert non_empty.any() and not non_empty.all()
    np.testing.assert_array_equal(
        parse_at_least_one(probabilities, 0.7)[non_empty], by_threshold[non_empty]
    )


# Naming labels.


def test_label_names_lists_the_switched_on_classes_in_class_order():
    names = ["circle", "square", "triangle"]
    assert label_names([1, 0, 1], names) == ["circle", "triangle"]
    assert label_names(np.array([0, 0, 0]), names) == []


# Bad arguments.


@pytest.mark.parametrize(
    "probabilities",
    [
        np.array([0.1, 0.2]),
        np.zeros((0, 3)),
        np.zeros((2, 0)),
        np.array([[0.1, 1.2]]),
        np.array([[-0.1, 0.5]]),
        np.array([[np.nan, 0.5]]),
    ],
    ids=["one-dimensional", "no samples", "no classes", "above one", "negative", "nan"],
)
def test_bad_probabilities_are_refused_with_a_clear_message(probabilities):
    with pytest.raises(ValueError, match="[Pp]robabilities"):
        check_probabilities(probabilities)
    with pytest.raises(ValueError):
        parse_with_threshold(probabilities, 0.5)


@pytest.mark.parametrize("threshold", [-0.1, 1.1, np.nan])
def test_threshold_outside_zero_to_one_is_refused(threshold):
    for parse in (parse_with_threshold, parse_at_least_one):
        with pytest.raises(ValueError, match="between 0 and 1"):
            parse(PROBABILITIES, threshold)
    with pytest.raises(ValueError, match="between 0 and 1"):
        parse_top_k_above_threshold(PROBABILITIES, 1, threshold)
    with pytest.raises(ValueError, match="between 0 and 1"):
        parse_with_thresholds(PROBABILITIES, [0.5, threshold, 0.5])


def test_per_class_thresholds_of_the_wrong_length_are_refused():
    with pytest.raises(ValueError, match="one threshold per class"):
        parse_with_thresholds(PROBABILITIES, [0.5, 0.5])


@pytest.mark.parametrize("k", [0, 4, -1, 1.5, True, "2"])
def test_k_out_of_range_or_not_a_whole_number_is_refused(k):
    with pytest.raises(ValueError, match="k must be"):
        parse_top_k(PROBABILITIES, k)
    with pytest.raises(ValueError, match="k must be"):
        parse_top_k_above_threshold(PROBABILITIES, k, 0.5)


def test_top_k_accepts_a_numpy_integer():
    np.testing.assert_array_equal(parse_top_k(PROBABILITIES, np.int64(1)), [[1, 0, 0], [0, 1, 0]])


def test_label_names_refuses_a_row_of_the_wrong_length():
    with pytest.raises(ValueError, match="one prediction per class"):
        label_names([1, 0], ["circle", "square", "triangle"])
