"""Process-wide settings the course needs from Streamlit before any page runs, and the
icon of its browser tab (`course_icon`, drawn here so that the course works offline).

Streamlit 1.67 calls `keras.backend.clear_session()` after every script run
(`_clean_problem_modules` in streamlit/runtime/scriptrunner/script_runner.py), to free
models that a script rebuilt on each rerun. This course never does that: it keeps
learners' models in session state and trains them on threads of their own. For it the
clean-up is harmful. Keras's `clear_session` replaces the thread-local stores of its
global state for *every* thread at once, so a training thread that is building or
tracing a model loses its scopes halfway ("You cannot add new elements of state ... to a
layer that is already built"); it also empties TensorFlow's kernel cache and runs a full
garbage collection. The training panel reruns a few times per second while it polls,
so the clean-up ran that often. Timed once by hand in a browser (no committed benchmark
repeats it), a lesson-3 model that trains in 0.5 s on its own took 45 s inside the
server, and one of four failed; tests/app/test_server_setup.py pins the fix.

`keep_keras_state_between_reruns` replaces that clean-up with one that does nothing:
its only other task is closing matplotlib figures, and the course draws none (its
charts are plotly). It is idempotent, so `app.py` may call it on every run.
"""

import functools

from PIL import Image, ImageDraw
from streamlit.runtime.scriptrunner import script_runner

from ui import palette


def _clean_up_without_clearing_keras() -> None:
    """Streamlit's post-run clean-up, minus `keras.backend.clear_session()`."""


def keep_keras_state_between_reruns() -> None:
    """Stop Streamlit from clearing Keras's global state after each script run."""
    if not hasattr(script_runner, "_clean_problem_modules"):
        # A newer Streamlit without the clean-up: nothing to undo.
        return
    script_runner._clean_problem_modules = _clean_up_without_clearing_keras


@functools.cache
def course_icon() -> Image.Image:
    """The browser tab's icon: three probability bars, drawn here.

    A `:material/...:` page icon is fetched from fonts.gstatic.com by the browser, which
    fails offline; an image Streamlit serves itself does not.
    """
    icon = Image.new("RGBA", (64, 64), (255, 255, 255, 0))
    draw = ImageDraw.Draw(icon)
    for index, (height, colour) in enumerate(
        ((30, palette.SOFTMAX), (52, palette.SIGMOID), (18, palette.GREY))
    ):
        left = 6 + index * 19
        draw.rectangle((left, 60 - height, left + 14, 60), fill=colour)
    return icon
