"""The shipped sample images are exactly what `python -m lessons.sample_images` makes."""

import numpy as np
from PIL import Image

from lessons.image_input import read_image
from lessons.sample_images import sample_files, write_samples


def test_shipped_samples_are_rebuilt_from_the_seed(tmp_path):
    rebuilt = {path.name: path for path in write_samples(tmp_path)}
    shipped = {path.name: path for path in sample_files()}
    assert set(rebuilt) == set(shipped)
    for name, path in shipped.items():
        np.testing.assert_array_equal(
            np.asarray(Image.open(path)), np.asarray(Image.open(rebuilt[name])), err_msg=name
        )


def test_samples_cover_zero_to_three_shapes_and_hand_drawn_pictures():
    names = [path.stem for path in sample_files()]
    for prefix in ("no-shape", "one-shape", "two-shapes", "three-shapes", "hand-drawn"):
        assert any(name.startswith(prefix) for name in names), prefix


def test_every_sample_goes_through_the_upload_pipeline():
    for path in sample_files():
        prepared = read_image(path.read_bytes())
        assert prepared.model_input.shape == (64, 64, 3)
