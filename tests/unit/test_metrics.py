"""Unit tests for lessons.metrics, checked against sklearn.metrics (zero_division=0)."""

import inspect
import warnings

import numpy as np
import pytest
from sklearn import metrics as sk

from lessons.metrics import (
    MultilabelReport,
    co_occurrence,
    hamming_loss,
    jaccard_per_class,
    jaccard_samples,
    label_frequency,
    macro_average,
    micro_average,
    per_class_scores,
    precision_recall_curve,
    precision_recall_curves,
    subset_accuracy,
    summarise,
    tune_thresholds_for_f1,
    tune_thresholds_for_precision,
    weighted_average,
)
from lessons.parsing import DEFAULT_THRESHOLD, parse_with_threshold

SEEDS = [0, 1, 2, 3, 4]


def random_labels(seed, n_samples=60, n_classes=5):
    """A label matrix and a noisy prediction of it, with classes of different frequency."""
    rng = np.random.default_rng(seed)
    frequency = rng.uniform(0.05, 0.6, size=n_classes)
    y_true = (rng.random((n_samples, n_classes)) < frequency).astype(int)
    flips = rng.random((n_samples, n_classes)) < 0.25
    return y_true, np.where(flips, 1 - y_true, y_true)


def edge_cases():
    y_true, y_pred = random_labels(99, n_samples=8, n_classes=4)
    no_positives = y_true.copy()
    no_positives[:, 0] = 0
    all_positive = y_true.copy()
    all_positive[:, 1] = 1
    empty_row = y_pred.copy()
    empty_row[0] = 0
    return {
        "a class with no positives": (no_positives, y_pred),
        "a class where all are positive": (all_positive, y_pred),
        "an empty prediction row": (y_true, empty_row),
        "all predictions empty": (y_true, np.zeros_like(y_pred)),
        "no true labels at all": (np.zeros_like(y_true), y_pred),
        "nothing true and nothing predicted": (np.zeros_like(y_true), np.zeros_like(y_pred)),
        "perfect predictions": (y_true, y_true),
        "one sample": (y_true[:1], y_pred[:1]),
    }


CASES = {f"random seed {seed}": random_labels(seed) for seed in SEEDS} | edge_cases()


@pytest.fixture(params=list(CASES), ids=list(CASES))
def labels(request):
    return CASES[request.param]


def sk_scores(y_true, y_pred, average):
    return sk.precision_recall_fscore_support(y_true, y_pred, average=average, zero_division=0)


# Scores of hard predictions against sklearn.


def test_per_class_precision_recall_f1_support_match_sklearn(labels):
    scores = per_class_scores(*labels)
    precision, recall, f1, support = sk_scores(*labels, average=None)
    np.testing.assert_allclose(scores.precision, precision)
    np.testing.assert_allclose(scores.recall, recall)
    np.testing.assert_allclose(scores.f1, f1)
    np.testing.assert_array_equal(scores.support, support)


@pytest.mark.parametrize(
    ("average", "averaged"),
    [("micro", micro_average), ("macro", macro_average), ("weighted", weighted_average)],
)
def test_averaged_precision_recall_f1_match_sklearn(labels, average, averaged):
    scores = averaged(*labels)
    precision, recall, f1, _ = sk_scores(*labels, average=average)
    assert scores.precision == pytest.approx(precision)
    assert scores.recall == pytest.approx(recall)
    assert scores.f1 == pytest.approx(f1)


@pytest.mark.parametrize("average", ["micro", "macro", "weighted"])
def test_averaged_f1_matches_sklearn_f1_score(labels, average):
    ours = {"micro": micro_average, "macro": macro_average, "weighted": weighted_average}
    expected = sk.f1_score(*labels, average=average, zero_division=0)
    assert ours[average](*labels).f1 == pytest.approx(expected)


def test_subset_accuracy_matches_sklearn_accuracy_score(labels):
    assert subset_accuracy(*labels) == pytest.approx(sk.accuracy_score(*labels))


def test_hamming_loss_matches_sklearn(labels):
    assert hamming_loss(*labels) == pytest.approx(sk.hamming_loss(*labels))


def test_jaccard_samples_matches_sklearn(labels):
    expected = sk.jaccard_score(*labels, average="samples", zero_division=0)
    assert jaccard_samples(*labels) == pytest.approx(expected)


def test_jaccard_per_class_matches_sklearn(labels):
    expected = sk.jaccard_score(*labels, average=None, zero_division=0)
    np.testing.assert_allclose(jaccard_per_class(*labels), expected)


def test_summarise_agrees_with_each_metric_on_its_own(labels):
    y_true, y_pred = labels
    names = [f"class {j}" for j in range(y_true.shape[1])]
    report = summarise(y_true, y_pred, names)
    assert isinstance(report, MultilabelReport)
    np.testing.assert_allclose(report.per_class.f1, per_class_scores(y_true, y_pred).f1)
    np.testing.assert_allclose(report.jaccard_per_class, jaccard_per_class(y_true, y_pred))
    assert report.micro == micro_average(y_true, y_pred)
    assert report.macro == macro_average(y_true, y_pred)
    assert report.weighted == weighted_average(y_true, y_pred)
    assert report.subset_accuracy == subset_accuracy(y_true, y_pred)
    assert report.hamming_loss == hamming_loss(y_true, y_pred)
    assert report.jaccard_samples == jaccard_samples(y_true, y_pred)


def test_summarise_tables_have_one_row_per_class_and_plain_floats():
    y_true, y_pred = random_labels(0)
    names = ["circle", "square", "triangle", "star", "cross"]
    report = summarise(y_true, y_pred, names)
    table = report.per_class_table()
    assert table["class"] == names
    assert all(len(column) == len(names) for column in table.values())
    summary = report.summary_table()
    assert summary["micro F1"] == report.micro.f1
    assert all(isinstance(value, float) for value in summary.values())


def test_a_perfect_model_scores_one_everywhere_when_every_class_occurs():
    y_true = np.array([[1, 0, 1], [0, 1, 0], [1, 1, 0]])
    report = summarise(y_true, y_true, ["a", "b", "c"])
    assert report.micro.f1 == report.macro.f1 == report.weighted.f1 == 1.0
    assert report.subset_accuracy == 1.0 and report.hamming_loss == 0.0
    assert report.jaccard_samples == 1.0


def test_a_class_never_present_nor_predicted_scores_zero_and_pulls_macro_down():
    y_true = np.array([[1, 0], [1, 0]])
    scores = per_class_scores(y_true, y_true)
    np.testing.assert_array_equal(scores.f1, [1.0, 0.0])
    assert macro_average(y_true, y_true).f1 == 0.5
    assert micro_average(y_true, y_true).f1 == 1.0


# Precision-recall curves.


def tied_scores(seed, n_samples=80, n_classes=4):
    """Labels and scores rounded to one decimal, so many samples share a score."""
    rng = np.random.default_rng(seed)
    y_true = (rng.random((n_samples, n_classes)) < 0.4).astype(int)
    noise = rng.normal(0.0, 0.3, size=y_true.shape)
    scores = np.clip(np.round(0.3 + 0.4 * y_true + noise, 1), 0.0, 1.0)
    return y_true, scores


def assert_curve_matches_sklearn(y_true_column, scores):
    curve = precision_recall_curve(y_true_column, scores)
    with warnings.catch_warnings():
        # sklearn warns when the class has no positives; we match its values silently.
        warnings.simplefilter("ignore", UserWarning)
        precision, recall, thresholds = sk.precision_recall_curve(y_true_column, scores)
    np.testing.assert_allclose(curve.precision, precision)
    np.testing.assert_allclose(curve.recall, recall)
    np.testing.assert_allclose(curve.thresholds, thresholds)


@pytest.mark.parametrize("seed", SEEDS)
def test_precision_recall_curve_matches_sklearn_on_random_scores(seed):
    rng = np.random.default_rng(seed)
    y_true = (rng.random(100) < 0.3).astype(int)
    assert_curve_matches_sklearn(y_true, rng.random(100))


@pytest.mark.parametrize("seed", SEEDS)
def test_precision_recall_curve_matches_sklearn_when_scores_tie(seed):
    y_true, scores = tied_scores(seed)
    for j in range(y_true.shape[1]):
        assert_curve_matches_sklearn(y_true[:, j], scores[:, j])


@pytest.mark.parametrize(
    ("y_true_column", "scores"),
    [
        ([0, 0, 0, 0], [0.1, 0.4, 0.4, 0.9]),
        ([1, 1, 1], [0.2, 0.5, 0.8]),
        ([1], [0.7]),
        ([0], [0.7]),
        ([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.5]),
    ],
    ids=["no positives", "all positive", "one positive sample", "one negative sample", "one tie"],
)
def test_precision_recall_curve_matches_sklearn_on_edge_cases(y_true_column, scores):
    assert_curve_matches_sklearn(np.array(y_true_column), np.array(scores))


def test_precision_recall_curve_ends_at_full_precision_and_zero_recall():
    curve = precision_recall_curve([1, 0, 1], [0.9, 0.6, 0.3])
    np.testing.assert_allclose(curve.thresholds, [0.3, 0.6, 0.9])
    np.testing.assert_allclose(curve.precision, [2 / 3, 0.5, 1.0, 1.0])
    np.testing.assert_allclose(curve.recall, [1.0, 0.5, 0.5, 0.0])


def test_precision_recall_curves_give_one_curve_per_class():
    y_true, scores = tied_scores(0)
    curves = precision_recall_curves(y_true, scores)
    assert len(curves) == y_true.shape[1]
    for j, curve in enumerate(curves):
        np.testing.assert_allclose(
            curve.recall, precision_recall_curve(y_true[:, j], scores[:, j]).recall
        )


# Threshold tuning.

# One class whose best F1 threshold is worked out by hand: at 0.6 three of four said
# labels are right and none is missed (F1 = 6/7), better than 0.8 (F1 = 4/5).
HAND_TRUE = np.array([[1], [1], [0], [1], [0], [0]])
HAND_SCORES = np.array([[0.9], [0.8], [0.7], [0.6], [0.3], [0.1]])


def brute_force_search(y_true_column, scores):
    """Precision, recall and F1 at every threshold on a fine grid and at every score.

    Each threshold parses the column afresh, independently of the sorting the module does.
    """
    thresholds = np.union1d(scores, np.linspace(0.0, 1.0, 101))
    predicted = scores[:, None] >= thresholds[None, :]
    actual = y_true_column[:, None] == 1
    true_positives = np.sum(predicted & actual, axis=0)
    predicted_count = predicted.sum(axis=0)
    actual_count = actual.sum()
    precision = np.where(predicted_count > 0, true_positives / np.maximum(predicted_count, 1), 0)
    recall = true_positives / actual_count
    f1 = 2 * true_positives / (predicted_count + actual_count)
    return thresholds, precision, recall, f1


def test_f1_tuning_picks_the_hand_computed_threshold():
    tuned = tune_thresholds_for_f1(HAND_TRUE, HAND_SCORES)
    np.testing.assert_allclose(tuned.thresholds, [0.6])
    np.testing.assert_allclose(tuned.validation_scores.f1, [6 / 7])
    np.testing.assert_array_equal(tuned.fallback, [False])


@pytest.mark.parametrize("seed", SEEDS)
def test_f1_tuning_reaches_the_best_f1_a_brute_force_search_finds(seed):
    y_true, scores = tied_scores(seed)
    tuned = tune_thresholds_for_f1(y_true, scores)
    for j in range(y_true.shape[1]):
        thresholds, _, _, f1 = brute_force_search(y_true[:, j], scores[:, j])
        assert tuned.validation_scores.f1[j] == pytest.approx(f1.max())
        # The tuned threshold is the highest of those reaching the best F1.
        assert tuned.thresholds[j] == pytest.approx(thresholds[np.isclose(f1, f1.max())].max())


def test_f1_tuning_breaks_ties_towards_the_highest_threshold():
    # Thresholds 0.8 and 0.2 both give F1 = 2/3; 0.8 says the label less often.
    y_true = np.array([[1], [0], [0], [1]])
    scores = np.array([[0.8], [0.6], [0.4], [0.2]])
    np.testing.assert_allclose(tune_thresholds_for_f1(y_true, scores).thresholds, [0.8])


def test_tuning_keeps_the_default_threshold_for_a_class_with_no_positives():
    y_true = np.array([[1, 0], [0, 0], [1, 0]])
    scores = np.array([[0.9, 0.2], [0.1, 0.7], [0.6, 0.4]])
    for tuned in (
        tune_thresholds_for_f1(y_true, scores),
        tune_thresholds_for_precision(y_true, scores, 0.9),
    ):
        assert tuned.thresholds[1] == DEFAULT_THRESHOLD
        np.testing.assert_array_equal(tuned.fallback, [False, True])


@pytest.mark.parametrize(
    ("target", "threshold", "recall"),
    [(1.0, 0.8, 2 / 3), (0.75, 0.6, 1.0), (0.0, 0.6, 1.0)],
)
def test_precision_tuning_picks_the_hand_computed_threshold(target, threshold, recall):
    tuned = tune_thresholds_for_precision(HAND_TRUE, HAND_SCORES, target)
    np.testing.assert_allclose(tuned.thresholds, [threshold])
    np.testing.assert_allclose(tuned.validation_scores.recall, [recall])
    assert tuned.validation_scores.precision[0] >= target
    np.testing.assert_array_equal(tuned.fallback, [False])


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("target", [0.5, 0.7, 0.9])
def test_precision_tuning_reaches_the_target_with_the_most_recall_when_possible(seed, target):
    y_true, scores = tied_scores(seed)
    tuned = tune_thresholds_for_precision(y_true, scores, target)
    for j in range(y_true.shape[1]):
        _, precision, recall, _ = brute_force_search(y_true[:, j], scores[:, j])
        reachable = precision >= target
        assert tuned.fallback[j] == (not reachable.any())
        if reachable.any():
            assert tuned.validation_scores.precision[j] >= target
            assert tuned.validation_scores.recall[j] == pytest.approx(recall[reachable].max())


def test_precision_tuning_falls_back_to_the_best_precision_when_the_target_is_out_of_reach():
    y_true = np.array([[0], [1], [1], [0]])
    scores = np.array([[0.9], [0.8], [0.7], [0.6]])
    tuned = tune_thresholds_for_precision(y_true, scores, 0.9)
    # Precision is 0 at 0.9, 1/2 at 0.8, 2/3 at 0.7 and 1/2 at 0.6: 0.7 is the best reachable.
    np.testing.assert_allclose(tuned.thresholds, [0.7])
    np.testing.assert_array_equal(tuned.fallback, [True])


def test_tuning_takes_validation_data_and_nothing_else():
    assert list(inspect.signature(tune_thresholds_for_f1).parameters) == [
        "y_true_val",
        "probabilities_val",
    ]
    assert list(inspect.signature(tune_thresholds_for_precision).parameters) == [
        "y_true_val",
        "probabilities_val",
        "target_precision",
    ]


def test_tuning_depends_only_on_the_validation_data_it_is_given():
    y_val, scores_val = tied_scores(0)
    y_test, scores_test = tied_scores(1)
    before = tune_thresholds_for_f1(y_val, scores_val)
    # Scoring a test set in between must not change what tuning on validation returns.
    summarise(y_test, parse_with_threshold(scores_test, 0.5), ["a", "b", "c", "d"])
    tune_thresholds_for_f1(y_test, scores_test)
    after = tune_thresholds_for_f1(y_val.copy(), scores_val.copy())
    np.testing.assert_array_equal(before.thresholds, after.thresholds)
    np.testing.assert_array_equal(before.validation_scores.f1, after.validation_scores.f1)


def test_tuning_does_not_modify_its_inputs():
    y_val, scores_val = tied_scores(2)
    y_copy, scores_copy = y_val.copy(), scores_val.copy()
    tune_thresholds_for_f1(y_val, scores_val)
    tune_thresholds_for_precision(y_val, scores_val, 0.8)
    np.testing.assert_array_equal(y_val, y_copy)
    np.testing.assert_array_equal(scores_val, scores_copy)


# Label statistics.


def test_label_frequency_counts_each_label():
    y_true = np.array([[1, 0, 1], [1, 1, 0], [0, 0, 1], [1, 0, 1]])
    np.testing.assert_array_equal(label_frequency(y_true), [3, 1, 3])


@pytest.mark.parametrize("seed", SEEDS)
def test_co_occurrence_counts_samples_with_both_labels(seed):
    y_true, _ = random_labels(seed)
    counts = co_occurrence(y_true)
    n_classes = y_true.shape[1]
    expected = [
        [np.sum((y_true[:, i] == 1) & (y_true[:, j] == 1)) for j in range(n_classes)]
        for i in range(n_classes)
    ]
    np.testing.assert_array_equal(counts, expected)
    np.testing.assert_array_equal(np.diag(counts), label_frequency(y_true))


# Bad arguments.


def test_labels_of_different_shapes_are_refused():
    with pytest.raises(ValueError, match="same shape"):
        per_class_scores(np.zeros((3, 2)), np.zeros((3, 3)))


@pytest.mark.parametrize(
    "y_pred",
    [np.array([[0.2, 1.0]]), np.array([1, 0]), np.zeros((0, 2))],
    ids=["not zero or one", "one-dimensional", "no samples"],
)
def test_label_matrices_that_are_not_zero_one_matrices_are_refused(y_pred):
    with pytest.raises(ValueError, match="y_pred"):
        hamming_loss(np.ones((1, 2), dtype=int), y_pred)


def test_summarise_refuses_the_wrong_number_of_class_names():
    y_true, y_pred = random_labels(0)
    with pytest.raises(ValueError, match="one class name per column"):
        summarise(y_true, y_pred, ["circle"])


@pytest.mark.parametrize("target", [-0.1, 1.5])
def test_target_precision_outside_zero_to_one_is_refused(target):
    with pytest.raises(ValueError, match="between 0 and 1"):
        tune_thresholds_for_precision(HAND_TRUE, HAND_SCORES, target)


def test_tuning_refuses_scores_that_are_not_probabilities():
    with pytest.raises(ValueError, match="between 0 and 1"):
        tune_thresholds_for_f1(HAND_TRUE, HAND_SCORES * 3)


def test_curve_refuses_labels_and_scores_of_different_lengths():
    with pytest.raises(ValueError, match="same length"):
        precision_recall_curve([1, 0], [0.5, 0.2, 0.1])
