"""Score the shipped models again and compare with their card.

Run from the repository root:  python -m benchmarks.model_metrics [--seed 777777]

Loads the shipped `.keras` files through `models.zoo` (as the app does), draws the card's
held-out test set (the training seed + 5000) and, with `--seed`, another fresh test set,
and prints a markdown table of each figure: what the card says, what the shipped files
give on the card's images, and what they give on the fresh images. The first two columns
must agree exactly (same files, same images); the third shows how far the card's figures
carry to new data. The generator's own speed is `python -m benchmarks.shapes_speed`.
"""

import argparse
import json
import time

from models import evaluation, zoo
from models.zoo import MODELS_DIR

FIGURES = (
    ("sigmoid micro F1", ("sigmoid", "micro_f1")),
    ("sigmoid macro F1", ("sigmoid", "macro_f1")),
    ("sigmoid subset accuracy", ("sigmoid", "subset_accuracy")),
    ("softmax: both true above 0.5 (two shapes)", ("softmax", "two_shapes", "both_above_one_half")),
    ("softmax: mean smaller share (two shapes)", ("softmax", "two_shapes", "mean_smaller_share")),
    ("multitask class accuracy", ("multitask", "class_accuracy")),
    ("multitask mean IoU", ("multitask", "mean_iou")),
)  # fmt: skip


def predict(name: str, images):
    if name == "multitask":
        return zoo.multitask_prediction(images)
    return {"sigmoid": zoo.sigmoid_probabilities, "softmax": zoo.softmax_probabilities}[name](
        images
    )


def lookup(metrics: dict, path: tuple[str, ...]) -> float:
    for key in path:
        metrics = metrics[key]
    return float(metrics)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=777_777, help="seed of the fresh test set")
    arguments = parser.parse_args()
    card = json.loads((MODELS_DIR / "model_card.json").read_text())
    count = card["metrics"]["test_images"]

    started = time.perf_counter()
    again = evaluation.evaluate(predict, card["seed"], count)
    fresh_training_seed = arguments.seed - evaluation.TEST_SEED_OFFSET
    fresh = evaluation.evaluate(predict, fresh_training_seed, count)
    seconds = time.perf_counter() - started

    print(
        f"| figure | card | shipped files, card's images | fresh images (seed {arguments.seed}) |"
    )
    print("|---|---:|---:|---:|")
    for title, path in FIGURES:
        print(
            f"| {title} | {lookup(card['metrics'], path):.3f} | {lookup(again, path):.3f} "
            f"| {lookup(fresh, path):.3f} |"
        )
    print(f"\n{2 * count:,} images of each kind scored in {seconds:.0f} s.")


if __name__ == "__main__":
    main()
