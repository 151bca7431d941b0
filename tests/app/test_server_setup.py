"""A rerun of the app must not wipe Keras's state on the threads that train models.

Streamlit clears Keras's global state after every script run unless the app stops it
(ui/server_setup.py says why that broke live training). This runs the real app.py while
another thread holds a value in Keras's thread-local global state, as a training thread
holds its scopes, and checks that the value is still there afterwards.
"""

import threading

from keras.src.backend.common import global_state


def test_a_rerun_leaves_keras_state_of_other_threads_alone(open_page):
    ready, rerun_done = threading.Event(), threading.Event()
    seen = {}

    def training_thread():
        global_state.set_global_attribute("course_probe", 42)
        ready.set()
        rerun_done.wait(timeout=120)
        seen["after rerun"] = global_state.get_global_attribute("course_probe")

    thread = threading.Thread(target=training_thread)
    thread.start()
    assert ready.wait(timeout=30)
    try:
        app = open_page()
        app.run()
    finally:
        rerun_done.set()
        thread.join(timeout=30)
    assert seen["after rerun"] == 42
