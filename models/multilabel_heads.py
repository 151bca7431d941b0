"""The small models lesson 2 trains live: dense heads on the shipped sigmoid network's features.

A convolutional network learns shapes world in minutes, not seconds, on a laptop CPU (the
shipped model is trained once, offline, by `python -m models.train`). A lesson that
retrains while the learner waits therefore reuses the shipped network's convolutional
body, frozen, as a feature extractor: every image becomes one feature vector, computed
once per server, and only a small dense head learns live. That is ordinary transfer
learning, and it keeps what the lesson compares fair: the heads differ only in the data
they see (a rare class) or in how the outputs are split (one network or one model per
class).

The body was trained on balanced data, so its features already tell the shapes apart; a
head that sees a class rarely has to learn from few examples how far to trust them. A
network trained from scratch on imbalanced data usually suffers more.
"""

import os

# Set before the first TensorFlow import, or TensorFlow ignores it.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

HIDDEN_UNITS = 32
LEARNING_RATE = 0.003
FEATURE_BATCH_SIZE = 256


def feature_extractor(model: keras.Model) -> keras.Model:
    """The network without its output layer: image in, the vector its output layer reads.

    The new model shares the layers (and weights) of `model` and is only used for
    inference, so `model` itself is left as it was.
    """
    if len(model.layers) < 2:
        raise ValueError("The model has no layer before its output to take features from.")
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs
    return keras.Model(inputs, model.layers[-2].output, name="shapes_features")


def image_features(extractor: keras.Model, images: np.ndarray) -> np.ndarray:
    """One feature vector per image, float32 of shape (N, D), computed in batches."""
    images = np.asarray(images, dtype=np.float32)
    features = [
        keras.ops.convert_to_numpy(
            extractor(images[start : start + FEATURE_BATCH_SIZE], training=False)
        )
        for start in range(0, len(images), FEATURE_BATCH_SIZE)
    ]
    return np.concatenate(features).reshape(len(images), -1).astype(np.float32)


def build_head(
    feature_size: int,
    outputs: int,
    *,
    hidden_units: int = HIDDEN_UNITS,
    learning_rate: float = LEARNING_RATE,
    name: str = "head",
) -> keras.Model:
    """A compiled dense head: features in, `outputs` independent sigmoid probabilities out.

    With `outputs=1` it is a one-vs-rest binary classifier for one class.
    """
    for label, value in (("feature size", feature_size), ("outputs", outputs)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"The {label} must be a whole number of at least 1; got {value!r}.")
    inputs = keras.Input(shape=(feature_size,), name="features")
    hidden = keras.layers.Dense(hidden_units, activation="relu", name="hidden")(inputs)
    probabilities = keras.layers.Dense(outputs, activation="sigmoid", name="labels")(hidden)
    model = keras.Model(inputs, probabilities, name=name)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="binary_crossentropy",
        metrics=[keras.metrics.BinaryAccuracy(name="accuracy")],
    )
    return model


def predict_probabilities(model: keras.Model, features: np.ndarray) -> np.ndarray:
    """The head's sigmoid outputs for many feature vectors, shape (N, outputs)."""
    return np.asarray(model.predict(features, batch_size=1024, verbose=0), dtype=float)
