"""The home page: what the course teaches, the lesson path, and where the learner is."""

import streamlit as st

from lessons.course import LESSONS
from ui.progress import score_text, status_of

st.title("Output Patterns")
st.markdown(
    "#### Three decisions about the last layer of a neural network, "
    "seen, moved and trained in your browser"
)
st.markdown(
    "A classifier is only as useful as the way its last layer speaks. This course takes "
    "three design patterns from chapter 3 of *Machine Learning Design Patterns* "
    "(Lakshmanan, Robinson and Munn) and lets you try each one with your own hands: "
    "you drag logits, move thresholds, train small models live and watch them learn."
)

left, right = st.columns(2)
with left:
    st.subheader("After the course you can")
    st.markdown(
        "- choose between **softmax** and **sigmoid** outputs, and the loss that goes with each;\n"
        "- turn a vector of probabilities into an answer with **thresholds**, per class, "
        "or **top-k**, and measure the choice;\n"
        "- build a **multitask** network with hard or soft parameter sharing and tell "
        "when sharing helps."
    )
with right:
    st.subheader("You need")
    st.markdown(
        "- to know what a neural network and a training loss are;\n"
        "- no installation beyond this app and no internet: everything runs on this machine;\n"
        "- about an hour and a half for the whole path. Your progress is kept while this "
        "tab stays open; a reload starts the record afresh (nothing about you is stored)."
    )

st.header("The path")
for lesson in LESSONS:
    with st.container(border=True):
        heading, status_column = st.columns([4, 1])
        with heading:
            st.markdown(f"**{lesson.number}. {lesson.title}** · about {lesson.minutes} min")
            st.markdown(lesson.summary)
        with status_column:
            if lesson.available:
                score = score_text(lesson.slug)
                st.markdown(f"**{status_of(lesson.slug)}**" + (f"  \n{score}" if score else ""))
                st.page_link(lesson.page, label="Open", icon=":material/arrow_forward:")
            else:
                st.markdown(":grey[coming soon]")

first_lesson = next(lesson for lesson in LESSONS if lesson.available)
if st.button(
    f"Start lesson {first_lesson.number}: {first_lesson.title}",
    type="primary",
    icon=":material/play_arrow:",
    key="start_first_lesson",
):
    st.switch_page(first_lesson.page)
