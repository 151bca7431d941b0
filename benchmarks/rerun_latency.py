"""How long lesson 1 takes to answer a move of a logit slider, against a hello-world rerun.

Run from the repository root:  python -m benchmarks.rerun_latency [--moves 20]

Drives the real app with `streamlit.testing.v1.AppTest`: opens lesson 1, then moves the
"logit of cat" slider `--moves` times, timing each full rerun of the script (what the
server does between the learner's move and the new page). In the same process, a
hello-world app with one slider is moved as many times: its median is the floor that
Streamlit itself costs. Prints the two medians and their ratio (target: lesson 1's
median at most 150 ms).
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
HELLO = (
    "import streamlit as st\n"
    'value = st.slider("value", -10.0, 10.0, 0.0, 0.1, key="value")\n'
    'st.write("Hello", value)\n'
)


def median_rerun_ms(app: AppTest, key: str, moves: int) -> float:
    times = []
    for move in range(moves):
        app.slider(key=key).set_value(round(-5.0 + 0.5 * (move % 20), 1))
        started = time.perf_counter()
        app.run()
        times.append(time.perf_counter() - started)
        assert not app.exception, app.exception
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=20)
    arguments = parser.parse_args()

    lesson = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    lesson.switch_page("pages/softmax_vs_sigmoid.py").run()
    lesson_ms = median_rerun_ms(lesson, "l1_logit_cat", arguments.moves)

    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "hello.py"
        script.write_text(HELLO)
        hello = AppTest.from_file(str(script), default_timeout=60).run()
        hello_ms = median_rerun_ms(hello, "value", arguments.moves)

    print("| rerun after a slider move | median (ms) |")
    print("|---|---:|")
    print(f"| lesson 1, logit of cat | {lesson_ms:.0f} |")
    print(f"| hello-world app, one slider | {hello_ms:.0f} |")
    print(
        f"\nRatio {lesson_ms / hello_ms:.1f} over {arguments.moves} moves each "
        "(target: lesson 1 <= 150 ms)."
    )


if __name__ == "__main__":
    main()
