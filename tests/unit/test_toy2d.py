"""The 2-D dataset with overlapping labels: shape, determinism, overlap and noise."""

import numpy as np
import pytest

from lessons import toy2d


def test_same_seed_gives_the_same_points_and_labels():
    first = toy2d.make_overlapping_labels(size=300, noise=0.1, seed=7)
    second = toy2d.make_overlapping_labels(size=300, noise=0.1, seed=7)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


def test_another_seed_gives_other_points():
    first, _ = toy2d.make_overlapping_labels(seed=1)
    second, _ = toy2d.make_overlapping_labels(seed=2)
    assert not np.array_equal(first, second)


def test_points_and_labels_have_the_promised_shapes_and_types():
    points, labels = toy2d.make_overlapping_labels(size=250)
    assert points.shape == (250, 2) and points.dtype == np.float32
    assert labels.shape == (250, len(toy2d.LABEL_NAMES)) and labels.dtype == np.float32
    assert set(np.unique(labels)) <= {0.0, 1.0}
    assert points.min() >= -1.0 and points.max() <= 1.0


def test_default_settings_give_points_with_two_labels_and_points_with_none():
    _, labels = toy2d.make_overlapping_labels()
    counts = toy2d.labels_per_point(labels)
    assert (counts == 0).mean() > 0.1
    assert (counts == 2).mean() > 0.05
    assert (counts == 3).any()
    assert (counts == 1).mean() > 0.3


def test_noise_flips_labels_but_keeps_the_points():
    clean_points, clean = toy2d.make_overlapping_labels(noise=0.0, seed=3)
    noisy_points, noisy = toy2d.make_overlapping_labels(noise=0.2, seed=3)
    np.testing.assert_array_equal(clean_points, noisy_points)
    flipped = (clean != noisy).mean()
    assert 0.15 < flipped < 0.25


def test_without_noise_labels_follow_the_discs():
    points, labels = toy2d.make_overlapping_labels(noise=0.0, seed=4)
    np.testing.assert_array_equal(labels, toy2d.labels_from_regions(points))


def test_centre_of_the_plane_carries_all_three_labels_and_corners_none():
    labels = toy2d.labels_from_regions(np.array([[0.0, 0.0], [-0.99, -0.99], [0.99, -0.99]]))
    np.testing.assert_array_equal(labels, [[1, 1, 1], [0, 0, 0], [0, 0, 0]])


def test_plane_grid_covers_the_square_in_row_order():
    axis, points = toy2d.plane_grid(5)
    assert axis[0] == -1.0 and axis[-1] == 1.0
    assert points.shape == (25, 2)
    # Row order: x moves fastest, so the second point is one step to the right.
    np.testing.assert_allclose(points[1], [-0.5, -1.0])
    np.testing.assert_allclose(points[5], [-1.0, -0.5])


@pytest.mark.parametrize(
    ("size", "noise"), [(99, 0.1), (2001, 0.1), (500.5, 0.1), (True, 0.1), (500, -0.1), (500, 0.31)]
)
def test_out_of_range_settings_are_refused_with_a_clear_message(size, noise):
    with pytest.raises(ValueError, match="dataset size|label noise"):
        toy2d.make_overlapping_labels(size=size, noise=noise)
