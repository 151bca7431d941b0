"""The two small models of lesson 1's live section: softmax and sigmoid on the 2-D points.

Both are the same dense network (two inputs, a few hidden ReLU layers, three outputs);
only the output activation and the loss that goes with it differ:

- "softmax": the three outputs share one unit of probability. Trained with categorical
  cross-entropy on label rows normalised to sum to one (a point with two labels gets
  0.5 and 0.5), so the model learns to split its belief between the labels.
- "sigmoid": each output is its own yes/no probability. Trained with binary
  cross-entropy on the multi-hot labels as they are.

`keras_script` writes the same configuration as a standalone Python script, so the
learner can rebuild and train the model with plain Keras and numpy, without this app.
"""

import os

# Set before the first TensorFlow import, or TensorFlow ignores it.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from lessons import toy2d  # noqa: E402

OUTPUTS = ("softmax", "sigmoid")
HIDDEN_LAYERS_RANGE = (0, 3)
UNITS_RANGE = (2, 64)
LEARNING_RATE_RANGE = (1e-4, 1.0)

_LOSSES = {"softmax": "categorical_crossentropy", "sigmoid": "binary_crossentropy"}


def build_toy_model(
    output: str, *, hidden_layers: int = 2, units: int = 16, learning_rate: float = 0.01
) -> keras.Model:
    """A compiled dense network from the plane (2 numbers) to one output per label."""
    _check_output(output)
    _check_whole_number("hidden layers", hidden_layers, HIDDEN_LAYERS_RANGE)
    _check_whole_number("units per layer", units, UNITS_RANGE)
    low, high = LEARNING_RATE_RANGE
    if not low <= learning_rate <= high:
        raise ValueError(f"The learning rate must be from {low} to {high}; got {learning_rate!r}.")

    inputs = keras.Input(shape=(2,), name="point")
    features = inputs
    for layer in range(hidden_layers):
        features = keras.layers.Dense(units, activation="relu", name=f"hidden_{layer + 1}")(
            features
        )
    outputs = keras.layers.Dense(len(toy2d.LABEL_NAMES), activation=output, name=output)(features)
    model = keras.Model(inputs, outputs, name=f"{output}_model")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss=_LOSSES[output],
        metrics=[_accuracy_for(output)],
    )
    return model


def training_targets(output: str, points: np.ndarray, labels: np.ndarray):
    """The (x, y) each model learns from, given the points and their multi-hot labels.

    The sigmoid model learns the multi-hot labels as they are. The softmax model needs a
    probability distribution per point, so each row is divided by its number of labels.
    Points with no label are left out of softmax training: a distribution over the three
    labels cannot say "none", and a uniform target (a third each) would teach the model
    to hedge exactly where the lesson wants the learner to see that softmax still has to
    hand out all of its probability. Leaving them out is also what a practitioner who
    uses softmax for multilabel data ends up doing.
    """
    _check_output(output)
    points = np.asarray(points, dtype=np.float32)
    labels = np.asarray(labels, dtype=np.float32)
    if output == "sigmoid":
        return points, labels
    counts = labels.sum(axis=1)
    has_label = counts > 0
    return points[has_label], labels[has_label] / counts[has_label, None]


def _accuracy_for(output: str) -> keras.metrics.Metric:
    # Named so the chart says what each accuracy counts: softmax is right when its top
    # label is one of the true labels' top entries; sigmoid is scored label by label.
    if output == "softmax":
        return keras.metrics.CategoricalAccuracy(name="top_label_accuracy")
    return keras.metrics.BinaryAccuracy(name="per_label_accuracy", threshold=0.5)


def keras_script(
    output: str,
    *,
    hidden_layers: int,
    units: int,
    learning_rate: float,
    epochs: int,
    batch_size: int,
    size: int,
    noise: float,
    seed: int,
) -> str:
    """A standalone script that makes the same data and trains the same model with plain Keras."""
    _check_output(output)
    discs = ",\n    ".join(f"(({x}, {y}), {radius})" for (x, y), radius in toy2d.LABEL_DISCS)
    return _SCRIPT_TEMPLATE.format(
        output=output,
        loss=_LOSSES[output],
        label_names=tuple(toy2d.LABEL_NAMES),
        discs=discs,
        low=toy2d.PLANE_LIMITS[0],
        high=toy2d.PLANE_LIMITS[1],
        hidden_layers=hidden_layers,
        units=units,
        learning_rate=learning_rate,
        epochs=epochs,
        batch_size=batch_size,
        size=size,
        noise=noise,
        seed=seed,
    )


def _check_output(output: str) -> None:
    if output not in OUTPUTS:
        raise ValueError(f"The output must be one of {OUTPUTS}; got {output!r}.")


def _check_whole_number(what: str, value: int, limits: tuple[int, int]) -> None:
    low, high = limits
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"The number of {what} must be a whole number from {low} to {high}.")


# The data part repeats lessons/toy2d.py line for line (same generator, same order of
# draws), so the script's points and labels are exactly the app's for the same seed.
_SCRIPT_TEMPLATE = '''\
"""Train the {output} model of Output Patterns, lesson 1, with plain Keras.

Needs numpy and Keras 3 with a backend (for example: pip install numpy tensorflow).
Run it with: python {output}_toy_model.py
"""

import keras
import numpy as np

OUTPUT = "{output}"
HIDDEN_LAYERS = {hidden_layers}
UNITS = {units}
LEARNING_RATE = {learning_rate}
EPOCHS = {epochs}
BATCH_SIZE = {batch_size}
SIZE = {size}
NOISE = {noise}
SEED = {seed}

LABEL_NAMES = {label_names}
# Centre (x, y) and radius of the disc where each label is present.
LABEL_DISCS = (
    {discs},
)


def make_points_and_labels(size, noise, seed):
    """Points in the square [{low}, {high}]^2 and their multi-hot labels, with label noise."""
    rng = np.random.default_rng(seed)
    points = rng.uniform({low}, {high}, size=(size, 2))
    centres = np.array([centre for centre, _ in LABEL_DISCS])
    radii = np.array([radius for _, radius in LABEL_DISCS])
    distances = np.linalg.norm(points[:, None, :] - centres[None, :, :], axis=2)
    labels = (distances < radii).astype(np.float32)
    flips = rng.random(labels.shape) < noise  # each label flipped with probability NOISE
    labels = np.where(flips, 1.0 - labels, labels).astype(np.float32)
    return points.astype(np.float32), labels


def training_targets(points, labels):
    """Sigmoid learns the multi-hot labels; softmax learns them normalised to sum to one."""
    if OUTPUT == "sigmoid":
        return points, labels
    counts = labels.sum(axis=1)
    has_label = counts > 0  # a point with no label has no distribution to learn
    return points[has_label], labels[has_label] / counts[has_label, None]


def build_model():
    inputs = keras.Input(shape=(2,))
    features = inputs
    for _ in range(HIDDEN_LAYERS):
        features = keras.layers.Dense(UNITS, activation="relu")(features)
    outputs = keras.layers.Dense(len(LABEL_NAMES), activation=OUTPUT)(features)
    model = keras.Model(inputs, outputs)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE),
        loss="{loss}",
    )
    return model


def main():
    keras.utils.set_random_seed(SEED)
    points, labels = make_points_and_labels(SIZE, NOISE, SEED)
    x, y = training_targets(points, labels)
    model = build_model()
    model.fit(x, y, epochs=EPOCHS, batch_size=BATCH_SIZE, shuffle=True, verbose=2)
    centre = np.array([[0.0, 0.0]], dtype=np.float32)
    outputs = keras.ops.convert_to_numpy(model(centre))[0]
    print("Outputs at the centre:", {{n: round(float(p), 3) for n, p in zip(LABEL_NAMES, outputs)}})
    model.save("{output}_toy_model.keras")


if __name__ == "__main__":
    main()
'''
