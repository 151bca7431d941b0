"""A class at once: eight learners train and upload together on one server.

Run from the repository root:  python -m benchmarks.many_learners [--learners 8]

Starts `streamlit run app.py` on a loopback port and drives Debian's Chromium with one
browser context per learner (each context is its own Streamlit session):

1. every learner opens lesson 1 and presses Train at (nearly) the same moment;
2. while they train, one more learner opens the home page (in a browser of its own), and
   the time until it shows its text is measured;
3. every training is followed to its end: each learner must see their models trained,
   and the learners the server could not serve at once must have been told their place
   in the queue ("waiting for a free trainer (position N)");
4. then every learner uploads a picture on "Try your own image" at once, and the time
   until all of them see the three models' answers is measured.

The server's resident memory is sampled throughout, and its log is searched for
errors afterwards. Prints a markdown table of the figures. tests/e2e/test_many_learners.py
runs the same steps and checks what must hold; this script only reports.
"""

import argparse
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    open_home_once,
    running_app,
    wait_for_app,
)

ROOT = Path(__file__).resolve().parents[1]
JOB_NAMES = ("softmax", "sigmoid")
# What the server log must never show while learners use it.
ERROR_PATTERN = re.compile(r"Traceback|Exception|\bERROR\b")
POLL_SECONDS = 0.25


@dataclass
class LoadFigures:
    learners: int
    home_seconds: float = 0.0
    training_seconds: float = 0.0
    trained: int = 0
    told_queue_position: int = 0
    upload_seconds: float = 0.0
    uploads_answered: int = 0
    rss_before_mb: float = 0.0
    rss_peak_mb: float = 0.0
    rss_after_mb: float = 0.0
    log_errors: list[str] = field(default_factory=list)


def resident_megabytes(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


class MemorySampler:
    """Samples a process's resident memory on a thread until stopped; keeps the peak."""

    def __init__(self, pid: int):
        self.pid, self.peak = pid, resident_megabytes(pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, resident_megabytes(self.pid))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def open_lesson_one(page, url: str) -> None:
    page.goto(f"{url}/softmax-vs-sigmoid")
    page.get_by_role("button", name="Train 2 models").wait_for(timeout=180_000)
    wait_for_app(page)


def job_lines(page) -> list[str]:
    texts = page.get_by_test_id("stMarkdownContainer").all_inner_texts()
    return [text for text in texts if text.split(":")[0].strip() in JOB_NAMES]


def follow_trainings(pages, timeout_s: float) -> tuple[int, int]:
    """Poll every learner's panel until all trainings end: (trained, told their place)."""
    told = set()
    finished = set()
    deadline = time.monotonic() + timeout_s
    while len(finished) < len(pages) and time.monotonic() < deadline:
        for index, page in enumerate(pages):
            if index in finished:
                continue
            lines = job_lines(page)
            if any("waiting for a free trainer (position" in line for line in lines):
                told.add(index)
            if len(lines) == len(JOB_NAMES) and all(": trained" in line for line in lines):
                finished.add(index)
        time.sleep(POLL_SECONDS)
    return len(finished), len(told)


def visit_home(url: str, figures: LoadFigures) -> None:
    """Open the home page in a browser of this thread's own; record how long it took."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            home = browser.new_page()
            started = time.perf_counter()
            home.goto(url)
            home.get_by_text("The path").wait_for(timeout=120_000)
            figures.home_seconds = time.perf_counter() - started
        finally:
            browser.close()


def shape_picture(folder: Path) -> Path:
    path = folder / "learner-square.png"
    picture = Image.new("RGB", (96, 96), (240, 240, 240))
    picture.paste((200, 40, 40), (20, 20, 76, 76))
    picture.save(path)
    return path


def upload_at_once(pages, url: str, picture: Path, timeout_s: float) -> tuple[float, int]:
    for page in pages:
        page.goto(f"{url}/your-image")
    for page in pages:
        page.get_by_test_id("stFileUploaderDropzone").wait_for(timeout=180_000)
        wait_for_app(page)
    started = time.perf_counter()
    for page in pages:
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(picture))
    answered = 0
    for page in pages:
        remaining = max(1.0, timeout_s - (time.perf_counter() - started))
        # The default sample and the upload: two sets of answers per learner.
        page.get_by_text("read as one answer").nth(1).wait_for(timeout=remaining * 1000)
        answered += 1
    return time.perf_counter() - started, answered


def run_load(browser, url: str, server_pid: int, log_path: Path, learners: int) -> LoadFigures:
    """The four steps of the module docstring against a running server."""
    figures = LoadFigures(learners)
    contexts = [
        browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(learners)
    ]
    try:
        pages = [context.new_page() for context in contexts]
        for page in pages:
            page.set_default_timeout(180_000)
            open_lesson_one(page, url)
        figures.rss_before_mb = resident_megabytes(server_pid)
        with MemorySampler(server_pid) as memory, tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            for page in pages:
                page.get_by_role("button", name="Train 2 models").click()
            # The ninth learner comes in on a browser of its own, on a thread of its own, so
            # that the eight panels are watched all the while (a queue position shown only
            # for a few seconds would otherwise go unseen).
            visitor = threading.Thread(target=visit_home, args=(url, figures))
            visitor.start()
            figures.trained, figures.told_queue_position = follow_trainings(pages, 600)
            figures.training_seconds = time.perf_counter() - started
            visitor.join(timeout=180)
            figures.upload_seconds, figures.uploads_answered = upload_at_once(
                pages, url, shape_picture(Path(folder)), 300
            )
            figures.rss_peak_mb = memory.peak
    finally:
        for context in contexts:
            context.close()
    figures.rss_after_mb = resident_megabytes(server_pid)
    figures.log_errors = [
        line for line in log_path.read_text().splitlines() if ERROR_PATTERN.search(line)
    ]
    return figures


def markdown(figures: LoadFigures) -> str:
    rows = [
        ("learners (one browser context each)", f"{figures.learners}"),
        ("home page shown while they all train", f"{figures.home_seconds:.1f} s"),
        ("learners whose two models trained", f"{figures.trained} of {figures.learners}"),
        ("learners told their queue position", f"{figures.told_queue_position}"),
        ("all trainings, first click to last model", f"{figures.training_seconds:.1f} s"),
        ("uploads answered", f"{figures.uploads_answered} of {figures.learners}"),
        ("all uploads, first to last answer", f"{figures.upload_seconds:.1f} s"),
        (
            "server memory: before / peak / after",
            f"{figures.rss_before_mb:.0f} / {figures.rss_peak_mb:.0f} / "
            f"{figures.rss_after_mb:.0f} MB",
        ),
        ("error lines in the server log", f"{len(figures.log_errors)}"),
    ]
    lines = ["| measurement | value |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=8)
    learners = parser.parse_args().learners
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        with running_app("many-learners.log") as (url, process):
            open_home_once(browser, url)
            log = ROOT / "test-artifacts" / "many-learners.log"
            figures = run_load(browser, url, process.pid, log, learners)
        browser.close()
    print(markdown(figures))
    for line in figures.log_errors[:10]:
        print(f"\nlog: {line}")
    return 0 if figures.trained == learners and not figures.log_errors else 1


if __name__ == "__main__":
    sys.exit(main())
