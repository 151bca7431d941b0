"""Scoring multilabel predictions, and choosing thresholds on validation data.

Inputs are matrices of shape (N, K): ``y_true`` and ``y_pred`` hold 0/1 labels (one row
per sample, one column per class), ``probabilities`` holds the model's sigmoid outputs.
Every number here matches ``sklearn.metrics`` with ``zero_division=0``; the tests check
that. scikit-learn itself is only a test reference: this module needs numpy alone.

Zero division. A ratio whose denominator is zero counts as 0:
- precision of a class the model never predicts, recall of a class no sample has, and
  the F1 and Jaccard of a class that is neither present nor predicted are all 0, even
  when the model is right to say nothing. Macro averages include such classes, so a
  perfect model on data where a class never occurs has a macro F1 below 1;
- the weighted average is 0 when no sample has any label;
- a sample with no true and no predicted labels has a Jaccard score of 0.

Precision-recall curves follow ``sklearn.metrics.precision_recall_curve``: one point per
distinct score (a sample is predicted positive when its score is >= the threshold, so
samples with equal scores always switch on together), thresholds increasing, and a final
point (precision 1, recall 0) with no threshold, standing for "predict nothing". A class
with no positive samples gets recall 1 at every threshold, as scikit-learn does.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lessons.parsing import DEFAULT_THRESHOLD, check_probabilities, parse_with_thresholds


@dataclass(frozen=True)
class ClassScores:
    """Precision, recall, F1 and support (true count) of every class, as arrays of shape (K,)."""

    precision: np.ndarray
    recall: np.ndarray
    f1: np.ndarray
    support: np.ndarray


@dataclass(frozen=True)
class AveragedScores:
    """One precision, recall and F1 that summarise all classes."""

    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class MultilabelReport:
    """Everything a page shows about one set of predictions."""

    class_names: tuple[str, ...]
    per_class: ClassScores
    jaccard_per_class: np.ndarray
    micro: AveragedScores
    macro: AveragedScores
    weighted: AveragedScores
    subset_accuracy: float
    hamming_loss: float
    jaccard_samples: float

    def per_class_table(self) -> dict[str, list]:
        """One column per score and one row per class, ready for a dataframe."""
        return {
            "class": list(self.class_names),
            "precision": self.per_class.precision.tolist(),
            "recall": self.per_class.recall.tolist(),
            "F1": self.per_class.f1.tolist(),
            "Jaccard": self.jaccard_per_class.tolist(),
            "support": self.per_class.support.tolist(),
        }

    def summary_table(self) -> dict[str, float]:
        """The single-number scores, by name."""
        return {
            "micro F1": self.micro.f1,
            "macro F1": self.macro.f1,
            "weighted F1": self.weighted.f1,
            "micro precision": self.micro.precision,
            "micro recall": self.micro.recall,
            "macro precision": self.macro.precision,
            "macro recall": self.macro.recall,
            "subset accuracy": self.subset_accuracy,
            "Hamming loss": self.hamming_loss,
            "Jaccard (samples)": self.jaccard_samples,
        }


@dataclass(frozen=True)
class PrecisionRecallCurve:
    """One class's curve: ``precision`` and ``recall`` have one more entry than ``thresholds``."""

    precision: np.ndarray
    recall: np.ndarray
    thresholds: np.ndarray


@dataclass(frozen=True)
class TunedThresholds:
    """Thresholds chosen on validation data, and the validation scores they give.

    ``fallback[j]`` is True when class j could not reach the goal and got a documented
    fallback threshold instead (see the tuning functions).
    """

    thresholds: np.ndarray
    fallback: np.ndarray
    validation_scores: ClassScores


# Scores of hard predictions.


def per_class_scores(y_true, y_pred) -> ClassScores:
    """Precision, recall, F1 and support of each class on its own."""
    return _scores_from_counts(*_confusion_counts(*_check_label_pair(y_true, y_pred)))


def micro_average(y_true, y_pred) -> AveragedScores:
    """Pool every (sample, class) decision, then score: frequent classes weigh more."""
    return _micro_from_counts(*_confusion_counts(*_check_label_pair(y_true, y_pred)))


def macro_average(y_true, y_pred) -> AveragedScores:
    """Score each class, then take the plain mean: a rare class weighs as much as any."""
    return _macro(per_class_scores(y_true, y_pred))


def weighted_average(y_true, y_pred) -> AveragedScores:
    """Score each class, then average weighted by how many samples truly have it."""
    return _weighted(per_class_scores(y_true, y_pred))


def subset_accuracy(y_true, y_pred) -> float:
    """The share of samples whose whole set of labels is exactly right."""
    y_true, y_pred = _check_label_pair(y_true, y_pred)
    return float(np.mean(np.all(y_true == y_pred, axis=1)))


def hamming_loss(y_true, y_pred) -> float:
    """The share of (sample, class) decisions that are wrong."""
    y_true, y_pred = _check_label_pair(y_true, y_pred)
    return float(np.mean(y_true != y_pred))


def jaccard_samples(y_true, y_pred) -> float:
    """Mean over samples of |true and predicted| / |true or predicted|."""
    return _mean_jaccard_of_samples(*_check_label_pair(y_true, y_pred))


def jaccard_per_class(y_true, y_pred) -> np.ndarray:
    """For each class, |true and predicted| / |true or predicted| over the samples."""
    return _jaccard_from_counts(*_confusion_counts(*_check_label_pair(y_true, y_pred)))


def summarise(y_true, y_pred, class_names: Sequence[str]) -> MultilabelReport:
    """Every score of one set of predictions, computed from a single pass over the counts."""
    y_true, y_pred = _check_label_pair(y_true, y_pred)
    if len(class_names) != y_true.shape[1]:
        raise ValueError(
            f"Expected one class name per column ({y_true.shape[1]}), got {len(class_names)}."
        )
    true_positives, false_positives, false_negatives = _confusion_counts(y_true, y_pred)
    scores = _scores_from_counts(true_positives, false_positives, false_negatives)
    return MultilabelReport(
        class_names=tuple(class_names),
        per_class=scores,
        jaccard_per_class=_jaccard_from_counts(true_positives, false_positives, false_negatives),
        micro=_micro_from_counts(true_positives, false_positives, false_negatives),
        macro=_macro(scores),
        weighted=_weighted(scores),
        subset_accuracy=float(np.mean(np.all(y_true == y_pred, axis=1))),
        hamming_loss=float(np.mean(y_true != y_pred)),
        jaccard_samples=_mean_jaccard_of_samples(y_true, y_pred),
    )


# Precision-recall curves.


def precision_recall_curve(y_true_column, scores) -> PrecisionRecallCurve:
    """Precision and recall of one class at every threshold worth trying."""
    return _curve(*_check_column_pair(y_true_column, scores))


def precision_recall_curves(y_true, probabilities) -> list[PrecisionRecallCurve]:
    """One precision-recall curve per class (column)."""
    y_true, probabilities = _check_labels_and_probabilities(y_true, probabilities)
    return [_curve(y_true[:, j], probabilities[:, j]) for j in range(y_true.shape[1])]


def _curve(y_true_column, scores) -> PrecisionRecallCurve:
    thresholds, true_positives, false_positives = _counts_at_each_threshold(y_true_column, scores)
    precision = true_positives / (true_positives + false_positives)
    # With no positive sample recall is 0/0; scikit-learn calls it 1 everywhere.
    total_positives = true_positives[-1]
    recall = true_positives / total_positives if total_positives else np.ones(len(precision))
    # The counts run from the highest threshold down; the curve runs up, then ends at
    # the point where nothing is predicted.
    return PrecisionRecallCurve(
        precision=np.append(precision[::-1], 1.0),
        recall=np.append(recall[::-1], 0.0),
        thresholds=thresholds[::-1],
    )


# Choosing thresholds. These take validation data only: a threshold chosen while looking
# at the test set makes the test score an optimistic guess instead of a measurement.


def tune_thresholds_for_f1(y_true_val, probabilities_val) -> TunedThresholds:
    """For each class, the threshold with the best validation F1.

    Candidates are the distinct validation probabilities of the class, so a tuned
    threshold is one of them and ``parse_with_thresholds`` (which says a label when
    ``p >= threshold``) reproduces the validation scores exactly. When several candidates
    give the same F1 the highest threshold wins: it says the label less often for the same
    score. A class with no positive validation sample has nothing to tune on and keeps
    DEFAULT_THRESHOLD (marked as a fallback).
    """
    return _tune(y_true_val, probabilities_val, _best_f1_index)


def tune_thresholds_for_precision(
    y_true_val, probabilities_val, target_precision: float
) -> TunedThresholds:
    """For each class, the threshold with the most recall whose precision reaches the target.

    Among thresholds with that recall the highest wins, which also has the best precision.
    When no threshold reaches the target, the class gets the threshold with the best
    precision it can reach (the most recall among equals), marked as a fallback. A class
    with no positive validation sample keeps DEFAULT_THRESHOLD, also marked as a fallback.
    """
    if not 0.0 <= target_precision <= 1.0:
        raise ValueError(f"A target precision must lie between 0 and 1, got {target_precision}.")

    def choose(true_positives, false_positives):
        return _index_reaching_precision(true_positives, false_positives, target_precision)

    return _tune(y_true_val, probabilities_val, choose)


# Label statistics.


def label_frequency(y_true) -> np.ndarray:
    """How many samples have each label, shape (K,)."""
    return _check_labels(y_true, "y_true").sum(axis=0)


def co_occurrence(y_true) -> np.ndarray:
    """How many samples have both label i and label j, shape (K, K).

    The diagonal is the label frequency, since a label always occurs with itself.
    """
    y_true = _check_labels(y_true, "y_true")
    return y_true.T @ y_true


# Counting.


def _confusion_counts(y_true, y_pred) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    true_positives = np.sum(y_true & y_pred, axis=0)
    false_positives = np.sum(y_pred, axis=0) - true_positives
    false_negatives = np.sum(y_true, axis=0) - true_positives
    return true_positives, false_positives, false_negatives


def _scores_from_counts(true_positives, false_positives, false_negatives) -> ClassScores:
    return ClassScores(
        precision=_divide_or_zero(true_positives, true_positives + false_positives),
        recall=_divide_or_zero(true_positives, true_positives + false_negatives),
        # Written with counts, F1 is defined whenever anything is predicted or present,
        # even when precision or recall alone is 0/0.
        f1=_f1_from_counts(true_positives, false_positives, false_negatives),
        support=true_positives + false_negatives,
    )


def _micro_from_counts(true_positives, false_positives, false_negatives) -> AveragedScores:
    scores = _scores_from_counts(true_positives.sum(), false_positives.sum(), false_negatives.sum())
    return AveragedScores(float(scores.precision), float(scores.recall), float(scores.f1))


def _macro(scores: ClassScores) -> AveragedScores:
    return AveragedScores(
        float(np.mean(scores.precision)), float(np.mean(scores.recall)), float(np.mean(scores.f1))
    )


def _weighted(scores: ClassScores) -> AveragedScores:
    total = scores.support.sum()
    if total == 0:
        return AveragedScores(0.0, 0.0, 0.0)
    weights = scores.support / total
    return AveragedScores(
        float(weights @ scores.precision),
        float(weights @ scores.recall),
        float(weights @ scores.f1),
    )


def _f1_from_counts(true_positives, false_positives, false_negatives) -> np.ndarray:
    return _divide_or_zero(
        2 * true_positives, 2 * true_positives + false_positives + false_negatives
    )


def _jaccard_from_counts(true_positives, false_positives, false_negatives) -> np.ndarray:
    return _divide_or_zero(true_positives, true_positives + false_positives + false_negatives)


def _mean_jaccard_of_samples(y_true, y_pred) -> float:
    intersection = np.sum(y_true & y_pred, axis=1)
    union = np.sum(y_true | y_pred, axis=1)
    return float(np.mean(_divide_or_zero(intersection, union)))


def _divide_or_zero(numerator, denominator) -> np.ndarray:
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    return np.divide(numerator, denominator, out=np.zeros_like(numerator), where=denominator != 0)


def _counts_at_each_threshold(y_true_column, scores):
    """Distinct scores from high to low, with the true and false positives at each.

    Sorting once and taking running sums gives every threshold's counts in O(N log N),
    instead of re-parsing the column once per threshold.
    """
    order = np.argsort(scores, kind="stable")[::-1]
    sorted_scores = scores[order]
    # The last position of each run of equal scores: a threshold there switches on the
    # whole run at once.
    run_ends = np.append(np.flatnonzero(np.diff(sorted_scores)), len(scores) - 1)
    true_positives = np.cumsum(y_true_column[order])[run_ends]
    false_positives = run_ends + 1 - true_positives
    return sorted_scores[run_ends], true_positives, false_positives


# Tuning.


def _tune(y_true_val, probabilities_val, choose_index) -> TunedThresholds:
    y_true_val, probabilities_val = _check_labels_and_probabilities(y_true_val, probabilities_val)
    n_classes = y_true_val.shape[1]
    thresholds = np.full(n_classes, DEFAULT_THRESHOLD)
    fallback = np.ones(n_classes, dtype=bool)
    for j in range(n_classes):
        candidates, true_positives, false_positives = _counts_at_each_threshold(
            y_true_val[:, j], probabilities_val[:, j]
        )
        if true_positives[-1] == 0:
            continue
        index, reached = choose_index(true_positives, false_positives)
        thresholds[j] = candidates[index]
        fallback[j] = not reached
    validation_scores = per_class_scores(
        y_true_val, parse_with_thresholds(probabilities_val, thresholds)
    )
    return TunedThresholds(thresholds, fallback, validation_scores)


def _best_f1_index(true_positives, false_positives) -> tuple[int, bool]:
    false_negatives = true_positives[-1] - true_positives
    f1 = _f1_from_counts(true_positives, false_positives, false_negatives)
    # Candidates run from the highest threshold down and argmax returns the first
    # maximum, so ties go to the highest threshold.
    return int(np.argmax(f1)), True


def _index_reaching_precision(true_positives, false_positives, target) -> tuple[int, bool]:
    precision = true_positives / (true_positives + false_positives)
    reaching = precision >= target
    if reaching.any():
        # Recall grows with true positives; the first maximum is the highest threshold.
        return int(np.argmax(np.where(reaching, true_positives, -1))), True
    best = precision == precision.max()
    return int(np.argmax(np.where(best, true_positives, -1))), False


# Checking inputs.


def _check_labels(labels, name: str) -> np.ndarray:
    labels = np.asarray(labels)
    if labels.ndim != 2 or labels.shape[0] == 0 or labels.shape[1] == 0:
        raise ValueError(
            f"Expected {name} as a matrix of shape (samples, classes) with at least one of "
            f"each, got shape {labels.shape}."
        )
    if not np.all((labels == 0) | (labels == 1)):
        raise ValueError(f"{name} must contain only 0 and 1 (parse probabilities first).")
    return labels.astype(int)


def _check_label_pair(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    y_true = _check_labels(y_true, "y_true")
    y_pred = _check_labels(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape, got {y_true.shape} and {y_pred.shape}."
        )
    return y_true, y_pred


def _check_labels_and_probabilities(y_true, probabilities) -> tuple[np.ndarray, np.ndarray]:
    y_true = _check_labels(y_true, "y_true")
    probabilities = check_probabilities(probabilities)
    if y_true.shape != probabilities.shape:
        raise ValueError(
            "Labels and probabilities must have the same shape, "
            f"got {y_true.shape} and {probabilities.shape}."
        )
    return y_true, probabilities


def _check_column_pair(y_true_column, scores) -> tuple[np.ndarray, np.ndarray]:
    y_true_column = np.asarray(y_true_column)
    scores = np.asarray(scores, dtype=float)
    if y_true_column.ndim != 1 or y_true_column.shape != scores.shape:
        raise ValueError(
            "Expected one label and one score per sample (two vectors of the same length), "
            f"got shapes {y_true_column.shape} and {scores.shape}."
        )
    labels, scores = _check_labels_and_probabilities(y_true_column[:, None], scores[:, None])
    return labels[:, 0], scores[:, 0]
