"""Rebuild every shipped model from scratch, then write the model card.

    python -m models.train            # the shipped models (seed 0)
    python -m models.train --seed 3   # another run, same recipe
    python -m models.train --quick    # a small smoke run into another folder

Draws the training images from `seed` (shapes world, `lessons/shapes.py`), trains the
sigmoid, softmax and multitask models of `models/builders.py` on the CPU with a progress
bar in the terminal, scores them on held-out images drawn from another seed
(`models/evaluation.py`), and writes `<name>.keras`, `model_card.json` and the model
card `README.md` into the output folder (this folder by default).

The softmax model keeps the sigmoid model's trained convolutions as they are, frozen, and
only its dense layers (the feature layer, copied from the sigmoid model, and the softmax
output) learn with its own loss: the two then differ in nothing but the output layer and
the loss, which is exactly what lesson 1 compares. Letting the whole network learn with
this loss was tried and undone: it diverged in every trial (Adam from 2e-4 to 2e-3, and
SGD with momentum), the loss rose instead of falling, and the two true classes of a
two-shape image ended with about a third of the probability, as much as chance gives
them. With the trunk frozen its pooled features are computed once per image, and the
dense layers learn from those in seconds. The price: those features were learnt for six
yes/no questions, so the softmax gives the two true classes most of the probability but
splits it unevenly (measured: about three quarters to one fifth) rather than half and half.
The multitask model also starts from those convolutions (transfer learning) and learns its
two heads, and the trunk further, on single-object images.

Images are cheap (the generator draws thousands a second), so the sigmoid model sees many
fresh images a few times each rather than a few images many times. Together with the
trunk of `models/builders.py` that is what keeps the whole rebuild under ten minutes.
"""

import os

# Set before the first TensorFlow import, or TensorFlow ignores it.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import zipfile  # noqa: E402
from dataclasses import asdict, dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402

from lessons.shapes import CLASS_NAMES, make_multilabel_images, make_single_object_images  # noqa: E402
from models import builders, evaluation, model_card  # noqa: E402

MODELS_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Recipe:
    """How much data and training each model gets."""

    multilabel_images: int = 90_000
    sigmoid_epochs: int = 5
    # Epochs of the softmax model's dense layers over the frozen trunk's pooled features.
    softmax_epochs: int = 10
    single_object_images: int = 12_000
    multitask_epochs: int = 6
    batch_size: int = 128
    test_images: int = evaluation.TEST_IMAGES


QUICK = Recipe(
    multilabel_images=512,
    sigmoid_epochs=1,
    softmax_epochs=2,
    single_object_images=256,
    multitask_epochs=1,
    test_images=200,
)


class TerminalProgress(keras.callbacks.Callback):
    """One bar over the whole rebuild, redrawn after every batch, with the latest loss."""

    def __init__(self, total_batches: int, width: int = 30) -> None:
        super().__init__()
        self.total_batches = total_batches
        self.done = 0
        self.width = width
        self.stage = ""
        self.started = time.monotonic()

    def start_stage(self, stage: str) -> None:
        self.stage = stage
        self.draw()

    def on_train_batch_end(self, batch, logs=None) -> None:
        self.done += 1
        self.draw(logs)

    def draw(self, logs=None) -> None:
        filled = round(self.width * self.done / self.total_batches)
        elapsed = time.monotonic() - self.started
        loss = (logs or {}).get("loss")
        loss_text = f" loss {float(loss):.3f}" if loss is not None else ""
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] "
            f"{100 * self.done / self.total_batches:3.0f}% {elapsed:4.0f}s "
            f"{self.stage}{loss_text}   "
        )
        sys.stderr.flush()


def batches(images: int, epochs: int, batch_size: int) -> int:
    return -(-images // batch_size) * epochs


def train_all(seed: int, recipe: Recipe, progress: TerminalProgress) -> tuple[dict, dict]:
    """The three trained models, and the seconds each took (data generation included)."""
    keras.utils.set_random_seed(seed)
    seconds = {}

    started = time.monotonic()
    progress.start_stage("drawing multilabel images")
    images, labels = make_multilabel_images(recipe.multilabel_images, seed)
    progress.start_stage("sigmoid model")
    sigmoid = builders.build_multilabel_classifier(
        "sigmoid", decaying_rate(recipe.multilabel_images, recipe.sigmoid_epochs, recipe)
    )
    sigmoid.fit(
        images, labels, batch_size=recipe.batch_size, epochs=recipe.sigmoid_epochs,
        verbose=0, callbacks=[progress],
    )  # fmt: skip
    seconds["sigmoid"] = time.monotonic() - started

    started = time.monotonic()
    progress.start_stage("softmax model: pooled features")
    softmax = builders.build_multilabel_classifier("softmax")
    copy_trunk(sigmoid, softmax, frozen=True)
    softmax.get_layer("features").set_weights(sigmoid.get_layer("features").get_weights())
    # The frozen trunk gives every image the same pooled vector in every epoch: compute it
    # once, then train only the dense layers on the vectors.
    pooled = keras.Model(sigmoid.inputs, sigmoid.get_layer(builders.POOLED).output)
    vectors = pooled.predict(images, batch_size=512, verbose=0)
    dense = keras.Sequential(
        [
            keras.Input(shape=vectors.shape[1:]),
            softmax.get_layer("features"),
            softmax.get_layer("softmax"),
        ]
    )
    # The same layer objects as in `softmax`, so training `dense` trains the softmax model.
    dense.compile(
        optimizer=keras.optimizers.Adam(
            decaying_rate(recipe.multilabel_images, recipe.softmax_epochs, recipe)
        ),
        loss="categorical_crossentropy",
    )
    # The naive target: the multi-hot label divided by its sum (an empty image stays all
    # zeros, so it adds nothing to the loss).
    sums = labels.sum(axis=1, keepdims=True)
    shares = np.divide(labels, sums, out=np.zeros_like(labels), where=sums > 0)
    progress.start_stage("softmax model")
    dense.fit(
        vectors, shares, batch_size=recipe.batch_size, epochs=recipe.softmax_epochs,
        verbose=0, callbacks=[progress],
    )  # fmt: skip
    seconds["softmax"] = time.monotonic() - started
    del images, labels, shares, vectors

    started = time.monotonic()
    progress.start_stage("drawing single-object images")
    single_images, classes, boxes = make_single_object_images(recipe.single_object_images, seed)
    progress.start_stage("multitask model")
    multitask = builders.build_multitask(
        learning_rate=decaying_rate(recipe.single_object_images, recipe.multitask_epochs, recipe)
    )
    copy_trunk(sigmoid, multitask)
    multitask.fit(
        single_images, {builders.CLASS_HEAD: classes, builders.BOX_HEAD: boxes},
        batch_size=recipe.batch_size, epochs=recipe.multitask_epochs,
        verbose=0, callbacks=[progress],
    )  # fmt: skip
    seconds["multitask"] = time.monotonic() - started
    sys.stderr.write("\n")
    return {"sigmoid": sigmoid, "softmax": softmax, "multitask": multitask}, seconds


def decaying_rate(images: int, epochs: int, recipe: Recipe):
    """A learning rate that starts at the builders' rate and falls to zero (cosine) by the end:
    big steps while the model is far off, small ones to settle."""
    steps = batches(images, epochs, recipe.batch_size)
    return keras.optimizers.schedules.CosineDecay(builders.LEARNING_RATE, decay_steps=steps)


def copy_trunk(source: keras.Model, target: keras.Model, *, frozen: bool = False) -> None:
    """Give `target` the weights of the trunk layers (the convolutions and their batch
    normalisations) of `source`; `frozen` keeps them from learning any further."""
    for layer in target.layers:
        if layer.name.startswith("conv_"):
            layer.set_weights(source.get_layer(layer.name).get_weights())
            layer.trainable = not frozen


def save_for_inference(model: keras.Model, path: Path) -> None:
    """Save the architecture and weights only, compressed.

    A clone is not compiled, so the optimizer's state stays out. Keras stores the zip
    uncompressed and its HDF5 weights file is two thirds empty space; writing the same
    members again with deflate makes the file about three times smaller, and Keras reads
    it as before.
    """
    plain = keras.models.clone_model(model)
    plain.set_weights(model.get_weights())
    unpacked = path.with_suffix(".unpacked.keras")
    plain.save(unpacked)
    with (
        zipfile.ZipFile(unpacked) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            target.writestr(member.filename, source.read(member.filename))
    unpacked.unlink()


def predictor(models: dict):
    """A `predict(name, images)` for `evaluation.evaluate`, batch by batch."""

    def predict(name: str, images: np.ndarray):
        outputs = models[name].predict(images, batch_size=256, verbose=0)
        if name == "multitask":
            return outputs[builders.CLASS_HEAD], outputs[builders.BOX_HEAD]
        return outputs

    return predict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Rebuild the shipped models and their card.")
    parser.add_argument("--seed", type=int, default=0, help="seed of the training images")
    parser.add_argument("--out", type=Path, default=MODELS_DIR, help="folder to write into")
    parser.add_argument(
        "--quick", action="store_true", help="a tiny smoke run (needs --out, to keep the models)"
    )
    arguments = parser.parse_args(argv)
    if arguments.quick and arguments.out.resolve() == MODELS_DIR:
        parser.error("--quick would overwrite the shipped models: give --out a scratch folder.")
    recipe = QUICK if arguments.quick else Recipe()
    arguments.out.mkdir(parents=True, exist_ok=True)

    total = batches(recipe.multilabel_images, recipe.sigmoid_epochs, recipe.batch_size)
    total += batches(recipe.multilabel_images, recipe.softmax_epochs, recipe.batch_size)
    total += batches(recipe.single_object_images, recipe.multitask_epochs, recipe.batch_size)
    progress = TerminalProgress(total)
    started = time.monotonic()
    models, seconds = train_all(arguments.seed, recipe, progress)
    total_seconds = time.monotonic() - started

    sizes = {}
    for name, model in models.items():
        path = arguments.out / f"{name}.keras"
        save_for_inference(model, path)
        sizes[name] = path.stat().st_size
    print("Scoring on held-out images...", file=sys.stderr)
    card = {
        "command": "python -m models.train"
        + (f" --seed {arguments.seed}" if arguments.seed else ""),
        "seed": arguments.seed,
        "recipe": asdict(recipe),
        "classes": list(CLASS_NAMES),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "keras": keras.__version__,
        "training_seconds": {name: round(value, 1) for name, value in seconds.items()},
        "total_seconds": round(total_seconds, 1),
        "parameters": {name: int(model.count_params()) for name, model in models.items()},
        "file_bytes": sizes,
        "metrics": evaluation.evaluate(predictor(models), arguments.seed, count=recipe.test_images),
    }
    (arguments.out / "model_card.json").write_text(json.dumps(card, indent=2) + "\n")
    (arguments.out / "README.md").write_text(model_card.markdown(card))
    print(f"Done in {total_seconds / 60:.1f} minutes; wrote {arguments.out}.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
