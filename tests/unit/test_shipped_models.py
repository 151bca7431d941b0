"""The shipped models: they load in safe mode, meet their card on fresh images, and
`python -m models.predict` prints one JSON line per file.

The card's figures come from a test set drawn with the training seed + 5000; here the
models are scored on another seed that neither training nor the card used, so these
tests check that the card's figures hold on fresh data, within a stated tolerance.
"""

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lessons.shapes import CLASS_NAMES, make_multilabel_images
from models import evaluation

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "models"
CARD = json.loads((MODELS / "model_card.json").read_text())
FRESH_SEED = 777_777
FRESH_IMAGES = 1000
# 1,000 images hold ~1,800 shapes: a score's sampling error is about one point of F1.
TOLERANCE = 0.02


@pytest.fixture(scope="module")
def zoo():
    from models import zoo

    return zoo


@pytest.fixture(scope="module")
def fresh_scores(zoo):
    def predict(name, images):
        if name == "multitask":
            return zoo.multitask_prediction(images)
        return {"sigmoid": zoo.sigmoid_probabilities, "softmax": zoo.softmax_probabilities}[name](
            images
        )

    return evaluation.evaluate(predict, FRESH_SEED - evaluation.TEST_SEED_OFFSET, FRESH_IMAGES)


def test_the_shipped_files_are_small_and_hold_no_lambda_layer():
    total = 0
    for name in ("sigmoid", "softmax", "multitask"):
        path = MODELS / f"{name}.keras"
        total += path.stat().st_size
        with zipfile.ZipFile(path) as archive:
            config = archive.read("config.json").decode()
        assert '"Lambda"' not in config
    assert total < 5_000_000


def test_every_model_loads_in_safe_mode(zoo):
    for name in zoo.MODEL_NAMES:
        model = zoo.load_model(name)
        assert model is zoo.load_model(name), "a model is loaded once per process"


def test_the_card_meets_the_targets():
    metrics = CARD["metrics"]
    assert metrics["sigmoid"]["micro_f1"] >= 0.95
    assert metrics["multitask"]["class_accuracy"] >= 0.95
    assert metrics["multitask"]["mean_iou"] >= 0.75


def test_fresh_images_score_as_the_card_says(fresh_scores):
    card = CARD["metrics"]
    for figure in ("micro_f1", "macro_f1"):
        assert fresh_scores["sigmoid"][figure] == pytest.approx(
            card["sigmoid"][figure], abs=TOLERANCE
        )
    for figure in ("class_accuracy", "mean_iou"):
        assert fresh_scores["multitask"][figure] == pytest.approx(
            card["multitask"][figure], abs=TOLERANCE
        )


def test_the_softmax_splits_two_shapes_where_the_sigmoid_says_both(fresh_scores):
    spread = fresh_scores["softmax"]["two_shapes"]
    # One unit of probability over two true classes: both can never pass 0.5 together.
    assert spread["both_above_one_half"] == 0.0
    assert spread["mean_smaller_share"] < 0.5


def test_one_image_and_a_batch_give_the_same_probabilities(zoo):
    images, _ = make_multilabel_images(3, seed=FRESH_SEED)
    batch = zoo.sigmoid_probabilities(images)
    one = zoo.sigmoid_probabilities(images[1])
    assert batch.shape == (3, len(CLASS_NAMES))
    np.testing.assert_allclose(one[0], batch[1], atol=1e-5)
    np.testing.assert_allclose(zoo.softmax_probabilities(images).sum(axis=1), 1.0, atol=1e-5)
    classes, boxes = zoo.multitask_prediction(images)
    assert classes.shape == (3, len(CLASS_NAMES)) and boxes.shape == (3, 4)


def test_a_wrong_shape_is_refused(zoo):
    with pytest.raises(ValueError, match="shape"):
        zoo.sigmoid_probabilities(np.zeros((32, 32, 3)))


def run_predict(*files) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "models.predict", *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_predict_prints_json_lines_and_fails_for_a_bad_file(tmp_path):
    picture = tmp_path / "shapes.png"
    images, _ = make_multilabel_images(1, seed=FRESH_SEED)
    Image.fromarray((images[0] * 255).astype(np.uint8)).save(picture)
    not_a_picture = tmp_path / "notes.png"
    not_a_picture.write_text("these are my notes, not a picture")
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="JPEG")
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(buffer.getvalue())

    result = run_predict(picture, not_a_picture, photo, tmp_path / "missing.png")

    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == [
        str(picture),
        str(not_a_picture),
        str(photo),
        str(tmp_path / "missing.png"),
    ]
    good = lines[0]
    assert set(good["sigmoid"]) == set(CLASS_NAMES) == set(good["softmax"])
    assert sum(good["softmax"].values()) == pytest.approx(1.0, abs=1e-3)
    assert good["multitask"]["class"] in CLASS_NAMES
    assert len(good["multitask"]["box"]) == 4
    assert "error" in lines[1] and "sigmoid" not in lines[1]
    assert "error" not in lines[2]
    assert "could not be opened" in lines[3]["error"]


def test_predict_with_only_good_files_exits_zero(tmp_path):
    picture = tmp_path / "blank.png"
    Image.new("RGB", (64, 64), "white").save(picture)
    result = run_predict(picture)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["file"] == str(picture)


def test_predict_without_files_explains_itself():
    result = run_predict()
    assert result.returncode == 2
    assert "at least one image" in result.stderr


def test_the_model_card_is_what_its_figures_make():
    """models/README.md is written from model_card.json; nobody edits one without the other."""
    from models import model_card

    assert (MODELS / "README.md").read_text() == model_card.markdown(CARD)
