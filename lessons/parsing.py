"""Turning a sigmoid output into an answer.

A multilabel model returns a probability per class for every sample: a matrix of shape
(N, K) whose rows need not sum to one. The model does not say which labels a sample
has; the application decides, and each decision rule below is one way to read the same
probabilities. Every parser returns a 0/1 integer matrix of the same shape, where 1 means
"this sample has this label".

Conventions shared by every parser:
- A probability *passes* a threshold when it is greater than or equal to it (``p >= t``),
  the rule the precision-recall curve in ``lessons.metrics`` uses, so a threshold read
  off the curve parses the same way here.
- Top-k breaks ties by class order: when two classes have the same probability, the one
  with the lower index (earlier in the class list) is chosen first. The result never
  depends on how the sort happens to order equal values.
"""

from collections.abc import Sequence

import numpy as np

DEFAULT_THRESHOLD = 0.5


def parse_with_threshold(probabilities, threshold: float = DEFAULT_THRESHOLD) -> np.ndarray:
    """Say every label whose probability reaches one threshold shared by all classes."""
    probabilities = check_probabilities(probabilities)
    _check_threshold(threshold)
    return (probabilities >= threshold).astype(int)


def parse_with_thresholds(probabilities, thresholds) -> np.ndarray:
    """Say every label whose probability reaches that class's own threshold."""
    probabilities = check_probabilities(probabilities)
    thresholds = np.asarray(thresholds, dtype=float)
    n_classes = probabilities.shape[1]
    if thresholds.shape != (n_classes,):
        raise ValueError(
            f"Expected one threshold per class ({n_classes}), got shape {thresholds.shape}."
        )
    for threshold in thresholds:
        _check_threshold(threshold)
    # Broadcasting compares column j with thresholds[j].
    return (probabilities >= thresholds).astype(int)


def parse_top_k(probabilities, k: int) -> np.ndarray:
    """Say the k most probable labels of every sample, however small their probabilities."""
    probabilities = check_probabilities(probabilities)
    _check_k(k, probabilities.shape[1])
    # A stable sort of the negated probabilities keeps equal values in class order, which
    # is what makes the lower class index win a tie.
    ranking = np.argsort(-probabilities, axis=1, kind="stable")
    predictions = np.zeros(probabilities.shape, dtype=int)
    np.put_along_axis(predictions, ranking[:, :k], 1, axis=1)
    return predictions


def parse_top_k_above_threshold(
    probabilities, k: int, threshold: float = DEFAULT_THRESHOLD
) -> np.ndarray:
    """Say at most k labels per sample: the most probable ones that also reach the threshold."""
    _check_threshold(threshold)
    top_k = parse_top_k(probabilities, k)
    return top_k * parse_with_threshold(probabilities, threshold)


def parse_at_least_one(probabilities, threshold: float = DEFAULT_THRESHOLD) -> np.ndarray:
    """Say every label that reaches the threshold, or the most probable one if none does.

    For applications where every sample is known to have some label, an empty answer is
    always wrong, so the single best guess is better than saying nothing.
    """
    probabilities = check_probabilities(probabilities)
    predictions = parse_with_threshold(probabilities, threshold)
    empty_rows = predictions.sum(axis=1) == 0
    # argmax returns the first maximum, so ties go to the lower class index as in top-k.
    best_class = np.argmax(probabilities[empty_rows], axis=1)
    predictions[np.flatnonzero(empty_rows), best_class] = 1
    return predictions


def label_names(prediction_row, class_names: Sequence[str]) -> list[str]:
    """Name the labels switched on in one row of predictions, in class order."""
    prediction_row = np.asarray(prediction_row)
    if prediction_row.shape != (len(class_names),):
        raise ValueError(
            f"Expected one prediction per class ({len(class_names)}), "
            f"got shape {prediction_row.shape}."
        )
    return [name for name, on in zip(class_names, prediction_row, strict=True) if on]


def check_probabilities(probabilities) -> np.ndarray:
    """Return the probabilities as a float matrix, or say what is wrong with them."""
    probabilities = np.asarray(probabilities, dtype=float)
    if probabilities.ndim != 2 or probabilities.shape[0] == 0 or probabilities.shape[1] == 0:
        raise ValueError(
            "Expected probabilities as a matrix of shape (samples, classes) with at least "
            f"one of each, got shape {probabilities.shape}."
        )
    if not np.all((probabilities >= 0.0) & (probabilities <= 1.0)):
        raise ValueError(
            "Probabilities must lie between 0 and 1; apply the sigmoid to the logits first."
        )
    return probabilities


def _check_threshold(threshold) -> None:
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"A threshold must lie between 0 and 1, got {threshold}.")


def _check_k(k, n_classes: int) -> None:
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k <= n_classes:
        raise ValueError(f"k must be a whole number from 1 to {n_classes}, got {k!r}.")
