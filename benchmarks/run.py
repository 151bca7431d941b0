"""Every performance figure the README quotes, in one markdown report.

Run from the repository root:  python -m benchmarks.run [--quick]

Runs each benchmark script of this folder in its own fresh process (so one cannot warm
up another), in this order, and writes what each printed, under a heading, into
benchmarks/out/report.md (also printed):

1. startup: `streamlit run app.py` to the home page in a real browser, against a
   hello-world app started the same way in the same run (target ratio <= 1.5);
2. home imports: the home page runs in a fresh interpreter without importing TensorFlow;
3. rerun latency: lesson 1's logit slider, median of 20 moves (target <= 150 ms);
4. training engine: throughput against bare `fit`, memory over 20 trainings, wall time;
5. image input: a 12-megapixel JPEG from bytes to model input;
6. upload to prediction: the same JPEG through the input pipeline and all three models;
7. shapes world: images per second on one core.

Every figure is a ratio against a baseline measured in the same process or the same run,
because these machines are noisy; the absolute seconds are there for reading, not for
comparing across machines. `--quick` runs fewer rounds, for a smoke test.
"""

import argparse
import datetime
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "benchmarks" / "out" / "report.md"

HOME_IMPORTS = (
    "import sys\n"
    "from streamlit.testing.v1 import AppTest\n"
    "app = AppTest.from_file('app.py', default_timeout=60).run()\n"
    "assert not app.exception, app.exception\n"
    "heavy = [name for name in ('tensorflow', 'keras') if name in sys.modules]\n"
    "print('| module | imported by the home page |')\n"
    "print('| --- | --- |')\n"
    "for name in ('tensorflow', 'keras'):\n"
    '    print(f\'| {name} | {"yes" if name in heavy else "no"} |\')\n'
    "sys.exit(1 if heavy else 0)\n"
)


def steps(quick: bool) -> list[tuple[str, list[str]]]:
    """(heading, command) for every benchmark, with its rounds set for a full or quick run."""
    python = sys.executable
    return [
        ("Startup: home page against hello world", [python, "-m", "benchmarks.startup",
                                                     "--rounds", "1" if quick else "3"]),
        ("The home page imports no TensorFlow", [python, "-c", HOME_IMPORTS]),
        ("Rerun latency of lesson 1's logit slider", [python, "-m", "benchmarks.rerun_latency",
                                                       "--moves", "5" if quick else "20"]),
        ("Live-training engine", [python, "-m", "benchmarks.training_engine",
                                  "--repeats", "2" if quick else "5",
                                  "--trainings", "5" if quick else "20"]),
        ("Image input: a 12-megapixel JPEG", [python, "-m", "benchmarks.image_input_speed",
                                              "--runs", "3" if quick else "7"]),
        ("Upload to prediction", [python, "-m", "benchmarks.upload_to_prediction",
                                  "--runs", "3" if quick else "10"]),
        ("Shapes world generator", [python, "-m", "benchmarks.shapes_speed",
                                    "--count", "1000" if quick else "5000"]),
    ]  # fmt: skip


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def run_step(heading: str, command: list[str]) -> tuple[str, bool]:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    seconds = time.perf_counter() - started
    ok = result.returncode == 0
    body = result.stdout.strip() if ok else f"FAILED (exit {result.returncode}):\n\n```\n"
    if not ok:
        body += (result.stdout + result.stderr)[-3000:] + "\n```"
    shown = " ".join(Path(part).name if part == sys.executable else part for part in command)
    if "-c" in command:
        shown = "a fresh interpreter running app.py in AppTest"
    return f"## {heading}\n\n{body}\n\n_{shown}, {seconds:.0f} s_\n", ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, for a smoke test")
    arguments = parser.parse_args(argv)
    sections, failures = [], 0
    for heading, command in steps(arguments.quick):
        print(f"running: {heading}...", file=sys.stderr)
        section, ok = run_step(heading, command)
        sections.append(section)
        failures += not ok
    today = datetime.date.today().isoformat()
    report = (
        f"# Benchmark report\n\nMade with `python -m benchmarks.run"
        f"{' --quick' if arguments.quick else ''}` on {today}, {machine()}.\n\n"
        + "\n".join(sections)
    )
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(report)
    print(report)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
