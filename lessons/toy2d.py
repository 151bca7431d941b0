"""A small 2-D dataset whose labels overlap, for training softmax and sigmoid models live.

Each point stands for a photo summarised by two numbers. Three labels ("cat", "dog",
"bird") each cover a disc in the square [-1, 1] x [-1, 1]. The discs overlap, so a point
can carry one label, two, all three, or none: exactly the situation where a softmax
output (one unit of probability shared by all labels) and independent sigmoid outputs
behave differently.

At the default settings about a quarter of the points have no label, about half have
one, about a sixth have two and a few have three. Label noise flips each label of each
point independently, like a careless annotator. Everything is drawn from a seeded
generator, so the same settings always give the same points.
"""

import numpy as np

LABEL_NAMES = ("cat", "dog", "bird")

# Centre (x, y) and radius of the disc that carries each label, in LABEL_NAMES order.
# The centres sit close enough for every pair of discs to overlap and for all three
# to meet in the middle, and far enough apart to leave unlabelled corners.
LABEL_DISCS = (
    ((-0.4, 0.25), 0.65),
    ((0.4, 0.25), 0.65),
    ((0.0, -0.4), 0.65),
)

PLANE_LIMITS = (-1.0, 1.0)
SIZE_RANGE = (100, 2000)
NOISE_RANGE = (0.0, 0.3)
DEFAULT_SIZE = 600
DEFAULT_NOISE = 0.05


def labels_from_regions(points: np.ndarray) -> np.ndarray:
    """The noise-free multi-hot labels of `points` (N, 2): 1 where a point is in a label's disc."""
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"Points must have shape (N, 2); got {points.shape}.")
    centres = np.array([centre for centre, _ in LABEL_DISCS])
    radii = np.array([radius for _, radius in LABEL_DISCS])
    distances = np.linalg.norm(points[:, None, :] - centres[None, :, :], axis=2)
    return (distances < radii).astype(np.float32)


def make_overlapping_labels(
    size: int = DEFAULT_SIZE, noise: float = DEFAULT_NOISE, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Draw `size` points uniformly in the square and give them overlapping labels.

    Returns `(points, labels)`: points (size, 2) float32 and multi-hot labels (size, 3)
    float32, columns in LABEL_NAMES order. `noise` is the probability that each label
    of each point is flipped (present becomes absent and absent becomes present).
    """
    _check_size(size)
    _check_noise(noise)
    rng = np.random.default_rng(seed)
    points = rng.uniform(*PLANE_LIMITS, size=(size, 2))
    labels = labels_from_regions(points)
    # The flips are drawn even when noise is 0, so that changing the noise changes
    # only the labels and never which points are drawn.
    flips = rng.random(labels.shape) < noise
    labels = np.where(flips, 1.0 - labels, labels).astype(np.float32)
    return points.astype(np.float32), labels


def labels_per_point(labels: np.ndarray) -> np.ndarray:
    """How many labels each point carries (0, 1, 2 or 3)."""
    return np.asarray(labels).sum(axis=1).astype(int)


def plane_grid(resolution: int = 61) -> tuple[np.ndarray, np.ndarray]:
    """A regular grid over the square, for drawing a model's probability map.

    Returns `(axis, points)`: the `resolution` coordinates along each axis, and the
    grid points (resolution * resolution, 2) float32 in row order (y outer, x inner),
    so that `outputs.reshape(resolution, resolution)` is a heatmap's z with y as rows.
    """
    if not isinstance(resolution, int) or not 2 <= resolution <= 400:
        raise ValueError(
            f"The grid resolution must be a whole number from 2 to 400; got {resolution}."
        )
    axis = np.linspace(*PLANE_LIMITS, resolution)
    xs, ys = np.meshgrid(axis, axis)
    points = np.column_stack([xs.ravel(), ys.ravel()]).astype(np.float32)
    return axis, points


def _check_size(size: int) -> None:
    low, high = SIZE_RANGE
    if isinstance(size, bool) or not isinstance(size, int | np.integer) or not low <= size <= high:
        raise ValueError(
            f"The dataset size must be a whole number from {low} to {high}; got {size!r}."
        )


def _check_noise(noise: float) -> None:
    low, high = NOISE_RANGE
    if not isinstance(noise, int | float | np.floating) or not low <= noise <= high:
        raise ValueError(
            f"The label noise must be a probability from {low} to {high}; got {noise!r}."
        )
