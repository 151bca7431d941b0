"""Draws a lesson's Markdown sections, with display maths through `st.latex`.

A section's text is Markdown; a `$$ ... $$` block on its own lines becomes an
`st.latex` call (larger and centred), and everything else goes to `st.markdown`.
"""

import re

import streamlit as st

from lessons.course import Lesson
from lessons.lesson_content import lesson_code, lesson_quiz, lesson_sections
from ui.progress import mark_visited

DISPLAY_MATH = re.compile(r"^\$\$\s*\n(.*?)\n\s*\$\$\s*$", re.MULTILINE | re.DOTALL)


class LessonText:
    """The sections of one lesson, loaded once and drawn by name where the page wants them."""

    def __init__(self, lesson: Lesson):
        self.lesson = lesson
        self.sections = _cached_sections(lesson.slug, lesson.sections)

    def show(self, name: str) -> None:
        show_markdown_with_maths(self.sections[name])

    def show_code(self, name: str) -> None:
        st.code(_cached_code(self.lesson.slug)[name], language="python")


def start_lesson_page(lesson: Lesson) -> LessonText:
    """The common top of every lesson page: title, time, goals; marks the lesson as visited."""
    mark_visited(lesson.slug)
    st.title(f"{lesson.number}. {lesson.title}")
    st.caption(f"About {lesson.minutes} minutes · Lesson {lesson.number} of the course")
    with st.expander("What you will be able to do", expanded=False):
        st.markdown("\n".join(f"- {outcome}" for outcome in lesson.outcomes))
    return LessonText(lesson)


def show_markdown_with_maths(text: str) -> None:
    position = 0
    for match in DISPLAY_MATH.finditer(text):
        before = text[position : match.start()].strip()
        if before:
            st.markdown(before)
        st.latex(match.group(1).strip())
        position = match.end()
    rest = text[position:].strip()
    if rest:
        st.markdown(rest)


@st.cache_data(show_spinner=False)
def _cached_sections(slug: str, expected: tuple[str, ...]) -> dict[str, str]:
    return lesson_sections(slug, expected)


@st.cache_data(show_spinner=False)
def _cached_code(slug: str) -> dict[str, str]:
    return lesson_code(slug)


@st.cache_data(show_spinner=False)
def cached_quiz(slug: str):
    return lesson_quiz(slug)
