"""How fast the shapes world generator makes images, on one core.

Run from the repository root:  python -m benchmarks.shapes_speed [--count 5000]

Prints a markdown table with images per second for the multilabel and the single-object
mode. The generator is numpy and PIL on a single thread; CPU time is reported next to
wall-clock time because on a busy machine the wall clock also counts time spent waiting
for the core. Each mode runs once beforehand so that the cached shape stencils are built
(that warm-up, which happens once per process, is reported too).
"""

from __future__ import annotations

import argparse
import time

from lessons import shapes

MODES = {
    "multilabel": shapes.make_multilabel_images,
    "single object": shapes.make_single_object_images,
}


def time_generator(make_images, count: int, seed: int) -> tuple[float, float]:
    """Wall-clock and CPU seconds to make `count` images."""
    wall_start, cpu_start = time.perf_counter(), time.process_time()
    make_images(count, seed)
    return time.perf_counter() - wall_start, time.process_time() - cpu_start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5000, help="images per timed run")
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()

    print("| mode | images | first run (s) | wall (s) | images/s (wall) | images/s (CPU) |")
    print("|---|---|---|---|---|---|")
    for name, make_images in MODES.items():
        first_wall, _ = time_generator(make_images, arguments.count, arguments.seed)
        wall, cpu = time_generator(make_images, arguments.count, arguments.seed + 1)
        print(
            f"| {name} | {arguments.count} | {first_wall:.2f} | {wall:.2f} "
            f"| {arguments.count / wall:,.0f} | {arguments.count / cpu:,.0f} |"
        )


if __name__ == "__main__":
    main()
