"""How long `streamlit run app.py` takes to show the home page, against a hello-world app.

Both apps are started the same way in the same run, and timed from process start
until a real browser shows their first text, so the machine's noise hits both.
The figure that matters is the ratio (target: at most 1.5).

    python -m benchmarks.startup [--rounds 3]
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS, free_port, wait_until_healthy

ROOT = Path(__file__).resolve().parents[1]
HELLO_WORLD = 'import streamlit as st\n\nst.title("Hello")\nst.write("Hello, world")\n'


def seconds_to_first_render(browser, script: Path, visible_text: str) -> float:
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.headless=true",
            f"--server.port={port}",
            "--server.address=127.0.0.1",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_healthy(url, process)
        page = browser.new_page()
        page.goto(url)
        page.get_by_text(visible_text).first.wait_for(timeout=60_000)
        elapsed = time.perf_counter() - started
        page.close()
        return elapsed
    finally:
        process.terminate()
        process.wait(timeout=15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        hello = Path(folder) / "hello.py"
        hello.write_text(HELLO_WORLD)
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        hello_times, app_times = [], []
        # Alternate the two so that a slow moment of the machine hits both alike.
        for _ in range(rounds):
            hello_times.append(seconds_to_first_render(browser, hello, "Hello, world"))
            app_times.append(seconds_to_first_render(browser, ROOT / "app.py", "The path"))
        browser.close()
    hello_median, app_median = statistics.median(hello_times), statistics.median(app_times)
    print("| app | median seconds to first render | runs |")
    print("| --- | --- | --- |")
    print(f"| hello world | {hello_median:.2f} | {', '.join(f'{t:.2f}' for t in hello_times)} |")
    print(
        f"| Output Patterns home | {app_median:.2f} | {', '.join(f'{t:.2f}' for t in app_times)} |"
    )
    print(f"\nratio home / hello world: {app_median / hello_median:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
