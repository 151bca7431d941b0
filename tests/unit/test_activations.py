"""The activations and losses of lesson 1, against scipy and hand computations."""

import numpy as np
import pytest
from scipy.special import expit
from scipy.special import softmax as scipy_softmax

from lessons import activations

EXTREME_LOGITS = [
    [1000.0, -1000.0, 0.0],
    [-1000.0, -1000.0, -1000.0],
    [1000.0, 1000.0],
    [5.0],
    [0.0, 0.0, 0.0, 0.0],
    [709.0, 710.0, -745.0],
]


@pytest.mark.parametrize("seed", range(5))
def test_softmax_matches_scipy_on_random_logits(seed):
    logits = np.random.default_rng(seed).normal(scale=5, size=(20, 6))
    np.testing.assert_allclose(activations.softmax(logits), scipy_softmax(logits, axis=-1))


@pytest.mark.parametrize("logits", EXTREME_LOGITS)
def test_softmax_sums_to_one_without_nan_for_extreme_logits(logits):
    probabilities = activations.softmax(logits)
    assert np.all(np.isfinite(probabilities))
    assert probabilities.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(probabilities, scipy_softmax(logits), atol=1e-12)


def test_softmax_of_equal_logits_is_uniform():
    np.testing.assert_allclose(activations.softmax([3.0] * 4), [0.25] * 4)


def test_softmax_of_one_class_is_one():
    assert activations.softmax([-7.0]).tolist() == [1.0]


@pytest.mark.parametrize("logits", EXTREME_LOGITS)
def test_sigmoid_matches_scipy_without_overflow(logits):
    with np.errstate(over="raise"):
        np.testing.assert_allclose(activations.sigmoid(logits), expit(logits), atol=1e-15)


def test_sigmoid_treats_each_logit_on_its_own():
    alone = activations.sigmoid([2.0])
    with_others = activations.sigmoid([2.0, 9.0, -9.0])
    assert with_others[0] == alone[0]


def test_low_temperature_approaches_argmax_and_high_temperature_approaches_uniform():
    logits = np.array([2.0, 1.0, -1.0])
    cold = activations.softmax(logits, temperature=0.05)
    hot = activations.softmax(logits, temperature=1000.0)
    assert cold[0] > 0.999
    np.testing.assert_allclose(hot, [1 / 3] * 3, atol=1e-3)
    np.testing.assert_allclose(
        activations.softmax(logits, temperature=2.0), scipy_softmax(logits / 2.0)
    )


def test_temperature_below_the_minimum_is_refused():
    with pytest.raises(ValueError, match="temperature"):
        activations.softmax([1.0, 2.0], temperature=0.0)


@pytest.mark.parametrize("z", [-1000.0, -30.0, -1.5, 0.0, 0.7, 30.0, 1000.0])
def test_one_sigmoid_unit_equals_a_two_unit_softmax(z):
    assert activations.softmax([z, 0.0])[0] == pytest.approx(float(activations.sigmoid(z)))
    assert activations.softmax([z + 3.0, 3.0])[0] == pytest.approx(float(activations.sigmoid(z)))


def test_one_hot_and_multi_hot_encodings():
    assert activations.one_hot(1, 3).tolist() == [0.0, 1.0, 0.0]
    assert activations.multi_hot([0, 2], 3).tolist() == [1.0, 0.0, 1.0]
    assert activations.multi_hot([], 3).tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(ValueError):
        activations.one_hot(3, 3)
    with pytest.raises(ValueError):
        activations.multi_hot([5], 3)


def test_categorical_crossentropy_by_hand():
    # Only the true class counts: -log(0.7).
    loss = activations.categorical_crossentropy([0, 1, 0], [0.2, 0.7, 0.1])
    assert loss == pytest.approx(-np.log(0.7))


def test_binary_crossentropy_by_hand():
    # Mean of -log(0.9), -log(1 - 0.2) and -log(0.6) over the three classes.
    loss = activations.binary_crossentropy([1, 0, 1], [0.9, 0.2, 0.6])
    expected = -(np.log(0.9) + np.log(0.8) + np.log(0.6)) / 3
    assert loss == pytest.approx(expected)


def test_losses_stay_finite_at_probabilities_of_zero_and_one():
    assert np.isfinite(activations.categorical_crossentropy([1, 0], [0.0, 1.0]))
    assert np.isfinite(activations.binary_crossentropy([1, 0], [0.0, 1.0]))


def test_output_layer_parameters_count_weights_and_biases():
    assert activations.output_layer_parameters(64, 1) == 65
    assert activations.output_layer_parameters(64, 2) == 130
