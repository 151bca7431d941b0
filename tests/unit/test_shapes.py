"""Tests for the shapes world generator: determinism, labels, visibility, distribution."""

import numpy as np
import pytest

from lessons import shapes
from lessons.shapes import (
    CLASS_NAMES,
    IMAGE_SIZE,
    PIXEL_NOISE_AMPLITUDE,
    SHAPE_COUNT_PROBABILITIES,
)

# The documented visibility rule, written out here so that loosening it in the generator
# makes these tests fail instead of silently following along.
MIN_VISIBLE_FRACTION = 0.75
MIN_CONTRAST = 0.35
# The final pixel noise moves each channel by at most its amplitude (plus float rounding).
CHANNEL_TOLERANCE = PIXEL_NOISE_AMPLITUDE + 1e-5
CONTRAST_AFTER_NOISE = MIN_CONTRAST - np.sqrt(3) * CHANNEL_TOLERANCE


@pytest.fixture(scope="module")
def multilabel_scenes():
    return shapes.make_multilabel_scenes(2000, seed=11)


@pytest.fixture(scope="module")
def single_object():
    return shapes.make_single_object_images(2000, seed=12)


def grown_by_one(mask):
    """An independent 3x3 dilation, to check the generator's contrast rule from outside."""
    padded = np.pad(mask, 1)
    grown = np.zeros_like(mask)
    for dy in range(3):
        for dx in range(3):
            grown |= padded[dy : dy + IMAGE_SIZE, dx : dx + IMAGE_SIZE]
    return grown


def first_scenes(scenes, count):
    """The first `count` images with the shapes drawn in each."""
    return zip(scenes.images[:count], scenes.shapes[:count], strict=True)


def test_same_seed_gives_the_same_images_and_labels():
    images_a, labels_a = shapes.make_multilabel_images(80, seed=3)
    images_b, labels_b = shapes.make_multilabel_images(80, seed=3)
    np.testing.assert_array_equal(images_a, images_b)
    np.testing.assert_array_equal(labels_a, labels_b)
    first = shapes.make_single_object_images(80, seed=3)
    second = shapes.make_single_object_images(80, seed=3)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)


def test_different_seeds_give_different_images():
    images_a, _ = shapes.make_multilabel_images(20, seed=1)
    images_b, _ = shapes.make_multilabel_images(20, seed=2)
    assert not np.allclose(images_a, images_b)
    single_a, _, _ = shapes.make_single_object_images(20, seed=1)
    single_b, _, _ = shapes.make_single_object_images(20, seed=2)
    assert not np.allclose(single_a, single_b)


def test_multilabel_output_has_the_promised_dtype_shape_and_range(multilabel_scenes):
    images, labels = shapes.make_multilabel_images(70, seed=5)
    assert images.shape == (70, IMAGE_SIZE, IMAGE_SIZE, 3) and images.dtype == np.float32
    assert labels.shape == (70, len(CLASS_NAMES)) and labels.dtype == np.float32
    assert images.min() >= 0.0 and images.max() <= 1.0
    assert set(np.unique(labels)) <= {0.0, 1.0}


def test_single_object_output_has_the_promised_dtype_shape_and_range(single_object):
    images, class_indices, boxes = single_object
    assert images.shape == (2000, IMAGE_SIZE, IMAGE_SIZE, 3) and images.dtype == np.float32
    assert class_indices.shape == (2000,) and class_indices.dtype == np.int64
    assert boxes.shape == (2000, 4) and boxes.dtype == np.float32
    assert images.min() >= 0.0 and images.max() <= 1.0
    assert boxes.min() >= 0.0 and boxes.max() <= 1.0
    assert np.all(boxes[:, 0] < boxes[:, 2]) and np.all(boxes[:, 1] < boxes[:, 3])
    assert set(class_indices.tolist()) == set(range(len(CLASS_NAMES)))


def test_zero_images_is_an_empty_batch_and_a_negative_count_is_refused():
    images, labels = shapes.make_multilabel_images(0, seed=0)
    assert images.shape == (0, IMAGE_SIZE, IMAGE_SIZE, 3) and labels.shape == (0, 6)
    _, class_indices, boxes = shapes.make_single_object_images(0, seed=0)
    assert class_indices.shape == (0,) and boxes.shape == (0, 4)
    with pytest.raises(ValueError, match="zero or more"):
        shapes.make_multilabel_images(-1, seed=0)


def test_labels_name_exactly_the_classes_drawn(multilabel_scenes):
    labels = shapes.multi_hot_labels(multilabel_scenes.shapes)
    for row, scene in zip(labels, multilabel_scenes.shapes, strict=True):
        assert set(np.flatnonzero(row)) == {shape.class_index for shape in scene}
        assert len(scene) == row.sum()  # no class twice in one image


def test_every_labelled_shape_stays_visible_in_its_own_colour(multilabel_scenes):
    for image, scene in first_scenes(multilabel_scenes, 400):
        for shape, visible in zip(scene, shapes.visible_masks(scene), strict=True):
            own_pixels = shapes.draw_shape_mask(shape).sum()
            assert visible.sum() >= MIN_VISIBLE_FRACTION * own_pixels
            drawn = image[visible]
            assert np.abs(drawn - np.float32(shape.colour)).max() <= CHANNEL_TOLERANCE


def test_every_visible_shape_stands_out_from_the_pixels_around_it(multilabel_scenes):
    for image, scene in first_scenes(multilabel_scenes, 400):
        for shape, visible in zip(scene, shapes.visible_masks(scene), strict=True):
            surroundings = image[grown_by_one(visible) & ~visible]
            distances = np.linalg.norm(surroundings - np.float32(shape.colour), axis=1)
            assert distances.min() >= CONTRAST_AFTER_NOISE


def test_shape_counts_follow_the_documented_distribution(multilabel_scenes):
    counts = np.array([len(scene) for scene in multilabel_scenes.shapes])
    frequencies = np.bincount(counts, minlength=4) / len(counts)
    # 2000 images: one standard deviation of a 0.3 frequency is about 0.01.
    np.testing.assert_allclose(frequencies, SHAPE_COUNT_PROBABILITIES, atol=0.035)


def test_every_class_is_present_in_about_thirty_percent_of_images(multilabel_scenes):
    presence = shapes.multi_hot_labels(multilabel_scenes.shapes).mean(axis=0)
    expected = np.dot(np.arange(4), SHAPE_COUNT_PROBABILITIES) / len(CLASS_NAMES)
    np.testing.assert_allclose(presence, expected, atol=0.035)


def test_single_object_classes_are_balanced(single_object):
    _, class_indices, _ = single_object
    frequencies = np.bincount(class_indices, minlength=len(CLASS_NAMES)) / len(class_indices)
    np.testing.assert_allclose(frequencies, 1 / len(CLASS_NAMES), atol=0.03)


def test_colour_does_not_give_the_class_away(multilabel_scenes):
    colours = {name: [] for name in CLASS_NAMES}
    for scene in multilabel_scenes.shapes:
        for shape in scene:
            colours[shape.class_name].append(shape.colour)
    overall = np.mean([c for per_class in colours.values() for c in per_class], axis=0)
    for per_class in colours.values():
        np.testing.assert_allclose(np.mean(per_class, axis=0), overall, atol=0.05)


def test_single_object_boxes_fit_the_shape_pixels_tightly():
    scenes = shapes.make_single_object_scenes(200, seed=13)
    _, _, boxes = shapes.make_single_object_images(200, seed=13)
    for image, (shape,), box in zip(scenes.images, scenes.shapes, boxes, strict=True):
        mask = shapes.draw_shape_mask(shape)
        rows, columns = np.nonzero(mask)
        from_mask = np.array([columns.min(), rows.min(), columns.max() + 1, rows.max() + 1])
        np.testing.assert_allclose(box * IMAGE_SIZE, from_mask, atol=1.0)
        assert np.abs(image[mask] - np.float32(shape.colour)).max() <= CHANNEL_TOLERANCE


@pytest.mark.parametrize("radius", [10, 26])
def test_stencils_keep_an_empty_margin_so_shapes_never_leave_the_image(radius):
    for class_index in range(len(CLASS_NAMES)):
        for step in range(shapes.ROTATION_STEPS):
            rotation = shapes.rotation_for_step(class_index, step)
            for stroke in (0, *shapes.STROKE_WIDTHS):
                pixels = shapes.make_stencil(class_index, radius, rotation, stroke).pixels
                assert pixels.sum() > 0
                border = np.ones_like(pixels)
                border[2:-2, 2:-2] = False
                assert not (pixels & border).any()


def test_outlined_shapes_are_hollow_and_filled_shapes_are_not():
    for class_index in range(len(CLASS_NAMES)):
        filled = shapes.make_stencil(class_index, 16, 0.0, 0).pixels
        outlined = shapes.make_stencil(class_index, 16, 0.0, 2).pixels
        assert not (outlined & ~filled).any()
        assert outlined.sum() < 0.8 * filled.sum()
