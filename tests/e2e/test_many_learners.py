"""A class at once: eight learners train and upload together (benchmarks/many_learners.py).

A server of its own, so that no other test's models or sessions are counted. What must
hold: every learner's training ends with trained models, the learners beyond the
trainer limit are told their place in the queue, a ninth learner still gets the home
page, every upload is answered, memory stays bounded and the log shows no error. The
times are reported by the benchmark, not asserted here.
"""

import pytest

from benchmarks.many_learners import markdown, run_load
from tests.e2e.conftest import ROOT, open_home_once, running_app

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

LEARNERS = 8
# TensorFlow and the shipped models take ~1 GB once loaded; eight learners' small
# models, sessions and uploads added about 170 MB when measured.
MEMORY_GROWTH_BOUND_MB = 500


def test_eight_learners_train_and_upload_at_once(browser):
    with running_app("many-learners.log") as (url, process):
        open_home_once(browser, url)
        figures = run_load(
            browser, url, process.pid, ROOT / "test-artifacts" / "many-learners.log", LEARNERS
        )
    print(markdown(figures))
    assert figures.trained == LEARNERS
    # One trainer per core for eight learners at once: most of them wait their turn, and
    # are told so (the page is polled, so a very short wait may go unseen).
    assert figures.told_queue_position >= LEARNERS // 2
    assert figures.home_seconds > 0
    assert figures.uploads_answered == LEARNERS
    assert figures.rss_peak_mb - figures.rss_before_mb < MEMORY_GROWTH_BOUND_MB
    assert not figures.log_errors, figures.log_errors[:5]
