"""The sample images a learner can pick on the "Try your own image" page.

They are shipped in `samples/` so the page works without an upload, and they are
made by this module from a fixed seed (`python -m lessons.sample_images`), so
anyone can check where they came from. Two kinds:

- shapes-world scenes with no shape and with one, two and three shapes, cut from the
  generator's output: exactly the kind of picture the models were trained on;
- hand-drawn-looking pictures: dark wobbly strokes on paper, larger than the
  models' input, unlike anything in training. They show how the models cope
  with a picture from outside their world.
"""

import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from lessons.shapes import CLASS_NAMES, make_multilabel_images

SAMPLES_FOLDER = Path(__file__).resolve().parent.parent / "samples"
SEED = 2024
HAND_DRAWN_SIZE = 256


def sample_files() -> list[Path]:
    """The shipped sample images, in a stable order."""
    return sorted(SAMPLES_FOLDER.glob("*.png"))


def sample_title(path: Path) -> str:
    """A readable title from a file name such as `two-shapes-star-cross.png`."""
    return path.stem.replace("-", " ")


def shapes_world_samples(seed: int = SEED) -> dict[str, np.ndarray]:
    """Scenes with 0, 1, 2 and 3 shapes from the generator, named after what they hold."""
    images, labels = make_multilabel_images(200, seed)
    wanted = {0: "no-shape", 1: "one-shape", 2: "two-shapes", 3: "three-shapes"}
    picked: dict[str, np.ndarray] = {}
    for image, label in zip(images, labels, strict=True):
        count = int(label.sum())
        if count in wanted and not any(name.startswith(wanted[count]) for name in picked):
            present = [CLASS_NAMES[index] for index in np.flatnonzero(label)]
            name = "-".join([wanted[count], *present])
            picked[name] = image
    return picked


def _wobbly_outline(corners: np.ndarray, rng: np.random.Generator, wobble: float) -> list:
    """Points along a closed outline, nudged at random like a hand's stroke."""
    points = []
    closed = np.vstack([corners, corners[:1]])
    for start, end in zip(closed[:-1], closed[1:], strict=True):
        for step in np.linspace(0, 1, 12, endpoint=False):
            point = start + (end - start) * step + rng.normal(scale=wobble, size=2)
            points.append(tuple(point))
    points.append(points[0])
    return points


def _regular(centre, radius, corner_count, first_angle=-math.pi / 2) -> np.ndarray:
    angles = first_angle + 2 * math.pi * np.arange(corner_count) / corner_count
    return np.stack([centre[0] + radius * np.cos(angles), centre[1] + radius * np.sin(angles)], 1)


def hand_drawn_samples(seed: int = SEED) -> dict[str, Image.Image]:
    """Pictures that look drawn with a marker: a circle, a triangle, and both together."""
    rng = np.random.default_rng(seed)
    scenes = {
        "hand-drawn-circle": [("circle", (128, 128), 80)],
        "hand-drawn-triangle": [("triangle", (128, 140), 90)],
        "hand-drawn-square-and-circle": [("square", (80, 90), 50), ("circle", (180, 170), 50)],
    }
    pictures = {}
    for name, shapes in scenes.items():
        paper = Image.new("RGB", (HAND_DRAWN_SIZE, HAND_DRAWN_SIZE), (246, 243, 232))
        pen = ImageDraw.Draw(paper)
        for kind, centre, radius in shapes:
            corners = {
                "circle": _regular(centre, radius, 40),
                "triangle": _regular(centre, radius, 3),
                "square": _regular(centre, radius * math.sqrt(2), 4, math.pi / 4),
            }[kind]
            wobble = 1.5 if kind == "circle" else 2.5
            pen.line(_wobbly_outline(corners, rng, wobble), fill=(30, 30, 60), width=7)
        pictures[name] = paper.filter(ImageFilter.GaussianBlur(0.8))
    return pictures


def write_samples(folder: Path = SAMPLES_FOLDER, seed: int = SEED) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, image in shapes_world_samples(seed).items():
        pixels = (np.clip(image, 0, 1) * 255).round().astype(np.uint8)
        path = folder / f"{name}.png"
        Image.fromarray(pixels).save(path, optimize=True)
        written.append(path)
    for name, picture in hand_drawn_samples(seed).items():
        path = folder / f"{name}.png"
        picture.save(path, optimize=True)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_samples():
        print(path.relative_to(SAMPLES_FOLDER.parent))
