"""Lesson 1: softmax vs sigmoid.

The learner drags logits and sees both activations side by side, changes the
number of classes and the temperature, encodes labels and reads the matching
losses, and checks that one sigmoid unit equals a two-unit softmax; all of that is
numpy, so it appears at once. Then it trains a softmax and a sigmoid network live on
overlapping labels (ui/live_overlap.py), which loads TensorFlow behind a spinner below
the first part.
"""

import functools

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lessons import activations
from lessons.course import lesson_by_slug
from ui import palette
from ui.charts import PLOT_FONT, numbers_as_text, signed, softmax_and_sigmoid_bars
from ui.lesson import start_lesson_page
from ui.live_overlap import live_overlap_section
from ui.quiz import show_quiz

LESSON = lesson_by_slug("softmax_vs_sigmoid")
CLASS_NAMES = ["cat", "dog", "bird", "fish", "horse", "rabbit"]
FIRST_LOGITS = {"cat": 2.0, "dog": 1.0, "bird": -1.0}
# A class that joins later starts at 0, so that adding it is the only change.
NEW_CLASS_LOGIT = 0.0
LOGIT_RANGE = (-10.0, 10.0)
PRESETS = {
    "one object": {"first": 4.0, "second": -4.0, "rest": -4.0},
    "two objects": {"first": 3.0, "second": 3.0, "rest": -4.0},
    "nothing": {"first": -4.0, "second": -4.0, "rest": -4.0},
}


def logit_key(name: str) -> str:
    return f"l1_logit_{name}"


def apply_preset(preset: str) -> None:
    """Set every visible logit to the preset's values (runs before the sliders are drawn)."""
    values = PRESETS[preset]
    count = st.session_state["l1_class_count"]
    for position, name in enumerate(CLASS_NAMES[:count]):
        role = ("first", "second")[position] if position < 2 else "rest"
        st.session_state[logit_key(name)] = values[role]


def logits_editor() -> tuple[list[str], np.ndarray, float]:
    """The class count, one slider per class, presets and temperature; returns what they say."""
    if "l1_class_count" not in st.session_state:
        st.session_state["l1_class_count"] = len(FIRST_LOGITS)
        for name, value in FIRST_LOGITS.items():
            st.session_state[logit_key(name)] = value
    count_column, temperature_column = st.columns(2)
    count = count_column.number_input(
        "Number of classes", min_value=2, max_value=len(CLASS_NAMES), step=1, key="l1_class_count"
    )
    temperature = temperature_column.slider(
        "Softmax temperature T",
        0.1,
        5.0,
        1.0,
        0.05,
        key="l1_temperature",
        help="Divides the logits before the softmax. Below 1 sharpens, above 1 flattens.",
    )
    names = CLASS_NAMES[:count]
    st.markdown("**Presets**")
    preset_columns = st.columns(len(PRESETS))
    for column, preset in zip(preset_columns, PRESETS, strict=True):
        column.button(
            preset,
            key=f"l1_preset_{preset.replace(' ', '_')}",
            on_click=apply_preset,
            args=(preset,),
            use_container_width=True,
        )
    slider_columns = st.columns(3)
    logits = []
    for position, name in enumerate(names):
        st.session_state.setdefault(logit_key(name), NEW_CLASS_LOGIT)
        with slider_columns[position % 3]:
            logits.append(
                st.slider(f"logit of {name}", *LOGIT_RANGE, step=0.1, key=logit_key(name))
            )
    return names, np.array(logits), float(temperature)


def outputs_view(names, softmax_probs, sigmoid_probs) -> None:
    st.plotly_chart(
        softmax_and_sigmoid_bars(names, softmax_probs, sigmoid_probs),
        key="l1_output_bars",
        config={"displayModeBar": False},
    )
    sums = st.columns(2)
    sums[0].metric("Softmax outputs add up to", f"{softmax_probs.sum():.3f}")
    sums[1].metric("Sigmoid outputs add up to", f"{sigmoid_probs.sum():.3f}")
    table = pd.DataFrame({"softmax": softmax_probs, "sigmoid": sigmoid_probs}, index=names)
    table.loc["sum"] = table.sum()
    with st.expander("The same numbers as a table"):
        st.dataframe(table.style.format("{:.4f}"))


def remember_class_count_change(logits: np.ndarray) -> dict | None:
    """When the number of classes changes, remember what the learner had before.

    Kept: the class count before the change, and the logits of any classes the change
    took away. With those, the comparison below is computed afresh on every run, so it
    follows the sliders and the temperature moved after the change.
    """
    last = st.session_state.get("l1_last_logits")
    if last is not None and len(last) != len(logits):
        st.session_state["l1_class_count_change"] = {
            "before_count": len(last),
            "removed_logits": list(last[len(logits) :]),
        }
    st.session_state["l1_last_logits"] = list(logits)
    return st.session_state.get("l1_class_count_change")


def class_count_change_view(names, logits, temperature) -> None:
    change = remember_class_count_change(logits)
    if change is None:
        # Before any change, show what adding one class with logit 0 would do right now.
        before_logits, after_logits = logits, np.append(logits, NEW_CLASS_LOGIT)
        st.caption(
            "You have not changed the number of classes yet. Here is what one more "
            "class with logit 0 would do to the current classes:"
        )
    else:
        before_logits = np.append(logits[: change["before_count"]], change["removed_logits"])
        after_logits = logits
        st.caption(
            f"Your last change: from {len(before_logits)} to {len(after_logits)} classes, "
            "with the logits and the temperature as they are now."
        )
    st.dataframe(class_count_table(before_logits, after_logits, temperature))


def class_count_table(before_logits, after_logits, temperature) -> pd.DataFrame:
    """Each class's outputs with the classes before and after; a dash where it is absent."""
    names = CLASS_NAMES[: max(len(before_logits), len(after_logits))]
    table = pd.DataFrame(index=names)
    for kind, activation in (
        ("softmax", lambda z: activations.softmax(z, temperature)),
        ("sigmoid", activations.sigmoid),
    ):
        for when, class_logits in (("before", before_logits), ("after", after_logits)):
            # A class that did not exist on one side gets NaN there, shown as a dash.
            table[f"{kind} {when}"] = pd.Series(
                activation(class_logits), index=names[: len(class_logits)]
            )
        table[f"{kind} change"] = table[f"{kind} after"] - table[f"{kind} before"]
    return numbers_as_text(
        table,
        {
            column: functools.partial(signed, digits=4) if "change" in column else "{:.4f}"
            for column in table
        },
    )


def label_encoding_view(names, softmax_probs, sigmoid_probs) -> None:
    st.markdown("**Which labels are in the picture?**")
    columns = st.columns(len(names))
    present = [
        index
        for index, (column, name) in enumerate(zip(columns, names, strict=True))
        if column.checkbox(name, value=index == 0, key=f"l1_present_{name}")
    ]
    multi_hot = activations.multi_hot(present, len(names))
    table = pd.DataFrame({"multi-hot target": multi_hot}, index=names)
    if len(present) == 1:
        table.insert(0, "one-hot target", activations.one_hot(present[0], len(names)))
    table["softmax output"] = softmax_probs
    table["sigmoid output"] = sigmoid_probs
    st.dataframe(table.style.format("{:.3f}"))

    binary_loss = activations.binary_crossentropy(multi_hot, sigmoid_probs)
    losses = st.columns(2)
    if len(present) == 1:
        categorical_loss = activations.categorical_crossentropy(
            table["one-hot target"], softmax_probs
        )
        losses[0].metric("Categorical cross-entropy (one-hot, softmax)", f"{categorical_loss:.3f}")
    else:
        losses[0].info(
            "With "
            + ("no label" if not present else f"{len(present)} labels")
            + " ticked there is no one-hot vector: a single-label target needs exactly one "
            "class. Softmax has no way to learn this example as it is."
        )
    losses[1].metric("Binary cross-entropy (multi-hot, sigmoid)", f"{binary_loss:.3f}")


def two_classes_view() -> None:
    z = st.slider("logit z of the positive class", -10.0, 10.0, 1.5, 0.1, key="l1_binary_logit")
    sigmoid_value = float(activations.sigmoid(z))
    softmax_value = float(activations.softmax([z, 0.0])[0])
    values = st.columns(3)
    values[0].metric("sigmoid(z)", f"{sigmoid_value:.6f}")
    values[1].metric("softmax([z, 0])[0]", f"{softmax_value:.6f}")
    values[2].metric("difference", f"{abs(sigmoid_value - softmax_value):.1e}")

    grid = np.linspace(-10, 10, 201)
    figure = go.Figure()
    figure.add_scatter(
        x=grid,
        y=activations.sigmoid(grid),
        name="sigmoid(z)",
        line={"color": palette.SIGMOID, "width": 6},
    )
    figure.add_scatter(
        x=grid,
        y=activations.softmax(np.stack([grid, np.zeros_like(grid)], 1))[:, 0],
        name="softmax([z, 0])[0]",
        line={"color": palette.SOFTMAX, "dash": "dash"},
    )
    figure.add_scatter(
        x=[z],
        y=[sigmoid_value],
        mode="markers+text",
        name="your z",
        text=[f"{sigmoid_value:.3f}"],
        textposition="top left",
        marker={"size": 12, "color": palette.VERMILLION, "symbol": "diamond"},
    )
    figure.update_layout(
        height=300,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        font=PLOT_FONT,
        xaxis_title="z",
        yaxis_title="probability of the positive class",
        legend={"orientation": "h", "y": 1.15},
    )
    st.plotly_chart(figure, key="l1_binary_curves", config={"displayModeBar": False})

    inputs = st.number_input(
        "Units in the layer before the output", 1, 4096, 64, key="l1_hidden_units"
    )
    counts = pd.DataFrame(
        {
            "output layer": ["Dense(1, sigmoid)", "Dense(2, softmax)"],
            "parameters": [
                activations.output_layer_parameters(inputs, 1),
                activations.output_layer_parameters(inputs, 2),
            ],
        }
    )
    st.dataframe(counts, hide_index=True)


text = start_lesson_page(LESSON)
text.show("intro")

st.header("Softmax and sigmoid on the same logits")
text.show("logits")
names, logits, temperature = logits_editor()
softmax_probs = activations.softmax(logits, temperature)
sigmoid_probs = activations.sigmoid(logits)
outputs_view(names, softmax_probs, sigmoid_probs)
text.show("formulas")
text.show("temperature")
text.show("adding_a_class")
class_count_change_view(names, logits, temperature)

st.header("Labels and losses")
text.show("label_encoding")
label_encoding_view(names, softmax_probs, sigmoid_probs)

st.header("Two classes")
text.show("two_classes")
two_classes_view()

st.header("Watch them learn")
text.show("live_training")
live_overlap_section()
text.show("live_reading")

st.header("In Keras")
text.show("keras_code")
single_tab, multi_tab, binary_tab = st.tabs(
    ["Single label: softmax", "Multilabel: sigmoid", "Two classes"]
)
with single_tab:
    text.show_code("softmax")
with multi_tab:
    text.show_code("sigmoid")
with binary_tab:
    text.show_code("binary")

text.show("try_this")
text.show("takeaways")
show_quiz(LESSON.slug)
