"""When does sharing help? Train lesson 3's four models over training-set sizes and seeds.

Run from the repository root:  python -m benchmarks.sharing_sweep

For each training-set size and each of three seeds, trains the class-only model, the
box-only model, hard sharing and soft sharing on the same images, and scores them on
one held-out test set: class accuracy and mean box IoU. Then, at one size, trains soft
sharing over a range of strengths (lambda, from independent towers to nearly hard
sharing) and records how far apart the two towers end up, and trains hard sharing with
a range of box-loss weights, to show what the balance of the two losses does.

Every model trains for about the same number of weight updates whatever the size
(epochs = ceil(PRESENTATIONS / size)), so that a small training set is not also a short
training: the comparison is about how much data there is, not how long it was seen.

Writes models/sharing_sweep.json (every run, the summary, the command and the time it
took), which lesson 3 shows without retraining, and models/SHARING.md, the table for
the model card. On the two-core development machine the full run takes about ten minutes;
use --quick for a smoke run that writes nowhere unless --out is given.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shlex
import sys
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import keras
import numpy as np

from lessons import boxes as box_maths
from models import sharing

ROOT = Path(__file__).resolve().parents[1]
JSON_PATH = ROOT / "models" / "sharing_sweep.json"
MARKDOWN_PATH = ROOT / "models" / "SHARING.md"

SIZES = (300, 1000, 3000)
SEEDS = (0, 1, 2)
STRENGTHS = (0.0, 1e-4, 1e-3, 1e-2, 1e-1, 1.0)
BOX_WEIGHTS = (1.0, 10.0, 100.0)
CONTINUUM_SIZE = 1000
PRESENTATIONS = 9_000


@dataclass(frozen=True)
class Run:
    """One trained model and how it did on the test set."""

    variant: str
    size: int
    seed: int
    epochs: int
    class_weight: float
    box_weight: float
    penalty_strength: float | None
    parameters: int
    accuracy: float | None
    mean_iou: float | None
    relative_tower_distance: float | None
    train_seconds: float


def epochs_for(size: int, presentations: int = PRESENTATIONS) -> int:
    return max(1, math.ceil(presentations / size))


def train_and_score(variant, images, class_indices, boxes, test, *, seed, settings) -> Run:
    """Build a model with the seed, train it, score it on the test set."""
    keras.utils.set_random_seed(seed)
    model = sharing.build_variant(variant, **settings)
    epochs = epochs_for(len(images))
    started = time.monotonic()
    sharing.fit_variant(
        model,
        variant,
        images,
        class_indices,
        boxes,
        epochs=epochs,
        seed=seed,
    )
    train_seconds = time.monotonic() - started
    scores = sharing.evaluate_heads(model, *test)
    is_soft = variant == "soft_sharing"
    return Run(
        variant=variant,
        size=len(images),
        seed=seed,
        epochs=epochs,
        class_weight=settings["class_weight"],
        box_weight=settings["box_weight"],
        penalty_strength=settings["penalty_strength"] if is_soft else None,
        parameters=model.count_params(),
        accuracy=scores["accuracy"],
        mean_iou=scores["mean_iou"],
        relative_tower_distance=sharing.relative_tower_distance(model) if is_soft else None,
        train_seconds=round(train_seconds, 2),
    )


def mean_and_spread(values: Iterable[float | None]) -> dict | None:
    """Mean and sample standard deviation over seeds (None when the model has no such head)."""
    values = [value for value in values if value is not None]
    if not values:
        return None
    spread = float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
    return {"mean": float(np.mean(values)), "std": spread, "n": len(values)}


def summarise(runs: list[Run], key) -> list[dict]:
    """One row per group of runs that differ only in their seed."""
    groups: dict[tuple, list[Run]] = {}
    for run in runs:
        groups.setdefault(key(run), []).append(run)
    rows = []
    for group in groups.values():
        first = group[0]
        rows.append(
            {
                "variant": first.variant,
                "size": first.size,
                "epochs": first.epochs,
                "class_weight": first.class_weight,
                "box_weight": first.box_weight,
                "penalty_strength": first.penalty_strength,
                "parameters": first.parameters,
                "accuracy": mean_and_spread(run.accuracy for run in group),
                "mean_iou": mean_and_spread(run.mean_iou for run in group),
                "relative_tower_distance": mean_and_spread(
                    run.relative_tower_distance for run in group
                ),
                "train_seconds": mean_and_spread(run.train_seconds for run in group),
            }
        )
    return rows


def sweep(arguments) -> dict:
    started = time.monotonic()
    test = sharing.test_images()
    settings = {
        "class_weight": arguments.class_weight,
        "box_weight": arguments.box_weight,
        "penalty_strength": arguments.penalty_strength,
    }
    size_runs: list[Run] = []
    continuum_runs: list[Run] = []
    weight_runs: list[Run] = []
    baselines = []
    for seed in arguments.seeds:
        for size in arguments.sizes:
            subset = sharing.training_images(size, seed)
            baselines.append(
                {
                    "size": size,
                    "seed": seed,
                    "majority_class_accuracy": box_maths.majority_class_accuracy(
                        subset[1], test[1]
                    ),
                    "mean_box_iou": box_maths.mean_box_iou_baseline(subset[2], test[2]),
                }
            )
            for variant in arguments.variants:
                run = train_and_score(variant, *subset, test, seed=seed, settings=settings)
                size_runs.append(run)
                print(_describe(run), flush=True)
        if arguments.continuum_size:
            subset = sharing.training_images(arguments.continuum_size, seed)
            # Soft sharing over the strengths, hard sharing over the box weights.
            for variant, setting, values, runs in (
                ("soft_sharing", "penalty_strength", arguments.strengths, continuum_runs),
                ("hard_sharing", "box_weight", arguments.box_weights, weight_runs),
            ):
                for value in values:
                    reused = _same_run(
                        size_runs, variant, arguments.continuum_size, seed, setting, value
                    )
                    run = reused or train_and_score(
                        variant, *subset, test, seed=seed, settings={**settings, setting: value}
                    )
                    runs.append(run)
                    if not reused:
                        print(_describe(run), flush=True)
    return {
        "command": shlex.join(["python", "-m", "benchmarks.sharing_sweep", *sys.argv[1:]]),
        "run_seconds": round(time.monotonic() - started, 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores",
        "settings": {
            **settings,
            "sizes": list(arguments.sizes),
            "seeds": list(arguments.seeds),
            "presentations": PRESENTATIONS,
            "batch_size": sharing.BATCH_SIZE,
            "test_images": sharing.TEST_IMAGES,
            "continuum_size": arguments.continuum_size,
            "strengths": list(arguments.strengths),
            "box_weights": list(arguments.box_weights),
        },
        "baselines": _summarise_baselines(baselines),
        "by_size": summarise(size_runs, key=lambda run: (run.size, run.variant)),
        "continuum": summarise(continuum_runs, key=lambda run: run.penalty_strength),
        "box_weights": summarise(weight_runs, key=lambda run: run.box_weight),
        "runs": [asdict(run) for run in size_runs + continuum_runs + weight_runs],
    }


def _same_run(runs, variant, size, seed, setting: str, value) -> Run | None:
    """A run of the size sweep that a continuum run with `setting` = `value` would only
    repeat, if there is one (`setting` is a field of Run: penalty_strength, box_weight)."""
    for run in runs:
        if (run.variant, run.size, run.seed, getattr(run, setting)) == (variant, size, seed, value):
            return run
    return None


def _summarise_baselines(baselines: list[dict]) -> list[dict]:
    rows = []
    for size in dict.fromkeys(row["size"] for row in baselines):
        group = [row for row in baselines if row["size"] == size]
        rows.append(
            {
                "size": size,
                "majority_class_accuracy": mean_and_spread(
                    row["majority_class_accuracy"] for row in group
                ),
                "mean_box_iou": mean_and_spread(row["mean_box_iou"] for row in group),
            }
        )
    return rows


def _describe(run: Run) -> str:
    parts = [f"{run.variant:>13} size {run.size:>5} seed {run.seed}"]
    if run.penalty_strength is not None:
        parts.append(f"lambda {run.penalty_strength:g}")
    if run.accuracy is not None:
        parts.append(f"accuracy {run.accuracy:.3f}")
    if run.mean_iou is not None:
        parts.append(f"IoU {run.mean_iou:.3f}")
    if run.relative_tower_distance is not None:
        parts.append(f"tower distance {run.relative_tower_distance:.3f}")
    parts.append(f"{run.train_seconds:.1f} s")
    return ", ".join(parts)


def _cell(summary: dict | None, digits: int = 3) -> str:
    if summary is None:
        return "–"
    return f"{summary['mean']:.{digits}f} ± {summary['std']:.{digits}f}"


def markdown_report(results: dict) -> str:
    """The model card's section: the tables, what they say, and how to make them again."""
    settings = results["settings"]
    lines = [
        "# Lesson 3: when does sharing help? (measured)",
        "",
        "Written by `benchmarks/sharing_sweep.py`; do not edit by hand. Made with:",
        "",
        f"    {results['command']}",
        "",
        f"It took {results['run_seconds'] / 60:.1f} minutes on {results['machine']}. "
        f"Each cell is the mean ± standard deviation over seeds {settings['seeds']} (each "
        f"seed: its own training images and initial weights), scored on "
        f"{settings['test_images']} held-out images. Every model trains for about "
        f"{settings['presentations']:,} image presentations (epochs = ceil("
        f"{settings['presentations']:,} / size), batch {settings['batch_size']}). "
        f"Loss weights: class {settings['class_weight']:g}, box {settings['box_weight']:g}; "
        f"soft-sharing strength lambda = {settings['penalty_strength']:g}.",
        "",
        "## Class accuracy and box IoU by training-set size",
        "",
        "| training images | epochs | model | parameters | class accuracy | mean box IoU "
        "| training time (s) |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in results["by_size"]:
        lines.append(
            f"| {row['size']} | {row['epochs']} | {sharing.VARIANT_TITLES[row['variant']]} | "
            f"{row['parameters']:,} | {_cell(row['accuracy'])} | {_cell(row['mean_iou'])} | "
            f"{_cell(row['train_seconds'], 1)} |"
        )
    lines += [
        "",
        "Models that learned nothing score: ",
        "",
        "| training images | always the majority class: accuracy | always the mean box: IoU |",
        "|---|---|---|",
    ]
    for row in results["baselines"]:
        lines.append(
            f"| {row['size']} | {_cell(row['majority_class_accuracy'])} | "
            f"{_cell(row['mean_box_iou'])} |"
        )
    if results["continuum"]:
        lines += [
            "",
            f"## Soft sharing from independent towers to nearly one ({settings['continuum_size']}"
            " training images)",
            "",
            "Tower distance is the squared distance between the two towers' weights divided "
            "by the sum of their squared sizes: about 1 for unrelated towers, 0 for equal ones.",
            "",
            "| lambda | class accuracy | mean box IoU | tower distance |",
            "|---|---|---|---|",
        ]
        for row in results["continuum"]:
            lines.append(
                f"| {row['penalty_strength']:g} | {_cell(row['accuracy'])} | "
                f"{_cell(row['mean_iou'])} | {_cell(row['relative_tower_distance'])} |"
            )
    if results.get("box_weights"):
        lines += [
            "",
            f"## Hard sharing with other box-loss weights ({settings['continuum_size']}"
            f" training images, class weight {settings['class_weight']:g})",
            "",
            "| box weight | class accuracy | mean box IoU |",
            "|---|---|---|",
        ]
        for row in results["box_weights"]:
            lines.append(
                f"| {row['box_weight']:g} | {_cell(row['accuracy'])} | {_cell(row['mean_iou'])} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    parser.add_argument("--variants", nargs="+", default=list(sharing.VARIANTS))
    parser.add_argument("--strengths", type=float, nargs="+", default=list(STRENGTHS))
    parser.add_argument("--box-weights", type=float, nargs="+", default=list(BOX_WEIGHTS))
    parser.add_argument("--continuum-size", type=int, default=CONTINUUM_SIZE)
    parser.add_argument("--class-weight", type=float, default=sharing.DEFAULT_CLASS_WEIGHT)
    parser.add_argument("--box-weight", type=float, default=sharing.DEFAULT_BOX_WEIGHT)
    parser.add_argument("--penalty-strength", type=float, default=sharing.DEFAULT_PENALTY_STRENGTH)
    parser.add_argument(
        "--out", type=Path, help="write the JSON here (default: models/sharing_sweep.json)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="one seed, small sizes, no continuum; a smoke run"
    )
    arguments = parser.parse_args()
    if arguments.quick:
        arguments.sizes, arguments.seeds, arguments.continuum_size = [200], [0], 0
    results = sweep(arguments)
    json_path = arguments.out or (None if arguments.quick else JSON_PATH)
    if json_path is None:
        print(markdown_report(results))
        return
    json_path.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    if json_path == JSON_PATH:
        MARKDOWN_PATH.write_text(markdown_report(results), encoding="utf-8")
    print(f"Wrote {json_path} in {results['run_seconds']:.0f} s.")


if __name__ == "__main__":
    main()
