"""The home page: the path, the progress, the start button, and no TensorFlow."""

import subprocess
import sys
from pathlib import Path

from lessons.course import LESSONS

ROOT = Path(__file__).resolve().parents[2]


def test_home_lists_every_lesson_with_its_status(open_page):
    app = open_page()
    text = " ".join(block.value for block in app.markdown)
    for lesson in LESSONS:
        assert f"{lesson.number}. {lesson.title}" in text
    # Every lesson of the brief now has its page, so none is announced as coming.
    assert all(lesson.available for lesson in LESSONS)
    assert "coming soon" not in text
    assert text.count("not started") >= len(LESSONS)


def test_start_button_opens_lesson_one(open_page):
    app = open_page()
    app.button(key="start_first_lesson").click().run()
    assert not app.exception
    assert app.title[0].value == "1. Softmax vs sigmoid"


def test_reset_forgets_progress(open_page):
    app = open_page("pages/softmax_vs_sigmoid.py")
    assert app.session_state["course_progress"]["softmax_vs_sigmoid"]["visited"]
    app.button(key="reset_progress").click().run()
    assert not app.exception
    # The reset runs before the page script, so the lesson shows as just opened again.
    assert app.session_state["course_progress"]["softmax_vs_sigmoid"]["answers"] == {}


def test_home_page_does_not_import_tensorflow():
    """Run the home page in a fresh interpreter and look at what got imported."""
    script = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        "app = AppTest.from_file('app.py', default_timeout=60).run()\n"
        "assert not app.exception, app.exception\n"
        "print('tensorflow' in sys.modules, 'keras' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False False"
