"""Try your own image in a real browser: uploads through the file chooser, and the canvas."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import save_screenshot, wait_for_app

pytestmark = pytest.mark.e2e


def rotated_jpeg(path) -> None:
    """A wide picture stored with EXIF orientation 6: upright, it is tall."""
    picture = Image.new("RGB", (120, 60), (235, 235, 235))
    picture.paste((200, 30, 30), (10, 10, 50, 50))
    exif = Image.Exif()
    exif[0x0112] = 6
    picture.save(path, format="JPEG", exif=exif)


def test_uploads_through_the_file_chooser(page, app_url, tmp_path):
    good = tmp_path / "square.png"
    Image.new("RGB", (90, 90), (250, 250, 250)).save(good)
    with Image.open(good) as picture:
        picture.paste((20, 60, 160), (20, 20, 70, 70))
        picture.save(good)
    rotated = tmp_path / "phone-photo.jpg"
    rotated_jpeg(rotated)
    corrupt = tmp_path / "corrupt.png"
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50), "white").save(buffer, format="PNG")
    corrupt.write_bytes(buffer.getvalue()[:70])

    page.goto(app_url)
    wait_for_app(page)
    page.get_by_test_id("stSidebarNav").get_by_text("Try your own image").click()
    wait_for_app(page)
    expect(page.get_by_text("Sigmoid", exact=False).first).to_be_visible()

    with page.expect_file_chooser() as chooser:
        page.get_by_test_id("stFileUploaderDropzone").get_by_test_id(
            "stBaseButton-secondary"
        ).click()
    chooser.value.set_files([str(good), str(rotated), str(corrupt)])
    wait_for_app(page)
    expect(page.get_by_text("square.png").first).to_be_visible()
    expect(page.get_by_text("as uploaded: 60 x 120 JPEG")).to_be_visible()
    expect(page.get_by_test_id("stAlertContentError")).to_contain_text("damaged")
    # The sample chosen by default plus the two good uploads.
    expect(page.get_by_text("Sigmoid**", exact=False)).to_have_count(0)
    expect(page.get_by_text("read as one answer")).to_have_count(3)
    save_screenshot(page, "your-image-uploads")


def test_drawing_on_the_canvas_gets_a_prediction(page, app_url):
    page.goto(f"{app_url}/your-image")
    wait_for_app(page)
    page.get_by_role("tab", name="Draw").click()
    canvas = page.locator("canvas").last
    expect(canvas).to_be_visible()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 60, box["y"] + 60)
    page.mouse.down()
    for x, y in [(200, 60), (200, 200), (60, 200), (60, 60)]:
        page.mouse.move(box["x"] + x, box["y"] + y, steps=8)
    page.mouse.up()
    wait_for_app(page)
    expect(page.get_by_text("your drawing")).to_be_visible()
    save_screenshot(page, "your-image-canvas")


def test_a_camera_photo_gets_a_prediction(browser, app_url):
    # Chromium's synthetic camera stands in for a webcam (see CHROMIUM_FLAGS).
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.grant_permissions(["camera"], origin=app_url)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{app_url}/your-image")
        wait_for_app(page)
        page.get_by_role("tab", name="Camera").click()
        page.get_by_role("button", name="Take Photo").click()
        wait_for_app(page)
        expect(page.get_by_text("camera photo")).to_be_visible()
        # The default sample and the photo both get the three models' answers.
        expect(page.get_by_text("read as one answer")).to_have_count(2)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        save_screenshot(page, "your-image-camera")
    finally:
        context.close()
