"""Server time from an uploaded 12-megapixel JPEG to the three models' answers.

Run from the repository root:  python -m benchmarks.upload_to_prediction [--runs 10]

What "Try your own image" does with an upload once the models are loaded (warm): the
bytes go through `lessons.image_input.read_image` (decode at reduced scale, orient,
shrink, pad) and the 64 x 64 result through the sigmoid, softmax and multitask models
with `model(x, training=False)`, then the sigmoid output is parsed at 0.5. Prints the
median of each step and of the whole (target: under 300 ms), and, as the baseline run in
the same process, a full-size decode of the same file, which any pipeline that did not
decode at reduced scale would pay before even resizing.
"""

import argparse
import statistics
import time

from benchmarks.image_input_speed import decode_without_draft, make_photo_jpeg
from lessons.image_input import read_image
from lessons.parsing import parse_with_threshold
from models import zoo


def timed(action) -> tuple[object, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def one_prediction(data: bytes) -> dict[str, float]:
    """Seconds per step for one upload, as the page runs them."""
    seconds = {}
    prepared, seconds["read_image"] = timed(lambda: read_image(data))
    batch = prepared.model_input
    sigmoid, seconds["sigmoid model"] = timed(lambda: zoo.sigmoid_probabilities(batch))
    _, seconds["softmax model"] = timed(lambda: zoo.softmax_probabilities(batch))
    _, seconds["multitask model"] = timed(lambda: zoo.multitask_prediction(batch))
    _, seconds["parse at 0.5"] = timed(lambda: parse_with_threshold(sigmoid, 0.5))
    seconds["total"] = sum(seconds.values())
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="timed uploads")
    arguments = parser.parse_args()

    data = make_photo_jpeg()
    for name in zoo.MODEL_NAMES:
        zoo.load_model(name)
    one_prediction(data)  # warm-up: the first call of each model traces it
    runs = [one_prediction(data) for _ in range(arguments.runs)]
    baseline = []
    for _ in range(arguments.runs):
        _, seconds = timed(lambda: decode_without_draft(data))
        baseline.append(seconds)

    print(f"12 MP JPEG ({len(data) / 2**20:.1f} MB), models warm, median of {arguments.runs}\n")
    print("| step | median (ms) |")
    print("|---|---|")
    for step in runs[0]:
        median = statistics.median(run[step] for run in runs)
        print(f"| {step} | {median * 1000:.0f} |")
    total = statistics.median(run["total"] for run in runs)
    full_decode = statistics.median(baseline)
    print(f"| baseline: full-size decode only | {full_decode * 1000:.0f} |")
    print(f"\nupload to prediction: {total * 1000:.0f} ms (target < 300 ms);")
    print(f"ratio to a full-size decode alone: {total / full_decode:.2f}")


if __name__ == "__main__":
    main()
