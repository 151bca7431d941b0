"""How long the upload pipeline takes to prepare a 12-megapixel phone-sized JPEG.

Run from the repository root:  python -m benchmarks.image_input_speed [--runs 7]

Prints a markdown table: the median time of `read_image` on a 4000 x 3000 JPEG (it
decodes at reduced scale with `Image.draft`), and for comparison, in the same process,
the median time to decode the same JPEG at full size without draft (decode only, no
resizing), with the ratio between the two.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

import numpy as np
from PIL import Image

from lessons.image_input import read_image

PHOTO_SIZE = (4000, 3000)


def make_photo_jpeg(seed: int = 0) -> bytes:
    """A 12 MP JPEG with smooth colour and fine texture, sized like a phone photo's file."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, size=(150, 200, 3), dtype=np.uint8)
    photo = Image.fromarray(small).resize(PHOTO_SIZE, Image.Resampling.BICUBIC)
    grain = rng.integers(-12, 13, size=(PHOTO_SIZE[1], PHOTO_SIZE[0], 1), dtype=np.int16)
    pixels = np.clip(np.asarray(photo, dtype=np.int16) + grain, 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def decode_without_draft(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        image.load()


def median_seconds(action, data: bytes, runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action(data)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each")
    arguments = parser.parse_args()

    data = make_photo_jpeg()
    read_image(data)  # warm-up: imports and first-call costs stay out of the timing
    prepared = median_seconds(read_image, data, arguments.runs)
    full_decode = median_seconds(decode_without_draft, data, arguments.runs)

    print(
        f"12 MP JPEG: {PHOTO_SIZE[0]} x {PHOTO_SIZE[1]}, {len(data) / 2**20:.1f} MB, "
        f"median of {arguments.runs} runs\n"
    )
    print("| step | median (ms) |")
    print("|---|---|")
    print(f"| read_image (draft decode, orient, shrink, pad) | {prepared * 1000:.0f} |")
    print(f"| full-size decode only, no draft | {full_decode * 1000:.0f} |")
    print(f"| ratio full decode / read_image | {full_decode / prepared:.1f}x |")


if __name__ == "__main__":
    main()
