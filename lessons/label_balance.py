"""Making one class rare in a training set, to see what imbalance does to a model.

An image cannot lose one of its shapes without being redrawn, so a class becomes rare by
leaving out most of the images that hold it. That also removes some of the other
shapes drawn in those images; to compare fairly, a balanced training set of the same
size is drawn at random from the same images (`random_subset`).
"""

import numpy as np


def indices_with_class_made_rare(
    labels, class_index: int, keep_fraction: float, seed: int = 0
) -> np.ndarray:
    """Indices, in order, of every sample without the class plus `keep_fraction` of the rest.

    The kept samples with the class are drawn at random (seeded); their number is
    `keep_fraction` times those available, rounded.
    """
    labels = np.asarray(labels)
    if labels.ndim != 2 or labels.shape[0] == 0:
        raise ValueError(f"Expected labels of shape (samples, classes), got {labels.shape}.")
    if isinstance(class_index, bool) or not 0 <= class_index < labels.shape[1]:
        raise ValueError(
            f"The class index must be from 0 to {labels.shape[1] - 1}, got {class_index!r}."
        )
    if not 0.0 <= keep_fraction <= 1.0:
        raise ValueError(f"The share to keep must lie between 0 and 1, got {keep_fraction}.")
    has_class = labels[:, class_index] == 1
    with_class = np.flatnonzero(has_class)
    keep_count = int(round(keep_fraction * len(with_class)))
    rng = np.random.default_rng(seed)
    kept_with_class = rng.choice(with_class, size=keep_count, replace=False)
    return np.sort(np.concatenate([np.flatnonzero(~has_class), kept_with_class]))


def random_subset(count: int, size: int, seed: int = 0) -> np.ndarray:
    """`size` distinct indices out of range(count), drawn at random (seeded), in order."""
    if not 0 <= size <= count:
        raise ValueError(f"Cannot draw {size} samples out of {count}.")
    return np.sort(np.random.default_rng(seed).choice(count, size=size, replace=False))
