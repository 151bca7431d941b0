"""Output Patterns: an interactive course on three output-layer design patterns.

Run with `streamlit run app.py`. This script sets up the page, registers the
lessons that exist, runs the page the learner chose, and then draws their
progress in the sidebar (after the page, so that a quiz answer given on this
run already counts).
"""

import streamlit as st

from lessons.course import LESSONS
from ui.server_setup import course_icon, keep_keras_state_between_reruns


def course_pages() -> list:
    pages = [st.Page("pages/home.py", title="Home", icon=":material/home:", default=True)]
    for lesson in LESSONS:
        if lesson.available:
            pages.append(
                st.Page(
                    lesson.page,
                    title=f"{lesson.number}. {lesson.title}",
                    icon=lesson.icon,
                    url_path=lesson.slug.replace("_", "-"),
                )
            )
    return pages


def run() -> None:
    keep_keras_state_between_reruns()
    st.set_page_config(
        page_title="Output Patterns",
        page_icon=course_icon(),
        layout="wide",
        initial_sidebar_state="expanded",
    )
    page = st.navigation(course_pages())
    page.run()

    from ui.progress import show_sidebar_progress

    show_sidebar_progress()


if __name__ == "__main__":
    run()
