"""Try your own image: uploads, samples and bad files, through the real models."""

import io

import numpy as np
import pytest
from PIL import Image

PAGE = "pages/your_image.py"
TIMEOUT = 180


def png_bytes(colour=(240, 240, 240), size=(80, 60)) -> bytes:
    picture = Image.new("RGB", size, colour)
    picture.paste((20, 20, 90), (20, 15, 50, 45))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    rng = np.random.default_rng(0)
    pixels = (rng.random((120, 90, 3)) * 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG")
    return buffer.getvalue()


def prediction_lines(app) -> list[str]:
    return [block.value for block in app.markdown if block.value.startswith("- **Sigmoid**")]


@pytest.fixture
def page_without_samples(open_page):
    app = open_page(PAGE, timeout=TIMEOUT)
    app.multiselect(key="your_image_samples").set_value([]).run()
    assert not app.exception
    return app


def test_the_default_sample_gets_predictions(open_page):
    app = open_page(PAGE, timeout=TIMEOUT)
    assert len(prediction_lines(app)) == 1
    assert not app.error


def test_good_png_and_jpeg_uploads_get_predictions(page_without_samples):
    app = page_without_samples
    app.file_uploader(key="your_image_uploads").set_value(
        [("square.png", png_bytes(), "image/png"), ("noise.jpg", jpeg_bytes(), "image/jpeg")]
    ).run()
    assert not app.exception
    assert len(prediction_lines(app)) == 2
    assert not app.error


def test_bad_files_get_a_message_while_a_good_file_still_gets_predictions(page_without_samples):
    app = page_without_samples
    app.file_uploader(key="your_image_uploads").set_value(
        [
            ("broken.png", png_bytes()[:60], "image/png"),
            ("notes.txt", b"just some words, not a picture", "text/plain"),
            ("good.png", png_bytes(), "image/png"),
        ]
    ).run()
    assert not app.exception
    messages = [error.value for error in app.error]
    assert len(messages) == 2
    assert any("damaged" in message.lower() for message in messages)
    assert any("not an image" in message.lower() for message in messages)
    assert len(prediction_lines(app)) == 1


def test_a_file_name_cannot_inject_markdown(page_without_samples):
    app = page_without_samples
    app.file_uploader(key="your_image_uploads").set_value(
        [("**bold** [link](http://x).png", png_bytes(), "image/png")]
    ).run()
    names = [block.value for block in app.markdown if "bold" in block.value]
    assert names and all("\\*\\*bold\\*\\*" in name for name in names)


def test_the_threshold_changes_what_the_sigmoid_model_says(open_page):
    app = open_page(PAGE, timeout=TIMEOUT)
    app.multiselect(key="your_image_samples").set_value(["three shapes square hexagon cross"])
    app.slider(key="your_image_threshold").set_value(0.05).run()
    low = prediction_lines(app)[0]
    app.slider(key="your_image_threshold").set_value(0.95).run()
    high = prediction_lines(app)[0]
    assert low != high


def test_every_sample_can_be_shown_at_once(open_page):
    app = open_page(PAGE, timeout=TIMEOUT)
    options = app.multiselect(key="your_image_samples").options
    app.multiselect(key="your_image_samples").set_value(options).run()
    assert not app.exception
    assert len(prediction_lines(app)) == len(options)
