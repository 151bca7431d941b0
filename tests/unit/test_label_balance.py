"""Making a class rare leaves out most of its images and nothing else."""

import numpy as np
import pytest

from lessons.label_balance import indices_with_class_made_rare, random_subset


def labels(rows=1000, seed=0):
    return (np.random.default_rng(seed).random((rows, 6)) < 0.3).astype(int)


def test_every_image_without_the_class_is_kept_and_a_share_of_the_others():
    y = labels()
    kept = indices_with_class_made_rare(y, class_index=2, keep_fraction=0.1, seed=4)
    assert np.all(np.diff(kept) > 0)
    without = set(np.flatnonzero(y[:, 2] == 0))
    assert without <= set(kept.tolist())
    kept_with_class = int(y[kept, 2].sum())
    assert kept_with_class == round(0.1 * y[:, 2].sum())


def test_keeping_everything_keeps_every_image_and_nothing_keeps_none_of_the_class():
    y = labels()
    assert len(indices_with_class_made_rare(y, 0, 1.0)) == len(y)
    assert y[indices_with_class_made_rare(y, 0, 0.0), 0].sum() == 0


def test_the_same_seed_keeps_the_same_images():
    y = labels()
    first = indices_with_class_made_rare(y, 1, 0.2, seed=7)
    again = indices_with_class_made_rare(y, 1, 0.2, seed=7)
    assert first.tolist() == again.tolist()


@pytest.mark.parametrize(("class_index", "keep"), [(6, 0.5), (-1, 0.5), (0, 1.5), (0, -0.1)])
def test_bad_settings_are_refused_with_a_message(class_index, keep):
    with pytest.raises(ValueError, match="must"):
        indices_with_class_made_rare(labels(), class_index, keep)


def test_a_random_subset_has_the_size_asked_for_and_no_repeats():
    subset = random_subset(100, 30, seed=2)
    assert len(set(subset.tolist())) == 30 and subset.max() < 100
    with pytest.raises(ValueError, match="Cannot draw"):
        random_subset(10, 11)
