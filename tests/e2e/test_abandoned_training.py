"""A learner who closes the tab mid-training has their training stopped.

Two learners start long lesson-3 runs (four models each, a minute or more of training)
and close their tabs. The panel stops a run once the learner's browser has been gone for
ABANDONED_AFTER_SECONDS and says so in the server's log: both runs must be stopped well
before they would have ended on their own. A third learner then trains lesson 1 on the
freed trainers.
"""

import os
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, open_home_once, running_app, wait_for_app
from ui.training_panel import ABANDONED_AFTER_SECONDS

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

LONG_RUN = "parameter-sharing?images=3000&epochs=20"
FIRST_VISIT_MS = 180_000
LOG = ROOT / "test-artifacts" / "abandoned-training.log"
STOPPED = "the browser has been gone"
# The grace period, the once-a-second check and a batch or two of a busy machine.
STOPPED_WITHIN_SECONDS = ABANDONED_AFTER_SECONDS + 30


def wait_for_stopped_runs(count: int) -> int:
    deadline = time.monotonic() + STOPPED_WITHIN_SECONDS
    while True:
        stopped = LOG.read_text().count(STOPPED)
        if stopped >= count or time.monotonic() > deadline:
            return stopped
        time.sleep(0.5)


def start_training(browser, url: str, path: str, button: str):
    """A new learner opens `path` and presses its Train button; returns their context."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{url}/{path}")
    train = page.get_by_role("button", name=button)
    expect(train).to_be_visible(timeout=FIRST_VISIT_MS)
    wait_for_app(page)
    train.click()
    return context, page


def test_closing_the_tab_stops_the_training_and_frees_the_trainer(browser):
    learners = os.cpu_count() or 1
    with running_app(LOG.name) as (url, _):
        open_home_once(browser, url)
        for _ in range(learners):
            context, page = start_training(browser, url, LONG_RUN, "Train 4 models")
            expect(page.get_by_text("training: epoch", exact=False).first).to_be_visible(
                timeout=FIRST_VISIT_MS
            )
            context.close()  # the learner leaves mid-training
        assert wait_for_stopped_runs(learners) == learners

        context, page = start_training(browser, url, "softmax-vs-sigmoid", "Train 2 models")
        for name in ("softmax", "sigmoid"):
            expect(page.get_by_text(f"{name}: trained", exact=False)).to_be_visible(
                timeout=FIRST_VISIT_MS
            )
        context.close()
