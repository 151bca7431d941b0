"""Shapes world: the generated images the image lessons train and test on.

Every image is an RGB square of IMAGE_SIZE x IMAGE_SIZE pixels, float32 in [0, 1].

Backgrounds (a third each): a plain colour, a linear gradient between two colours in a
random direction, or a "noise" texture (smooth colour blobs plus speckle around a base
colour). Every image then gets mild uniform pixel noise of +/- 0.03 per channel.

Shapes come from CLASS_NAMES. Each shape has a random colour (uniform in the RGB cube, so
any hue, saturation and brightness), a random size, position and rotation, and is filled
(half of the time) or outlined with a stroke of 2, 3 or 4 pixels. Colour never depends on
the class, so a model can only tell the classes apart by their form.

Multilabel mode (`make_multilabel_images`):
- The number of shapes per image is 0, 1, 2 or 3 with probabilities 0.1, 0.3, 0.3, 0.3
  (SHAPE_COUNT_PROBABILITIES), so an image holds 1.8 shapes on average.
- The shapes of one image have different classes, picked uniformly without replacement,
  so each class is present in 1.8 / 6 = 30 % of the images. Labels are multi-hot.
- Circumradius 10 to 18 pixels.

Single-object mode (`make_single_object_images`): exactly one shape per image, its class
uniform over CLASS_NAMES, circumradius 10 to 26 pixels, and its bounding box. Boxes are
normalised (x0, y0, x1, y1) in [0, 1] and follow pixel edges: a shape covering pixel
columns 5 to 9 has x0 = 5 / 64 and x1 = 10 / 64.

The visibility rule. Shapes are drawn one after another and may overlap, but a shape is
only placed if, at the moment it is drawn:
- Coverage: every shape drawn before it keeps at least MIN_VISIBLE_FRACTION (75 %) of its
  own pixels visible, so no labelled shape is ever more than a quarter hidden.
- Contrast: its colour is at least MIN_CONTRAST (0.35, Euclidean distance in RGB on the
  0-1 scale) away from every pixel already on the canvas under it or touching it, so its
  edge stands out from the background and from neighbouring shapes alike.
A shape that fails is tried again with a new position, size, rotation and colour, up to
MAX_PLACEMENT_ATTEMPTS times; if it still fails it is left out and not labelled. With these
sizes that happened to 1 image in 20,000 when measured, too rare to move the distribution
of shape counts (the tests check the distribution).

Generation is deterministic: the same count and seed always give the same images.
For speed, each shape outline is rasterised once by PIL for a whole-pixel radius and one
of ROTATION_STEPS rotations, then reused as a stencil; positions are whole pixels.
Backgrounds and noise are painted with numpy, from random numbers drawn a chunk at a time.
"""

from __future__ import annotations

import functools
import math
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

import numpy as np
from PIL import Image, ImageDraw

IMAGE_SIZE = 64
CLASS_NAMES = ("circle", "square", "triangle", "star", "hexagon", "cross")

SHAPE_COUNT_PROBABILITIES = (0.1, 0.3, 0.3, 0.3)
MULTILABEL_RADIUS_RANGE = (10, 18)
SINGLE_OBJECT_RADIUS_RANGE = (10, 26)
FILLED_PROBABILITY = 0.5
STROKE_WIDTHS = (2, 3, 4)
ROTATION_STEPS = 16

MIN_VISIBLE_FRACTION = 0.75
MIN_CONTRAST = 0.35
MAX_PLACEMENT_ATTEMPTS = 150

PIXEL_NOISE_AMPLITUDE = 0.03
# Random numbers for backgrounds and noise are drawn for this many images at a time.
# The chunk size is part of what a seed means, so changing it changes every image.
CHUNK_SIZE = 64


@dataclass(frozen=True, slots=True)
class PlacedShape:
    """One shape as drawn: which class, where, how big, which way it points, how it looks.

    `left` and `top` place the corner of the shape's stencil, a square of
    2 * radius + 5 pixels with the shape centred in it.
    """

    class_index: int
    left: int
    top: int
    radius: int
    rotation_degrees: float
    colour: tuple[float, float, float]
    stroke_width: int  # 0 means filled

    @property
    def class_name(self) -> str:
        return CLASS_NAMES[self.class_index]


@dataclass(frozen=True)
class Scenes:
    """Generated images together with the shapes drawn in each, in drawing order."""

    images: np.ndarray
    shapes: tuple[tuple[PlacedShape, ...], ...]


# --- Shape outlines and stencils ----------------------------------------------------------


def _regular_polygon(corner_count: int, first_angle: float) -> np.ndarray:
    angles = first_angle + 2 * np.pi * np.arange(corner_count) / corner_count
    return np.stack([np.cos(angles), np.sin(angles)], axis=1)


def _star(point_count: int = 5, inner_ratio: float = 0.45) -> np.ndarray:
    angles = -np.pi / 2 + np.pi * np.arange(2 * point_count) / point_count
    radii = np.where(np.arange(2 * point_count) % 2 == 0, 1.0, inner_ratio)
    return np.stack([radii * np.cos(angles), radii * np.sin(angles)], axis=1)


def _cross(arm_half_width: float = 0.32, arm_length: float = 0.94) -> np.ndarray:
    # An arm length below 1 keeps the outer corners inside the unit circle, like every shape.
    a, w = arm_length, arm_half_width
    return np.array(
        [(w, -a), (w, -w), (a, -w), (a, w), (w, w), (w, a)]
        + [(-w, a), (-w, w), (-a, w), (-a, -w), (-w, -w), (-w, -a)]
    )


# Corners of each polygon for a shape of circumradius 1 centred on the origin, and the turn
# after which it looks the same again. The circle has no corners: it is drawn as an ellipse.
UNIT_CORNERS = {
    "square": (_regular_polygon(4, np.pi / 4), 90.0),
    "triangle": (_regular_polygon(3, -np.pi / 2), 120.0),
    "star": (_star(), 72.0),
    "hexagon": (_regular_polygon(6, 0.0), 60.0),
    "cross": (_cross(), 90.0),
}


def rotation_for_step(class_index: int, step: int) -> float:
    """The rotation in degrees of one of ROTATION_STEPS evenly spaced turns of a class."""
    name = CLASS_NAMES[class_index]
    if name == "circle":
        return 0.0
    return step * UNIT_CORNERS[name][1] / ROTATION_STEPS


@dataclass(frozen=True)
class Stencil:
    """A shape rasterised once: its pixels, the pixels touching it, and its tight box."""

    pixels: np.ndarray  # bool (side, side)
    # Where the shape's pixels, and the pixels it touches (its pixels grown by one in every
    # direction), sit in a flattened image when the stencil's corner is at pixel 0. Adding
    # `top * IMAGE_SIZE + left` moves them anywhere: fancy indexing with these is much
    # faster than masking a window of the image.
    pixel_offsets: np.ndarray
    touched_offsets: np.ndarray
    area: int
    box: tuple[int, int, int, int]  # first column, first row, last column + 1, last row + 1


def stencil_side(radius: int) -> int:
    """The stencil is a square with two empty pixels around the shape on every side."""
    return 2 * radius + 5


@functools.cache
def make_stencil(
    class_index: int, radius: int, rotation_degrees: float, stroke_width: int
) -> Stencil:
    """Rasterise a shape with PIL, centred in its stencil (cached: shapes repeat often)."""
    side = stencil_side(radius)
    canvas = Image.new("L", (side, side), 0)
    pen = ImageDraw.Draw(canvas)
    # PIL puts pixel centres on whole numbers, so the middle pixel of an odd side is here.
    middle = (side - 1) / 2
    name = CLASS_NAMES[class_index]
    if name == "circle":
        box = (middle - radius, middle - radius, middle + radius, middle + radius)
        if stroke_width:
            pen.ellipse(box, outline=1, width=stroke_width)
        else:
            pen.ellipse(box, fill=1)
    else:
        angle = math.radians(rotation_degrees)
        cos, sin = math.cos(angle), math.sin(angle)
        turn = np.array([[cos, -sin], [sin, cos]]) * radius
        corners = UNIT_CORNERS[name][0] @ turn.T + middle
        # Rounding away float dust (1.9999999 for 2) keeps PIL from adding a stray row.
        points = np.round(corners, 6).ravel().tolist()
        if stroke_width:
            pen.polygon(points, outline=1, width=stroke_width)
        else:
            pen.polygon(points, fill=1)
    pixels = np.asarray(canvas) > 0
    columns = np.flatnonzero(pixels.any(axis=0))
    rows = np.flatnonzero(pixels.any(axis=1))
    return Stencil(
        pixels=pixels,
        pixel_offsets=_flat_offsets(pixels),
        touched_offsets=_flat_offsets(grow_by_one_pixel(pixels)),
        area=int(np.count_nonzero(pixels)),
        box=(int(columns[0]), int(rows[0]), int(columns[-1]) + 1, int(rows[-1]) + 1),
    )


def _flat_offsets(mask: np.ndarray) -> np.ndarray:
    rows, columns = np.nonzero(mask)
    return rows * IMAGE_SIZE + columns


def stencil_of(shape: PlacedShape) -> Stencil:
    return make_stencil(shape.class_index, shape.radius, shape.rotation_degrees, shape.stroke_width)


def grow_by_one_pixel(mask: np.ndarray) -> np.ndarray:
    """The mask plus its 8 neighbours: the pixels a shape touches as well as covers."""
    tall = mask.copy()
    tall[1:] |= mask[:-1]
    tall[:-1] |= mask[1:]
    grown = tall.copy()
    grown[:, 1:] |= tall[:, :-1]
    grown[:, :-1] |= tall[:, 1:]
    return grown


def _window(shape: PlacedShape) -> tuple[slice, slice]:
    side = stencil_side(shape.radius)
    return slice(shape.top, shape.top + side), slice(shape.left, shape.left + side)


def draw_shape_mask(shape: PlacedShape) -> np.ndarray:
    """The pixels a shape covers on an empty image, as a boolean (size, size) array."""
    mask = np.zeros((IMAGE_SIZE, IMAGE_SIZE), dtype=bool)
    mask[_window(shape)] = stencil_of(shape).pixels
    return mask


def visible_masks(shapes: tuple[PlacedShape, ...]) -> list[np.ndarray]:
    """Each shape's own pixels that no later shape covers, in drawing order."""
    masks = [draw_shape_mask(shape) for shape in shapes]
    visible = []
    for index, mask in enumerate(masks):
        covered_later = np.zeros_like(mask)
        for later in masks[index + 1 :]:
            covered_later |= later
        visible.append(mask & ~covered_later)
    return visible


def shape_box(shape: PlacedShape) -> np.ndarray:
    """The tight box around a shape's pixels, normalised (x0, y0, x1, y1) on pixel edges."""
    x0, y0, x1, y1 = stencil_of(shape).box
    edges = (shape.left + x0, shape.top + y0, shape.left + x1, shape.top + y1)
    return np.array(edges, dtype=np.float32) / IMAGE_SIZE


# --- Backgrounds and noise ---------------------------------------------------------------
# Random numbers are drawn for a whole chunk of images at once (one call instead of dozens),
# but each image is painted in place in its own slice of the output: temporary arrays the
# size of a whole chunk cost more in memory traffic than they save in Python calls.
# Images are painted as (rows, columns * 3) arrays: with the colour channels interleaved
# along the row, numpy broadcasts over rows of 192 numbers instead of 3-number pixels,
# which is several times faster.

ROW_LENGTH = IMAGE_SIZE * 3
BLOB_GRID = 6
TEXTURE_BLOB_STRENGTH = 0.35
TEXTURE_SPECKLE_AMPLITUDE = 0.06
_PIXEL_CENTRES = (np.arange(IMAGE_SIZE, dtype=np.float32) + 0.5) / IMAGE_SIZE - 0.5


def _upsampling_matrix(small: int, large: int) -> np.ndarray:
    """Linear interpolation from `small` samples to `large` samples, as a matrix."""
    positions = np.linspace(0, small - 1, large)
    matrix = np.maximum(0.0, 1.0 - np.abs(positions[:, None] - np.arange(small)[None, :]))
    return matrix.astype(np.float32)


_BLOB_ROWS = _upsampling_matrix(BLOB_GRID, IMAGE_SIZE)
# Upsamples columns and keeps each colour channel in its interleaved place.
_BLOB_COLUMNS = np.kron(_BLOB_ROWS.T, np.eye(3, dtype=np.float32))


def _along_row(colours: np.ndarray) -> np.ndarray:
    """(count, 3) colours -> (count, ROW_LENGTH): each colour repeated along a row."""
    return np.tile(colours, IMAGE_SIZE)


def _random_levels(count: int, rng: np.random.Generator) -> np.ndarray:
    """(count, rows, ROW_LENGTH) random bytes, 0 to 255: cheap noise to scale later.

    Random bytes are several times cheaper to draw than random floats, and 256 levels are
    plenty for noise whose only job is to break up perfectly flat colours.
    """
    return np.frombuffer(rng.bytes(count * IMAGE_SIZE * ROW_LENGTH), dtype=np.uint8).reshape(
        count, IMAGE_SIZE, ROW_LENGTH
    )


def paint_backgrounds(images: np.ndarray, rng: np.random.Generator) -> None:
    """Fill (count, size, size, 3) float32 images with plain, gradient or noise backgrounds.

    Each kind is picked with probability one third.
    """
    count = len(images)
    rows = images.reshape(count, IMAGE_SIZE, ROW_LENGTH)
    kinds = rng.integers(3, size=count).tolist()
    base = _along_row(rng.random((count, 3), dtype=np.float32))
    towards = _along_row(rng.random((count, 3), dtype=np.float32)) - base
    angles = rng.uniform(0, 2 * np.pi, size=count).tolist()
    blobs = rng.random((count, BLOB_GRID, BLOB_GRID * 3), dtype=np.float32) - 0.5
    speckle = _random_levels(kinds.count(2), rng)
    textured = 0
    for index, kind in enumerate(kinds):
        painted = rows[index]
        if kind == 0:
            painted[...] = base[index]
        elif kind == 1:
            _paint_gradient(painted, base[index], towards[index], angles[index])
        else:
            _paint_texture(painted, base[index], blobs[index], speckle[textured])
            textured += 1
    np.clip(rows, 0.0, 1.0, out=rows)


def _paint_gradient(
    painted: np.ndarray, base: np.ndarray, towards: np.ndarray, angle: float
) -> None:
    """A linear ramp from the base colour to base + towards, in the direction `angle`."""
    cos, sin = math.cos(angle), math.sin(angle)
    # Dividing by |cos| + |sin| stretches every direction to run the full ramp, 0 to 1.
    stretch = 1 / (abs(cos) + abs(sin))
    ramp_across = np.repeat(_PIXEL_CENTRES * np.float32(cos * stretch), 3)
    ramp_down = _PIXEL_CENTRES * np.float32(sin * stretch)
    np.multiply(ramp_down[:, None], towards, out=painted)
    painted += base + (ramp_across + np.float32(0.5)) * towards


def _paint_texture(
    painted: np.ndarray, base: np.ndarray, blobs: np.ndarray, speckle: np.ndarray
) -> None:
    """Smooth colour blobs plus speckle around the base colour: the 'noise' background."""
    np.matmul(_BLOB_ROWS, blobs @ _BLOB_COLUMNS, out=painted)
    painted *= TEXTURE_BLOB_STRENGTH
    painted += base - TEXTURE_SPECKLE_AMPLITUDE
    painted += speckle * np.float32(2 * TEXTURE_SPECKLE_AMPLITUDE / 255)


def add_pixel_noise(images: np.ndarray, rng: np.random.Generator) -> None:
    """Mild uniform noise on every pixel, +/- PIXEL_NOISE_AMPLITUDE, then clip to [0, 1]."""
    count = len(images)
    rows = images.reshape(count, IMAGE_SIZE, ROW_LENGTH)
    step = np.float32(2 * PIXEL_NOISE_AMPLITUDE / 255)
    for painted, levels in zip(rows, _random_levels(count, rng), strict=True):
        painted += levels * step
    rows -= np.float32(PIXEL_NOISE_AMPLITUDE)
    np.clip(rows, 0.0, 1.0, out=rows)


# --- Placing shapes -----------------------------------------------------------------------


def _random_shape(
    class_index: int, radius_range: tuple[int, int], rng: np.random.Generator
) -> PlacedShape:
    # One call for every number a shape needs: far cheaper than seven scalar calls.
    u_radius, u_left, u_top, u_turn, u_stroke, red, green, blue = rng.random(8).tolist()
    low, high = radius_range
    radius = low + int(u_radius * (high - low + 1))
    room = IMAGE_SIZE - stencil_side(radius) + 1
    return PlacedShape(
        class_index=class_index,
        left=int(u_left * room),
        top=int(u_top * room),
        radius=radius,
        rotation_degrees=rotation_for_step(class_index, int(u_turn * ROTATION_STEPS)),
        colour=(red, green, blue),
        stroke_width=_stroke_width(u_stroke),
    )


def _stroke_width(uniform: float) -> int:
    """Filled (0) for the first FILLED_PROBABILITY of [0, 1), then each width evenly."""
    if uniform < FILLED_PROBABILITY:
        return 0
    share = (uniform - FILLED_PROBABILITY) / (1 - FILLED_PROBABILITY)
    return STROKE_WIDTHS[int(share * len(STROKE_WIDTHS))]


def _stands_out(colour: np.ndarray, touched: np.ndarray, flat_canvas: np.ndarray) -> bool:
    """The contrast rule: the colour is far from every pixel under or touching the shape."""
    differences = flat_canvas[touched]
    differences -= colour
    np.square(differences, out=differences)
    # A matrix product sums the three channels far faster than .sum(axis=1) does.
    return bool((differences @ _ONES_PER_CHANNEL).min() >= MIN_CONTRAST**2)


_ONES_PER_CHANNEL = np.ones(3, dtype=np.float32)


@dataclass
class _ShapeInView:
    """A shape already drawn: which of its pixels are still visible, and how many it needs."""

    visible: np.ndarray  # bool, one per pixel of the flattened image
    visible_count: int
    needed_count: float


def draw_scene(
    canvas: np.ndarray,
    class_indices: list[int],
    radius_range: tuple[int, int],
    rng: np.random.Generator,
) -> tuple[PlacedShape, ...]:
    """Draw one shape per class onto `canvas` (in place), each obeying the visibility rule.

    Returns the shapes that were placed, in drawing order.
    """
    flat_canvas = canvas.reshape(-1, 3)
    placed: list[PlacedShape] = []
    earlier: list[_ShapeInView] = []
    for class_index in class_indices:
        for _ in range(MAX_PLACEMENT_ATTEMPTS):
            shape = _random_shape(class_index, radius_range, rng)
            stencil = stencil_of(shape)
            corner = shape.top * IMAGE_SIZE + shape.left
            pixels = stencil.pixel_offsets + corner
            hidden = [np.count_nonzero(seen.visible[pixels]) for seen in earlier]
            # The coverage rule: each earlier shape keeps enough of its own pixels in view.
            keeps_earlier_visible = all(
                seen.visible_count - count >= seen.needed_count
                for seen, count in zip(earlier, hidden, strict=True)
            )
            colour = np.array(shape.colour, dtype=np.float32)
            touched = stencil.touched_offsets + corner
            if keeps_earlier_visible and _stands_out(colour, touched, flat_canvas):
                flat_canvas[pixels] = colour
                for seen, count in zip(earlier, hidden, strict=True):
                    seen.visible[pixels] = False
                    seen.visible_count -= count
                visible = np.zeros(IMAGE_SIZE * IMAGE_SIZE, dtype=bool)
                visible[pixels] = True
                needed = MIN_VISIBLE_FRACTION * stencil.area
                earlier.append(_ShapeInView(visible, stencil.area, needed))
                placed.append(shape)
                break
    return tuple(placed)


def _make_scenes(count: int, seed: int, pick_classes, radius_range: tuple[int, int]) -> Scenes:
    """The shared generator loop: backgrounds, shapes, noise, one chunk at a time."""
    if count < 0:
        raise ValueError(f"The number of images must be zero or more, not {count}.")
    rng = np.random.default_rng(seed)
    images = np.empty((count, IMAGE_SIZE, IMAGE_SIZE, 3), dtype=np.float32)
    shapes: list[tuple[PlacedShape, ...]] = []
    for start in range(0, count, CHUNK_SIZE):
        chunk = images[start : start + CHUNK_SIZE]
        paint_backgrounds(chunk, rng)
        for canvas, class_indices in zip(chunk, pick_classes(len(chunk), rng), strict=True):
            shapes.append(draw_scene(canvas, class_indices, radius_range, rng))
        add_pixel_noise(chunk, rng)
    return Scenes(images=images, shapes=tuple(shapes))


_CUMULATIVE_COUNT_PROBABILITIES = list(accumulate(SHAPE_COUNT_PROBABILITIES))[:-1]


def _multilabel_classes(count: int, rng: np.random.Generator) -> list[list[int]]:
    """For each image, its shape count from the documented distribution, distinct classes."""
    shape_counts = [bisect_right(_CUMULATIVE_COUNT_PROBABILITIES, u) for u in rng.random(count)]
    orders = rng.permuted(np.tile(np.arange(len(CLASS_NAMES)), (count, 1)), axis=1).tolist()
    return [order[:n] for order, n in zip(orders, shape_counts, strict=True)]


def _single_class(count: int, rng: np.random.Generator) -> list[list[int]]:
    return [[class_index] for class_index in rng.integers(len(CLASS_NAMES), size=count).tolist()]


# --- Public generators --------------------------------------------------------------------


def make_multilabel_scenes(count: int, seed: int) -> Scenes:
    """Multilabel images with the shapes drawn in each (for tests and lesson figures)."""
    return _make_scenes(count, seed, _multilabel_classes, MULTILABEL_RADIUS_RANGE)


def make_multilabel_images(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Images (count, 64, 64, 3) float32 in [0, 1] and multi-hot labels (count, K) float32."""
    scenes = make_multilabel_scenes(count, seed)
    return scenes.images, multi_hot_labels(scenes.shapes)


def multi_hot_labels(shapes: tuple[tuple[PlacedShape, ...], ...]) -> np.ndarray:
    """One row per image with a 1 for every class drawn in it."""
    labels = np.zeros((len(shapes), len(CLASS_NAMES)), dtype=np.float32)
    for row, scene in enumerate(shapes):
        labels[row, [shape.class_index for shape in scene]] = 1.0
    return labels


def make_single_object_scenes(count: int, seed: int) -> Scenes:
    """Single-object images with the one shape drawn in each."""
    scenes = _make_scenes(count, seed, _single_class, SINGLE_OBJECT_RADIUS_RANGE)
    # On an empty canvas the rules practically never fail 150 times in a row, but the
    # promise of exactly one shape per image is checked rather than assumed.
    if any(len(scene) != 1 for scene in scenes.shapes):
        raise RuntimeError("A single-object image could not place its shape; try another seed.")
    return scenes


def make_single_object_images(count: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Images (count, 64, 64, 3) float32, class indices (count,) int64, boxes (count, 4).

    Boxes are float32 (x0, y0, x1, y1) normalised to [0, 1], tight around the shape.
    """
    scenes = make_single_object_scenes(count, seed)
    class_indices = np.array([scene[0].class_index for scene in scenes.shapes], dtype=np.int64)
    boxes = np.zeros((count, 4), dtype=np.float32)
    for row, (shape,) in enumerate(scenes.shapes):
        boxes[row] = shape_box(shape)
    return scenes.images, class_indices, boxes
