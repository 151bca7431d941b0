"""The learner's progress through the course, kept in this browser session.

Each lesson has a record (opened or not, the latest answer to each quiz
question); the sidebar shows the status of every lesson and a reset button.
"""

import streamlit as st

from lessons.course import DONE, IN_PROGRESS, LESSONS, lesson_status, new_record, quiz_score
from lessons.lesson_content import lesson_quiz

PROGRESS_KEY = "course_progress"

STATUS_ICONS = {DONE: ":material/check_circle:", IN_PROGRESS: ":material/pending:"}


def progress_records() -> dict[str, dict]:
    if PROGRESS_KEY not in st.session_state:
        st.session_state[PROGRESS_KEY] = {lesson.slug: new_record() for lesson in LESSONS}
    return st.session_state[PROGRESS_KEY]


def mark_visited(slug: str) -> None:
    progress_records()[slug]["visited"] = True


def record_answer(slug: str, question_id: str, correct: bool) -> None:
    progress_records()[slug]["answers"][question_id] = correct


def question_count(slug: str) -> int:
    lesson = next(lesson for lesson in LESSONS if lesson.slug == slug)
    return len(lesson_quiz(slug)) if lesson.has_quiz and lesson.available else 0


def status_of(slug: str) -> str:
    return lesson_status(progress_records()[slug], question_count(slug))


def score_text(slug: str) -> str:
    total = question_count(slug)
    if not total:
        return ""
    return f"quiz {quiz_score(progress_records()[slug])}/{total}"


def reset_progress() -> None:
    """Forget every lesson's record and every quiz answer shown on the pages."""
    st.session_state.pop(PROGRESS_KEY, None)
    for key in list(st.session_state):
        if str(key).startswith("quiz_"):
            del st.session_state[key]


def show_sidebar_progress() -> None:
    with st.sidebar:
        st.subheader("Your progress")
        done = 0
        for lesson in LESSONS:
            if not lesson.available:
                st.markdown(f":grey[{lesson.number}. {lesson.title} · coming]")
                continue
            status = status_of(lesson.slug)
            done += status == DONE
            icon = STATUS_ICONS.get(status, ":material/radio_button_unchecked:")
            score = score_text(lesson.slug)
            st.markdown(
                f"{icon} {lesson.number}. {lesson.title}  \n:grey[{status}"
                + (f" · {score}" if score else "")
                + "]"
            )
        available = sum(lesson.available for lesson in LESSONS)
        st.progress(done / available if available else 0.0, text=f"{done} of {available} done")
        st.button(
            "Reset my progress",
            key="reset_progress",
            on_click=reset_progress,
            help="Forget which lessons you opened and your quiz answers.",
        )
