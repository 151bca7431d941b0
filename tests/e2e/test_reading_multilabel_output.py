"""Lesson 2 in a real browser: the page draws its charts, and the threshold moves by keyboard."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import save_screenshot, wait_for_app

pytestmark = pytest.mark.e2e

# The first visit loads TensorFlow and the shipped models' predictions.
FIRST_VISIT_MS = 180_000


def test_lesson_two_draws_its_charts_and_the_threshold_moves_the_scores(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_test_id("stSidebarNav").get_by_text("Reading multilabel output").click()
    expect(page.get_by_text("micro F1").first).to_be_visible(timeout=FIRST_VISIT_MS)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="2. Reading multilabel output")).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)

    # The gallery (12 bar charts), the curves, the sweep, the comparison, balance charts.
    charts = page.get_by_test_id("stPlotlyChart")
    expect(charts.nth(16)).to_be_attached()
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    expect(page.get_by_test_id("stImage").first).to_be_visible()

    micro_f1 = page.get_by_test_id("stMetric").filter(has_text="micro F1")
    before = micro_f1.get_by_test_id("stMetricValue").inner_text()
    # Move the global threshold with the keyboard, as a learner without a mouse would.
    threshold = page.get_by_role("slider", name="Global threshold")
    threshold.focus()
    # A key press that lands while the page reruns can be lost: steer by what the slider
    # says rather than by counting presses.
    for _ in range(60):
        value = float(threshold.input_value())
        if abs(value - 0.2) < 1e-9:
            break
        threshold.press("ArrowLeft" if value > 0.2 else "ArrowRight")
        page.wait_for_timeout(100)
    wait_for_app(page)
    expect(threshold).to_have_value("0.2")
    expect(micro_f1.get_by_test_id("stMetricValue")).not_to_have_text(before)
    assert "threshold=0.2" in page.url

    save_screenshot(page, "lesson-2-reading-multilabel-output")
