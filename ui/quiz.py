"""The end-of-lesson quiz: one form per question, feedback and an explanation for every option.

Each question is a form so that it can be answered from the keyboard (Tab to the
choices, arrows to pick, Enter on "Check") and so that picking an option does not
rerun the page until the learner asks for the verdict.
"""

import streamlit as st

from lessons.lesson_content import Question
from ui.lesson import cached_quiz
from ui.progress import progress_records, record_answer


def show_quiz(slug: str) -> None:
    questions = cached_quiz(slug)
    st.header("Check your understanding")
    for number, question in enumerate(questions, 1):
        _show_question(slug, number, question)
    answers = progress_records()[slug]["answers"]
    right = sum(answers.values())
    st.markdown(f"**Score: {right} of {len(questions)} right** ({len(answers)} answered).")


def _show_question(slug: str, number: int, question: Question) -> None:
    key = f"quiz_{slug}_{question.id}"
    with st.form(key=f"{key}_form", border=True):
        st.markdown(f"**Question {number}.** {question.prompt}")
        if question.allows_several_answers:
            st.caption("Choose all that apply.")
            chosen = {
                index
                for index, option in enumerate(question.options)
                if st.checkbox(option, key=f"{key}_option_{index}")
            }
        else:
            choice = st.radio(
                "Your answer",
                range(len(question.options)),
                format_func=lambda index: question.options[index],
                index=None,
                key=f"{key}_choice",
                label_visibility="collapsed",
            )
            chosen = set() if choice is None else {choice}
        checked = st.form_submit_button("Check", key=f"{key}_check")
    if checked:
        if not chosen:
            st.warning("Pick an answer first.")
            return
        record_answer(slug, question.id, question.is_right(chosen))
        st.session_state[f"{key}_last"] = sorted(chosen)
    if f"{key}_last" in st.session_state:
        _show_feedback(question, set(st.session_state[f"{key}_last"]))


def _show_feedback(question: Question, chosen: set[int]) -> None:
    if question.is_right(chosen):
        st.success("Right!", icon=":material/check:")
    else:
        st.error("Not quite. Read why below, then try again.", icon=":material/close:")
    lines = []
    for index, (option, why) in enumerate(
        zip(question.options, question.explanations, strict=True)
    ):
        verdict = "right answer" if index in question.correct else "wrong answer"
        mark = " (your choice)" if index in chosen else ""
        lines.append(f"- **{option}**: {verdict}{mark}. {why}")
    st.markdown("\n".join(lines))
