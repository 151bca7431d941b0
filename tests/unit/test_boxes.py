"""Box overlap and the scores of models that learned nothing."""

import numpy as np
import pytest

from lessons import boxes


def test_a_box_overlaps_itself_completely():
    box = [[0.1, 0.2, 0.5, 0.9]]
    assert boxes.box_iou(box, box) == pytest.approx([1.0])


def test_boxes_that_do_not_touch_have_no_overlap():
    assert boxes.box_iou([[0.0, 0.0, 0.2, 0.2]], [[0.5, 0.5, 0.9, 0.9]]) == pytest.approx([0.0])


def test_half_a_box_shifted_sideways_overlaps_by_a_third():
    # Two 0.4 x 0.4 boxes sharing half their width: overlap 0.08, union 0.24.
    iou = boxes.box_iou([[0.0, 0.0, 0.4, 0.4]], [[0.2, 0.0, 0.6, 0.4]])
    assert iou == pytest.approx([1 / 3])


def test_an_inside_out_prediction_covers_nothing():
    assert boxes.box_areas([[0.6, 0.6, 0.2, 0.2]]) == pytest.approx([0.0])
    assert boxes.box_iou([[0.1, 0.1, 0.5, 0.5]], [[0.6, 0.6, 0.2, 0.2]]) == pytest.approx([0.0])


def test_iou_is_computed_row_by_row():
    true = [[0.0, 0.0, 0.5, 0.5], [0.5, 0.5, 1.0, 1.0]]
    predicted = [[0.0, 0.0, 0.5, 0.5], [0.0, 0.0, 0.1, 0.1]]
    assert boxes.box_iou(true, predicted) == pytest.approx([1.0, 0.0])
    assert boxes.mean_box_iou(true, predicted) == pytest.approx(0.5)


def test_mismatched_box_lists_are_refused():
    with pytest.raises(ValueError, match="2 true boxes but 1 predicted"):
        boxes.box_iou(np.zeros((2, 4)), np.zeros((1, 4)))
    with pytest.raises(ValueError, match="one row of"):
        boxes.box_iou(np.zeros((2, 3)), np.zeros((2, 3)))


def test_the_majority_class_baseline_answers_the_most_common_training_class():
    assert boxes.majority_class_accuracy([2, 2, 1], [2, 0, 2, 1]) == pytest.approx(0.5)


def test_the_mean_box_baseline_draws_the_average_training_box():
    train = [[0.0, 0.0, 0.4, 0.4], [0.2, 0.2, 0.6, 0.6]]
    # The average box is (0.1, 0.1, 0.5, 0.5), which is exactly the test box.
    assert boxes.mean_box_iou_baseline(train, [[0.1, 0.1, 0.5, 0.5]]) == pytest.approx(1.0)
