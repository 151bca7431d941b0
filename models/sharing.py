"""Lesson 3's four models: one task each, hard sharing and soft sharing.

Every model looks at a 64 x 64 shapes-world image with exactly one shape in it and
answers one or both of two questions: which class is the shape (a softmax over the six
classes, trained with cross-entropy) and where is it (a box x0, y0, x1, y1 in [0, 1], from
four sigmoid units, trained with mean squared error).

All of them are made from the same small convolutional *tower*, so that the only thing
that changes from one model to the next is what is shared:

- "classifier" and "box_regressor": one tower and one head each, one task each;
- "hard_sharing": one tower (the shared trunk) feeding both heads; the loss is
  class_weight * class loss + box_weight * box loss;
- "soft_sharing": two towers of identical structure, one per head, each free to learn its
  own weights, plus a penalty that pulls them together:
  penalty_strength * sum over the towers' weights of (W_class - W_box)^2.
  A strength of 0 gives two independent models trained side by side; a large strength
  forces the towers to (nearly) agree, which approaches hard sharing.

The tower halves the image to 32 x 32 before its first convolution: the shapes stay easy
to see at that size and training costs a quarter as much. It flattens its last feature
map rather than averaging it away, because the box head needs to know *where* things are.
"""

import os

# Set before the first TensorFlow import, or TensorFlow ignores it.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import math  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import ops  # noqa: E402

from lessons import boxes as box_maths  # noqa: E402
from lessons import shapes  # noqa: E402

CLASS = "class"
BOX = "box"
IMAGE_SHAPE = (shapes.IMAGE_SIZE, shapes.IMAGE_SIZE, 3)
CLASS_COUNT = len(shapes.CLASS_NAMES)

TOWER_FILTERS = (8, 16, 32)
TOWER_UNITS = 64
LEARNING_RATE = 6e-3
BATCH_SIZE = 32

TRAINING_SIZE_RANGE = (100, 5000)
TEST_IMAGES = 600
# Training sets come from seeds TRAINING_SEED_OFFSET + 0, 1, 2, ... and the test set from
# a seed far away from those, so no test image is ever a training image.
TRAINING_SEED_OFFSET = 100
TEST_SEED = 10_000

VARIANTS = ("classifier", "box_regressor", "hard_sharing", "soft_sharing")
VARIANT_TITLES = {
    "classifier": "class only",
    "box_regressor": "box only",
    "hard_sharing": "hard sharing",
    "soft_sharing": "soft sharing",
}
# Which heads each variant has.
VARIANT_TASKS = {
    "classifier": (CLASS,),
    "box_regressor": (BOX,),
    "hard_sharing": (CLASS, BOX),
    "soft_sharing": (CLASS, BOX),
}

# Mean squared error on box corners in [0, 1] starts about twenty times smaller than the
# cross-entropy of six classes (0.09 against ln 6 = 1.8), and after the first epoch some
# fifty to ninety times smaller, so an equal weighting would let the class loss steer the
# shared layers almost alone. The default box weight narrows that gap by a factor of
# ten; benchmarks/sharing_sweep.py measures what other weights do.
DEFAULT_CLASS_WEIGHT = 1.0
DEFAULT_BOX_WEIGHT = 10.0
# Measured by benchmarks/sharing_sweep.py: weaker pulls (1e-4, 1e-3) sometimes drag the
# class tower onto the box tower before it has learned anything, and it stays at chance;
# 1e-2 did not in any seed, and keeps the towers close without forcing them equal.
DEFAULT_PENALTY_STRENGTH = 1e-2
LOSS_WEIGHT_RANGE = (0.0, 100.0)
PENALTY_STRENGTH_RANGE = (0.0, 100.0)


def training_images(size: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`size` single-object images with their class indices and boxes, from a seed."""
    return shapes.make_single_object_images(size, TRAINING_SEED_OFFSET + seed)


def test_images() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The held-out images every model of the lesson and the benchmark is scored on."""
    return shapes.make_single_object_images(TEST_IMAGES, TEST_SEED)


def build_tower(name: str) -> keras.Sequential:
    """Conv blocks and a dense layer: image in, TOWER_UNITS features out."""
    layers = [
        keras.Input(shape=IMAGE_SHAPE),
        keras.layers.AveragePooling2D(2, name="halve_the_image"),
        # Pixels from [0, 1] to [-1, 1]: centred inputs make the first steps of training easier.
        keras.layers.Rescaling(2.0, offset=-1.0, name="centre_pixels"),
    ]
    for block, filters in enumerate(TOWER_FILTERS, start=1):
        layers += [
            keras.layers.Conv2D(
                filters, 3, padding="same", activation="relu", name=f"conv_{block}"
            ),
            keras.layers.MaxPooling2D(2, name=f"pool_{block}"),
        ]
    layers += [
        keras.layers.Flatten(name="flatten"),
        keras.layers.Dense(TOWER_UNITS, activation="relu", name="features"),
    ]
    return keras.Sequential(layers, name=name)


def class_head() -> keras.layers.Dense:
    return keras.layers.Dense(CLASS_COUNT, activation="softmax", name=CLASS)


def box_head() -> keras.layers.Dense:
    # Sigmoid keeps every corner inside the image, like the normalised targets.
    return keras.layers.Dense(4, activation="sigmoid", name=BOX)


def task_losses() -> dict[str, keras.losses.Loss]:
    return {
        CLASS: keras.losses.SparseCategoricalCrossentropy(),
        BOX: keras.losses.MeanSquaredError(),
    }


def head_loss_in_logs(task: str) -> keras.metrics.Metric:
    """The head's loss as a metric named like a two-head model logs it ("class_loss").

    Keras logs a loss per head only for models with several heads; a single-task model
    logs just "loss". With this metric, every model's curves sit in the same chart.
    """
    metric = {
        CLASS: keras.metrics.SparseCategoricalCrossentropy,
        BOX: keras.metrics.MeanSquaredError,
    }[task]
    return metric(name=f"{task}_loss")


def build_classifier(learning_rate: float = LEARNING_RATE) -> keras.Model:
    """(a) One tower and a softmax head: the class only."""
    return _single_task_model(CLASS, class_head(), "classifier", learning_rate)


def build_box_regressor(learning_rate: float = LEARNING_RATE) -> keras.Model:
    """(b) One tower and a box head: the box only."""
    return _single_task_model(BOX, box_head(), "box_regressor", learning_rate)


def _single_task_model(task: str, head, name: str, learning_rate: float) -> keras.Model:
    images = keras.Input(shape=IMAGE_SHAPE, name="image")
    model = keras.Model(images, head(build_tower(f"{task}_tower")(images)), name=name)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=task_losses()[task],
        metrics=[head_loss_in_logs(task)],
    )
    return model


def pack_targets(class_indices, boxes) -> np.ndarray:
    """Both targets in one float32 array, one row per image: class index, x0, y0, x1, y1.

    The live-training engine takes one target array per model; the two-head models
    unpack it again before computing their losses (class indices up to 5 are exact in
    float32).
    """
    class_indices = np.asarray(class_indices)
    boxes = np.asarray(boxes, dtype=np.float32)
    if boxes.shape != (len(class_indices), 4):
        raise ValueError("There must be one box (x0, y0, x1, y1) per class index.")
    return np.concatenate([class_indices.astype(np.float32)[:, None], boxes], axis=1)


def unpack_targets(targets) -> dict:
    """Packed targets (see `pack_targets`) as {"class": indices, "box": corners}.

    Targets that are already a dict by head name pass through, so the two-head models
    also learn from `fit(images, {"class": ..., "box": ...})` as plain Keras models do.
    """
    if isinstance(targets, dict):
        return targets
    return {CLASS: ops.cast(targets[:, 0], "int32"), BOX: targets[:, 1:]}


class TwoHeadModel(keras.Model):
    """What hard and soft sharing have in common: a class head, a box head, packed targets."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.class_head = class_head()
        self.box_head = box_head()

    def build(self, input_shape):
        feature_shape = (None, TOWER_UNITS)
        self.class_head.build(feature_shape)
        self.box_head.build(feature_shape)
        super().build(input_shape)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        return super().compute_loss(
            x=x, y=unpack_targets(y), y_pred=y_pred, sample_weight=sample_weight, training=training
        )


@keras.saving.register_keras_serializable(package="output_patterns")
class HardSharingModel(TwoHeadModel):
    """(c) One tower, the shared trunk, feeding both heads."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.shared_trunk = build_tower("shared_trunk")

    def call(self, images, training=False):
        features = self.shared_trunk(images, training=training)
        return {CLASS: self.class_head(features), BOX: self.box_head(features)}


@keras.saving.register_keras_serializable(package="output_patterns")
class SoftSharingModel(TwoHeadModel):
    """(d) Two towers of the same structure, one per task, pulled together by a penalty.

    The loss Keras minimises is the weighted task losses plus
    `penalty_strength * tower_distance()`, the sum of the squared differences between the
    class tower's weights and the box tower's weights, layer by layer. The penalty also
    shows up in the training logs as "penalty", so a learner can watch it shrink.
    """

    def __init__(self, penalty_strength: float = DEFAULT_PENALTY_STRENGTH, **kwargs):
        super().__init__(**kwargs)
        check_penalty_strength(penalty_strength)
        self.penalty_strength = float(penalty_strength)
        self.class_tower = build_tower("class_tower")
        self.box_tower = build_tower("box_tower")
        self.penalty_tracker = keras.metrics.Mean(name="penalty")

    def call(self, images, training=False):
        return {
            CLASS: self.class_head(self.class_tower(images, training=training)),
            BOX: self.box_head(self.box_tower(images, training=training)),
        }

    def tower_distance(self):
        """Sum over the towers' matching weights (kernels and biases) of (W_class - W_box)^2."""
        return sum(
            ops.sum(ops.square(class_weight - box_weight))
            for class_weight, box_weight in self.matching_weights()
        )

    def matching_weights(self) -> list[tuple[keras.Variable, keras.Variable]]:
        """Each class-tower weight with the box-tower weight in the same place."""
        return list(
            zip(self.class_tower.trainable_weights, self.box_tower.trainable_weights, strict=True)
        )

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        task_loss = super().compute_loss(
            x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=training
        )
        penalty = self.penalty_strength * self.tower_distance()
        self.penalty_tracker.update_state(penalty)
        return task_loss + penalty

    def get_config(self):
        return {**super().get_config(), "penalty_strength": self.penalty_strength}


def compile_two_heads(model: TwoHeadModel, class_weight, box_weight, learning_rate) -> None:
    check_loss_weights(class_weight, box_weight)
    model.build((None, *IMAGE_SHAPE))
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=task_losses(),
        loss_weights={CLASS: class_weight, BOX: box_weight},
    )


def build_hard_sharing(
    class_weight: float = DEFAULT_CLASS_WEIGHT,
    box_weight: float = DEFAULT_BOX_WEIGHT,
    learning_rate: float = LEARNING_RATE,
) -> HardSharingModel:
    """(c) One trunk, two heads; loss = class_weight * class loss + box_weight * box loss."""
    model = HardSharingModel(name="hard_sharing")
    compile_two_heads(model, class_weight, box_weight, learning_rate)
    return model


def build_soft_sharing(
    class_weight: float = DEFAULT_CLASS_WEIGHT,
    box_weight: float = DEFAULT_BOX_WEIGHT,
    penalty_strength: float = DEFAULT_PENALTY_STRENGTH,
    learning_rate: float = LEARNING_RATE,
) -> SoftSharingModel:
    """(d) Two towers, two heads, the weighted task losses plus the tower penalty."""
    model = SoftSharingModel(penalty_strength, name="soft_sharing")
    compile_two_heads(model, class_weight, box_weight, learning_rate)
    return model


def build_variant(
    variant: str,
    *,
    class_weight: float = DEFAULT_CLASS_WEIGHT,
    box_weight: float = DEFAULT_BOX_WEIGHT,
    penalty_strength: float = DEFAULT_PENALTY_STRENGTH,
) -> keras.Model:
    """A fresh compiled model of one of VARIANTS; single-task models ignore the weights."""
    check_variant(variant)
    if variant == "classifier":
        return build_classifier()
    if variant == "box_regressor":
        return build_box_regressor()
    if variant == "hard_sharing":
        return build_hard_sharing(class_weight, box_weight)
    return build_soft_sharing(class_weight, box_weight, penalty_strength)


def training_targets(variant: str, class_indices, boxes) -> np.ndarray:
    """The one target array a variant learns from: indices, boxes, or both packed."""
    check_variant(variant)
    if variant == "classifier":
        return np.asarray(class_indices, dtype=np.int64)
    if variant == "box_regressor":
        return np.asarray(boxes, dtype=np.float32)
    return pack_targets(class_indices, boxes)


def fit_variant(
    model: keras.Model,
    variant: str,
    images,
    class_indices,
    boxes,
    *,
    epochs: int,
    batch_size: int = BATCH_SIZE,
    seed: int = 0,
) -> dict[str, list[float]]:
    """Train a model of `variant` quietly, outside the live panel (tests and benchmarks).

    Returns the history. The batches come from one shuffled stream of all epochs: with
    plain arrays `fit` would build a fresh input pipeline every epoch, which costs about
    as much as an epoch of these small models.
    """
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    targets = training_targets(variant, class_indices, boxes)
    batches = (
        tf.data.Dataset.from_tensor_slices((np.asarray(images, dtype=np.float32), targets))
        .shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
        .batch(batch_size)
        .repeat(epochs)
        .prefetch(1)
    )
    steps = math.ceil(len(images) / batch_size)
    history = model.fit(batches, epochs=epochs, steps_per_epoch=steps, verbose=0)
    return history.history


def predict_heads(model: keras.Model, images, batch_size: int = 256) -> dict[str, np.ndarray]:
    """Each head's output for a batch of images: class probabilities and/or boxes."""
    outputs: dict[str, list[np.ndarray]] = {}
    for start in range(0, len(images), batch_size):
        batch = model(np.asarray(images[start : start + batch_size]), training=False)
        if not isinstance(batch, dict):
            # A single-task model's one output is named after its head.
            batch = {model.output_names[0]: batch}
        for head, values in batch.items():
            outputs.setdefault(head, []).append(keras.ops.convert_to_numpy(values))
    return {head: np.concatenate(parts) for head, parts in outputs.items()}


def evaluate_heads(model: keras.Model, images, class_indices, boxes) -> dict[str, float | None]:
    """Class accuracy and mean box IoU on held-out images; None for a head the model lacks."""
    predictions = predict_heads(model, images)
    accuracy = mean_iou = None
    if CLASS in predictions:
        accuracy = box_maths.class_accuracy(class_indices, predictions[CLASS].argmax(axis=1))
    if BOX in predictions:
        mean_iou = box_maths.mean_box_iou(boxes, predictions[BOX])
    return {"accuracy": accuracy, "mean_iou": mean_iou}


def relative_tower_distance(model: SoftSharingModel) -> float:
    """How far apart the towers are, from 0 (identical) to about 1 (unrelated, same size).

    The squared distance between the towers divided by the sum of their squared sizes:
    two independent random towers of similar size score about 1, equal towers 0.
    """
    distance = size = 0.0
    for class_weight, box_weight in model.matching_weights():
        a = keras.ops.convert_to_numpy(class_weight)
        b = keras.ops.convert_to_numpy(box_weight)
        distance += float(np.sum((a - b) ** 2))
        size += float(np.sum(a**2) + np.sum(b**2))
    return distance / size if size else 0.0


def tower_parameter_count() -> int:
    return build_tower("tower").count_params()


def parameter_counts() -> dict[str, int]:
    """How many weights each variant learns."""
    return {variant: build_variant(variant).count_params() for variant in VARIANTS}


def check_variant(variant: str) -> None:
    if variant not in VARIANTS:
        raise ValueError(f"The model must be one of {', '.join(VARIANTS)}; got {variant!r}.")


def check_loss_weights(class_weight: float, box_weight: float) -> None:
    low, high = LOSS_WEIGHT_RANGE
    for name, weight in (("class", class_weight), ("box", box_weight)):
        if not (
            isinstance(weight, int | float) and math.isfinite(weight) and low <= weight <= high
        ):
            raise ValueError(f"The {name} loss weight must be a number from {low} to {high}.")
    if class_weight == 0 and box_weight == 0:
        raise ValueError("At least one loss weight must be above 0, or nothing is learned.")


def check_penalty_strength(strength: float) -> None:
    low, high = PENALTY_STRENGTH_RANGE
    if not (isinstance(strength, int | float) and math.isfinite(strength)):
        raise ValueError("The soft-sharing strength must be a number.")
    if not low <= strength <= high:
        raise ValueError(f"The soft-sharing strength must be from {low} to {high}.")
