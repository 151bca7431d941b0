"""Lesson 3 in a real browser: train all four models with a tiny budget and see the results."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import save_screenshot, wait_for_app

pytestmark = pytest.mark.e2e

# The first visit loads TensorFlow and builds the four models to count their weights;
# training four models on a busy two-core machine takes a while too.
FIRST_VISIT_MS = 180_000
TRAINING_MS = 240_000


def test_lesson_three_trains_all_four_models_and_fills_the_results(page, app_url):
    # A tiny budget from the link, as a teacher would share it.
    page.goto(f"{app_url}/parameter-sharing?images=200&epochs=2")
    expect(page.get_by_role("heading", name="3. Hard vs soft sharing")).to_be_visible(
        timeout=FIRST_VISIT_MS
    )
    expect(page.get_by_text("Nothing trained yet")).to_be_visible(timeout=FIRST_VISIT_MS)
    wait_for_app(page)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_test_id("stGraphVizChart")).to_have_count(4)
    expect(page.get_by_role("slider", name="Training images")).to_have_attribute(
        "aria-valuetext", "200"
    )

    page.get_by_role("button", name="Train 4 models").click()
    expect(page.get_by_text("soft sharing: trained", exact=False)).to_be_visible(
        timeout=TRAINING_MS
    )
    expect(page.get_by_role("heading", name="Results on held-out images")).to_be_visible(
        timeout=FIRST_VISIT_MS
    )
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Boxes on test images")).to_be_visible()
    for title in ("class only", "box only", "hard sharing", "soft sharing"):
        expect(page.get_by_text(f"{title}: trained", exact=False)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert "images=200" in page.url

    save_screenshot(page, "lesson-3-parameter-sharing")
