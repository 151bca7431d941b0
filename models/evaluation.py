"""How well the shipped models do on held-out shapes-world images: the model card's figures.

`models.train` calls `evaluate` on freshly trained models and writes the result into the
card; `benchmarks/model_metrics.py` and the tests call it on the shipped files with the
same seed and compare. The held-out images come from seeds the training never uses.
"""

import numpy as np

from lessons import boxes as box_maths
from lessons import metrics
from lessons.parsing import parse_with_threshold
from lessons.shapes import CLASS_NAMES, make_multilabel_images, make_single_object_images

TEST_IMAGES = 2000
# Training uses images from `seed`; the test sets come from `seed + TEST_SEED_OFFSET`.
TEST_SEED_OFFSET = 5000


def test_seed(training_seed: int) -> int:
    return training_seed + TEST_SEED_OFFSET


def multilabel_scores(labels: np.ndarray, probabilities: np.ndarray) -> dict:
    """Per-label precision, recall and F1 at threshold 0.5, their averages, subset accuracy."""
    report = metrics.summarise(labels, parse_with_threshold(probabilities, 0.5), CLASS_NAMES)
    return {
        "per_label": {
            name: {
                "precision": float(report.per_class.precision[index]),
                "recall": float(report.per_class.recall[index]),
                "f1": float(report.per_class.f1[index]),
                "support": int(report.per_class.support[index]),
            }
            for index, name in enumerate(CLASS_NAMES)
        },
        "micro_f1": float(report.micro.f1),
        "macro_f1": float(report.macro.f1),
        "subset_accuracy": float(report.subset_accuracy),
    }


def softmax_spread(labels: np.ndarray, probabilities: np.ndarray) -> dict:
    """What a softmax does with images that hold two shapes, and with empty images.

    For two shapes: how much probability the two true classes get together, how it is
    split (the larger of the two, the smaller), and how often they are the two top
    classes. For no shape: the largest probability, since the softmax still has to
    spread one whole unit of probability somewhere.
    """
    counts = labels.sum(axis=1)
    two = labels[counts == 2].astype(bool)
    two_probabilities = probabilities[counts == 2]
    true_pairs = np.where(two, two_probabilities, 0.0)
    larger = true_pairs.max(axis=1)
    smaller = np.sort(true_pairs, axis=1)[:, -2]
    top_two = np.argsort(two_probabilities, axis=1)[:, -2:]
    both_on_top = np.take_along_axis(two, top_two, axis=1).all(axis=1)
    empty = probabilities[counts == 0]
    return {
        "two_shape_images": int(len(two)),
        "mean_probability_of_both_true_classes": float(true_pairs.sum(axis=1).mean()),
        "mean_larger_share": float(larger.mean()),
        "mean_smaller_share": float(smaller.mean()),
        "both_true_classes_on_top": float(both_on_top.mean()),
        "both_above_one_half": float((smaller > 0.5).mean()),
        "empty_images": int(len(empty)),
        "mean_top_probability_on_empty_images": float(empty.max(axis=1).mean()),
    }


def multitask_scores(classes, boxes, class_probabilities, predicted_boxes) -> dict:
    return {
        "class_accuracy": box_maths.class_accuracy(classes, class_probabilities.argmax(axis=1)),
        "mean_iou": box_maths.mean_box_iou(boxes, predicted_boxes),
    }


def evaluate(predict, training_seed: int, count: int = TEST_IMAGES) -> dict:
    """Every figure of the card, from held-out images drawn with `test_seed(training_seed)`.

    `predict(name, images)` returns a model's outputs: probabilities for "sigmoid" and
    "softmax", (class probabilities, boxes) for "multitask".
    """
    seed = test_seed(training_seed)
    images, labels = make_multilabel_images(count, seed)
    single_images, classes, boxes = make_single_object_images(count, seed)
    sigmoid = predict("sigmoid", images)
    softmax = predict("softmax", images)
    class_probabilities, predicted_boxes = predict("multitask", single_images)
    return {
        "test_seed": seed,
        "test_images": count,
        "sigmoid": multilabel_scores(labels, sigmoid),
        "softmax": {
            "read_at_one_half": multilabel_scores(labels, softmax),
            "two_shapes": softmax_spread(labels, softmax),
        },
        "multitask": multitask_scores(classes, boxes, class_probabilities, predicted_boxes),
    }
