"""Bounding boxes: how much two boxes overlap, and what a model that learned nothing scores.

Boxes are (x0, y0, x1, y1), normalised to [0, 1] like the boxes of shapes world: x0 < x1
is the left and right edge, y0 < y1 the top and bottom edge. A predicted box may come
out "inside out" (x1 < x0); it then covers no area at all.
"""

import numpy as np


def box_areas(boxes) -> np.ndarray:
    """The area of each box; an inside-out box has area 0."""
    boxes = _check_boxes(boxes, "boxes")
    widths = np.clip(boxes[:, 2] - boxes[:, 0], 0.0, None)
    heights = np.clip(boxes[:, 3] - boxes[:, 1], 0.0, None)
    return widths * heights


def box_iou(true_boxes, predicted_boxes) -> np.ndarray:
    """Intersection over union of each pair of boxes, row by row.

    1 is a perfect match, 0 means the boxes do not overlap at all.
    """
    true_boxes = _check_boxes(true_boxes, "true_boxes")
    predicted_boxes = _check_boxes(predicted_boxes, "predicted_boxes")
    if true_boxes.shape != predicted_boxes.shape:
        raise ValueError(
            f"There are {len(true_boxes)} true boxes but {len(predicted_boxes)} predicted boxes."
        )
    left = np.maximum(true_boxes[:, 0], predicted_boxes[:, 0])
    top = np.maximum(true_boxes[:, 1], predicted_boxes[:, 1])
    right = np.minimum(true_boxes[:, 2], predicted_boxes[:, 2])
    bottom = np.minimum(true_boxes[:, 3], predicted_boxes[:, 3])
    overlap = np.clip(right - left, 0.0, None) * np.clip(bottom - top, 0.0, None)
    union = box_areas(true_boxes) + box_areas(predicted_boxes) - overlap
    # Two boxes without area have no union; they share nothing worth calling overlap.
    return np.divide(overlap, union, out=np.zeros_like(overlap), where=union > 0)


def mean_box_iou(true_boxes, predicted_boxes) -> float:
    return float(np.mean(box_iou(true_boxes, predicted_boxes)))


def class_accuracy(true_classes, predicted_classes) -> float:
    """The share of images whose predicted class is the true one."""
    true_classes = np.asarray(true_classes)
    predicted_classes = np.asarray(predicted_classes)
    if true_classes.shape != predicted_classes.shape:
        raise ValueError("There must be one predicted class per true class.")
    return float(np.mean(true_classes == predicted_classes))


def majority_class_accuracy(train_classes, test_classes) -> float:
    """The accuracy of always answering the most common class of the training set."""
    majority = np.bincount(np.asarray(train_classes)).argmax()
    return class_accuracy(test_classes, np.full(len(test_classes), majority))


def mean_box_iou_baseline(train_boxes, test_boxes) -> float:
    """The mean IoU of always drawing the average training box, whatever the image shows."""
    train_boxes = _check_boxes(train_boxes, "train_boxes")
    test_boxes = _check_boxes(test_boxes, "test_boxes")
    average = np.tile(train_boxes.mean(axis=0), (len(test_boxes), 1))
    return mean_box_iou(test_boxes, average)


def _check_boxes(boxes, name: str) -> np.ndarray:
    boxes = np.asarray(boxes, dtype=np.float64)
    if boxes.ndim != 2 or boxes.shape[1] != 4:
        raise ValueError(f"{name} must have one row of (x0, y0, x1, y1) per box.")
    return boxes
