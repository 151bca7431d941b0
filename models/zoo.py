"""The shipped models, loaded once per process and only ever used for predictions.

The `.keras` files beside this module are rebuilt by `python -m models.train`. They hold
stock Keras layers only, so they load with `safe_mode=True`: a file that asked to run
arbitrary code (a `Lambda` layer) would be refused rather than executed.

A loaded model is shared by every learner of the server, so nothing here fits, compiles
or changes one. One image or a few are predicted with `model(x, training=False)`, which
takes milliseconds; `model.predict` is meant for large batches and costs ~50 ms even for
one image. Large arrays are cut into batches so memory stays bounded.
"""

import os

# Set before the first TensorFlow import, or TensorFlow ignores it.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import threading  # noqa: E402
from pathlib import Path  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402

from models.builders import BOX_HEAD, CLASS_HEAD, IMAGE_SHAPE, MODEL_NAMES  # noqa: E402

MODELS_DIR = Path(__file__).resolve().parent
BATCH_SIZE = 256

_loaded: dict[str, keras.Model] = {}
_loading = threading.Lock()


class MissingModelError(FileNotFoundError):
    """A shipped model file is not there: rebuild the models with `make models`."""


def model_path(name: str) -> Path:
    if name not in MODEL_NAMES:
        raise ValueError(f"There is no shipped model called {name!r}; there are {MODEL_NAMES}.")
    return MODELS_DIR / f"{name}.keras"


def load_model(name: str) -> keras.Model:
    """The shipped model `name`, read from disk the first time it is asked for."""
    with _loading:  # two learners arriving at once must not load the same file twice
        if name not in _loaded:
            path = model_path(name)
            if not path.exists():
                raise MissingModelError(
                    f"The model file {path.name} is missing. Rebuild it with `make models`."
                )
            _loaded[name] = keras.saving.load_model(path, compile=False, safe_mode=True)
        return _loaded[name]


def as_batch(images) -> np.ndarray:
    """One image (64 x 64 x 3) or a batch of them, as a float32 batch in [0, 1]."""
    images = np.asarray(images, dtype=np.float32)
    if images.shape == IMAGE_SHAPE:
        images = images[None]
    if images.ndim != 4 or images.shape[1:] != IMAGE_SHAPE:
        raise ValueError(
            f"Expected images of shape {IMAGE_SHAPE} or a batch of them, got {images.shape}."
        )
    return images


def _outputs(name: str, images):
    """The model's outputs for every image, computed batch by batch, as numpy arrays."""
    model = load_model(name)
    images = as_batch(images)
    parts = [
        keras.tree.map_structure(
            lambda tensor: keras.ops.convert_to_numpy(tensor),
            model(images[start : start + BATCH_SIZE], training=False),
        )
        for start in range(0, len(images), BATCH_SIZE)
    ]
    if not parts:
        raise ValueError("There are no images to predict.")
    return keras.tree.map_structure(lambda *arrays: np.concatenate(arrays), *parts)


def sigmoid_probabilities(images) -> np.ndarray:
    """The sigmoid model's probability of each class, one row per image."""
    return _outputs("sigmoid", images)


def softmax_probabilities(images) -> np.ndarray:
    """The softmax model's probabilities (each row sums to one), one row per image."""
    return _outputs("softmax", images)


def multitask_prediction(images) -> tuple[np.ndarray, np.ndarray]:
    """The multitask model's class probabilities and box (x0, y0, x1, y1), one row per image."""
    outputs = _outputs("multitask", images)
    return outputs[CLASS_HEAD], outputs[BOX_HEAD]
