"""The live heads of lesson 2: features from a network's last hidden layer, small sigmoid heads."""

import keras
import numpy as np
import pytest

from models.multilabel_heads import (
    build_head,
    feature_extractor,
    image_features,
    predict_probabilities,
)


def small_network() -> keras.Model:
    inputs = keras.Input(shape=(8, 8, 3))
    hidden = keras.layers.GlobalAveragePooling2D()(inputs)
    hidden = keras.layers.Dense(5, activation="relu", name="last_hidden")(hidden)
    outputs = keras.layers.Dense(6, activation="sigmoid")(hidden)
    return keras.Model(inputs, outputs)


def test_features_are_what_the_output_layer_reads():
    network = small_network()
    images = np.random.default_rng(0).random((300, 8, 8, 3), dtype=np.float32)
    features = image_features(feature_extractor(network), images)
    assert features.shape == (300, 5)
    output_layer = network.layers[-1]
    rebuilt = keras.ops.convert_to_numpy(output_layer(features))
    expected = keras.ops.convert_to_numpy(network(images, training=False))
    np.testing.assert_allclose(rebuilt, expected, atol=1e-5)


def test_a_sequential_network_gives_features_too():
    network = keras.Sequential(
        [keras.Input(shape=(4,)), keras.layers.Dense(3), keras.layers.Dense(2)]
    )
    features = image_features(feature_extractor(network), np.ones((2, 4), dtype=np.float32))
    assert features.shape == (2, 3)


@pytest.mark.parametrize("outputs", [1, 6])
def test_a_head_gives_one_probability_per_output(outputs):
    head = build_head(5, outputs)
    probabilities = predict_probabilities(head, np.zeros((4, 5), dtype=np.float32))
    assert probabilities.shape == (4, outputs)
    assert np.all((probabilities > 0) & (probabilities < 1))
    assert head.loss == "binary_crossentropy"


def test_one_vs_rest_heads_hold_more_parameters_than_one_shared_head():
    shared = build_head(64, 6).count_params()
    separate = 6 * build_head(64, 1).count_params()
    assert separate > 5 * shared


@pytest.mark.parametrize(("feature_size", "outputs"), [(0, 6), (5, 0), (5, True), (5.0, 6)])
def test_bad_sizes_are_refused_with_a_message(feature_size, outputs):
    with pytest.raises(ValueError, match="whole number"):
        build_head(feature_size, outputs)
