"""Predict shapes in image files from the command line, with the app's own input pipeline.

    python -m models.predict picture.png photo.jpg ...

Prints one JSON object per line and file: the file name, the sigmoid model's probability
of each label, the softmax model's probabilities, and the multitask model's class and box.
A file that cannot be read gets a line with an "error" field holding the same message
the app shows a learner; the exit code is 1 when any file failed, 2 when none was given.
"""

import argparse
import json
import sys
from pathlib import Path

from lessons.image_input import ImageInputError, read_image
from lessons.shapes import CLASS_NAMES


def rounded(values) -> dict[str, float]:
    return {name: round(float(value), 4) for name, value in zip(CLASS_NAMES, values, strict=True)}


def predict_file(path: Path, zoo) -> dict:
    """One JSON-ready result for one file, or its error."""
    try:
        prepared = read_image(path.read_bytes())
    except OSError as error:
        return {"file": str(path), "error": f"The file could not be opened: {error.strerror}."}
    except ImageInputError as error:
        return {"file": str(path), "error": str(error)}
    class_probabilities, boxes = zoo.multitask_prediction(prepared.model_input)
    best = int(class_probabilities[0].argmax())
    return {
        "file": str(path),
        "sigmoid": rounded(zoo.sigmoid_probabilities(prepared.model_input)[0]),
        "softmax": rounded(zoo.softmax_probabilities(prepared.model_input)[0]),
        "multitask": {
            "class": CLASS_NAMES[best],
            "probability": round(float(class_probabilities[0, best]), 4),
            "box": [round(float(value), 4) for value in boxes[0]],
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="image files to predict")
    arguments = parser.parse_args(argv)
    if not arguments.files:
        parser.print_usage(sys.stderr)
        print("Give at least one image file.", file=sys.stderr)
        return 2
    from models import zoo  # TensorFlow loads here, after the arguments are known to be fine

    failed = False
    for path in arguments.files:
        result = predict_file(path, zoo)
        failed = failed or "error" in result
        print(json.dumps(result), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
