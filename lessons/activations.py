"""The output activations and losses that lesson 1 compares, in plain numpy.

Softmax turns a vector of logits into probabilities that share one unit between
them; sigmoid squashes each logit on its own. Each goes with its own loss:
categorical cross-entropy for softmax and one-hot targets, binary cross-entropy
for sigmoid and multi-hot targets. The functions here are numerically stable for
any finite logits, because learners will drag sliders to the ends of their range.
"""

import numpy as np

# Keras clips probabilities to [EPSILON, 1 - EPSILON] before taking logs, so the
# losses shown in the lesson match what `model.fit` would report.
EPSILON = 1e-7

MIN_TEMPERATURE = 0.05


def softmax(logits, temperature: float = 1.0) -> np.ndarray:
    """Probabilities over the last axis that are positive and sum to one.

    Dividing by the temperature before the exponential sharpens the distribution
    (temperature below 1) or flattens it (above 1). Subtracting the largest logit
    first keeps `exp` from overflowing and does not change the result.
    """
    if temperature < MIN_TEMPERATURE:
        raise ValueError(f"The temperature must be at least {MIN_TEMPERATURE}, not {temperature}.")
    scaled = np.asarray(logits, dtype=np.float64) / temperature
    if scaled.size == 0:
        raise ValueError("Softmax needs at least one logit.")
    shifted = scaled - scaled.max(axis=-1, keepdims=True)
    exponentials = np.exp(shifted)
    return exponentials / exponentials.sum(axis=-1, keepdims=True)


def sigmoid(logits) -> np.ndarray:
    """1 / (1 + exp(-z)) for each logit on its own, without overflow for large |z|."""
    z = np.asarray(logits, dtype=np.float64)
    # exp(-|z|) is never larger than 1, so it cannot overflow; the two branches
    # are the same formula rearranged for positive and negative z.
    small = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + small), small / (1.0 + small))


def one_hot(label_index: int, class_count: int) -> np.ndarray:
    """The target vector of a single-label example: a 1 at its class, 0 elsewhere."""
    if not 0 <= label_index < class_count:
        raise ValueError(f"Label {label_index} is outside the {class_count} classes.")
    vector = np.zeros(class_count)
    vector[label_index] = 1.0
    return vector


def multi_hot(label_indices, class_count: int) -> np.ndarray:
    """The target vector of a multilabel example: a 1 at every class present (maybe none)."""
    vector = np.zeros(class_count)
    for index in label_indices:
        if not 0 <= index < class_count:
            raise ValueError(f"Label {index} is outside the {class_count} classes.")
        vector[index] = 1.0
    return vector


def categorical_crossentropy(target, probabilities) -> float:
    """-sum(y * log p): the loss that goes with softmax and a target that sums to one."""
    target = np.asarray(target, dtype=np.float64)
    clipped = np.clip(np.asarray(probabilities, dtype=np.float64), EPSILON, 1 - EPSILON)
    return float(-np.sum(target * np.log(clipped)))


def binary_crossentropy(target, probabilities) -> float:
    """The mean over classes of -(y log p + (1 - y) log(1 - p)): the loss for sigmoid outputs.

    Each class is its own yes/no question, so each contributes its own term, and
    Keras averages them over the last axis.
    """
    target = np.asarray(target, dtype=np.float64)
    clipped = np.clip(np.asarray(probabilities, dtype=np.float64), EPSILON, 1 - EPSILON)
    terms = target * np.log(clipped) + (1 - target) * np.log(1 - clipped)
    return float(-np.mean(terms))


def output_layer_parameters(inputs: int, units: int) -> int:
    """Weights plus biases of a dense output layer: one weight per input per unit, one bias each."""
    if inputs < 1 or units < 1:
        raise ValueError("A dense layer needs at least one input and one unit.")
    return inputs * units + units
