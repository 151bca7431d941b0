"""Browser tests: start `streamlit run app.py` on a free port and drive Debian's Chromium.

The browser is required, not optional: if /usr/bin/chromium is missing these tests
fail (they do not skip), so a green run always means the pages were really drawn.
Screenshots of every page go to test-artifacts/screenshots/.
"""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
# The machine may be busy (two cores, TensorFlow training in other tests): wait on
# visible text for up to half a minute rather than sleeping.
expect.set_options(timeout=30_000)

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # A synthetic camera that needs no permission prompt, for "Try your own image".
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"{Path(process.args[0]).name} exited with code {process.returncode}"
            )
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not become healthy in time")


@contextlib.contextmanager
def running_app(log_name: str):
    """`streamlit run app.py` on a free loopback port; yields its URL and its process."""
    port = free_port()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    log = open(ROOT / "test-artifacts" / log_name, "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless=true",
            f"--server.port={port}",
            "--server.address=127.0.0.1",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def app_url(browser):
    with running_app("streamlit-e2e.log") as (url, _):
        open_home_once(browser, url)
        yield url


def open_home_once(browser, url: str) -> None:
    """Open the home page in a throwaway tab before any test runs.

    Streamlit shows a "Page not found" dialog over the right page when the very first
    session of a fresh server opens a page other than the default one (streamlit#8860);
    later sessions, which every learner after the first one is, do not see it. The tests
    check that no page ever shows that dialog, so they start from a server that has
    served one session, as a running server has.
    """
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    wait_for_app(page)
    context.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is required for the browser tests and is not at {CHROMIUM}.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


def wait_for_app(page: Page) -> None:
    """Wait until the script has finished running and the page is connected."""
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]')
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0"
    )


def save_screenshot(page: Page, name: str) -> Path:
    """Screenshot the whole page: Streamlit scrolls inside its main area, so grow the viewport."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 40, 12_000)})
    page.wait_for_timeout(800)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1400, "height": 1000})
    return path
