"""Every page in a real browser: open it from the navigation, use its main control, screenshot."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS, save_screenshot, wait_for_app

pytestmark = pytest.mark.e2e


def test_home_page_shows_the_path_and_starts_lesson_one(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    expect(page.get_by_text("The path")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).to_contain_text("Softmax vs sigmoid")
    save_screenshot(page, "home")
    page.get_by_role("button", name="Start lesson 1").click()
    expect(page.get_by_role("heading", name="1. Softmax vs sigmoid")).to_be_visible()


def test_lesson_one_slider_and_quiz_work_in_the_browser(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_test_id("stSidebarNav").get_by_text("Softmax vs sigmoid").click()
    wait_for_app(page)
    expect(page.get_by_text("Softmax outputs add up to")).to_be_visible()
    page.get_by_text("Play with the logits").scroll_into_view_if_needed()
    # The README's picture of the lesson: the first screen a learner sees of the explorer.
    page.screenshot(path=str(SCREENSHOTS / "readme-lesson-1.png"))
    sigmoid_sum = page.get_by_test_id("stMetric").filter(has_text="Sigmoid outputs add up to")
    before = sigmoid_sum.get_by_test_id("stMetricValue").inner_text()

    # Move the dog's logit with the keyboard, as a learner without a mouse would.
    dog = page.get_by_role("slider", name="logit of dog")
    dog.focus()
    for _ in range(20):
        dog.press("ArrowRight")
    wait_for_app(page)
    expect(sigmoid_sum.get_by_test_id("stMetricValue")).not_to_have_text(before)

    page.get_by_role("button", name="two objects").click()
    wait_for_app(page)
    expect(page.get_by_role("slider", name="logit of dog")).to_have_attribute(
        "aria-valuetext", "3.00"
    )

    question = page.get_by_test_id("stForm").filter(has_text="Question 1.")
    question.get_by_text("They both go down").click()
    question.get_by_role("button", name="Check").click()
    wait_for_app(page)
    expect(page.get_by_text("Right!")).to_be_visible()
    save_screenshot(page, "lesson-1-softmax-vs-sigmoid")


def test_lesson_one_trains_both_models_live_in_the_browser(page, app_url):
    # A short run from a shared link, as a teacher would send it.
    page.goto(f"{app_url}/softmax-vs-sigmoid?epochs=20")
    wait_for_app(page)
    train = page.get_by_role("button", name="Train 2 models")
    train.scroll_into_view_if_needed()
    train.click()
    # The progress bar and the growing chart appear while it trains...
    expect(page.get_by_test_id("stProgress").first).to_be_visible()
    expect(page.get_by_test_id("stPlotlyChart").filter(has_text="epoch").first).to_be_visible()
    # ... and both models end trained, with their maps, scores and downloads.
    for name in ("softmax", "sigmoid"):
        expect(page.get_by_text(f"{name}: trained", exact=False)).to_be_visible(timeout=120_000)
    wait_for_app(page)
    page.get_by_text("Take the sigmoid model home").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download sigmoid_model.keras").click()
    saved = download.value.path()
    assert download.value.suggested_filename == "sigmoid_model.keras"
    assert Path(saved).read_bytes()[:2] == b"PK"  # a .keras file is a zip archive
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert "epochs=20" in page.url
    save_screenshot(page, "lesson-1-live-training")
