"""View helpers for lesson 2: the gallery of test images and the score tables.

Each function draws one part of the page from numpy arrays it is given; none of them
knows where the predictions came from, so the page decides what to show and these only
decide how. No TensorFlow here.
"""

from collections.abc import Sequence

import numpy as np
import pandas as pd
import streamlit as st

from lessons.metrics import MultilabelReport
from ui.multilabel_charts import MISSED, RIGHT, WRONG, image_probability_bars

GALLERY_COLUMNS = 4
# Shapes world images are 64 pixels square; shown twice as large, each pixel a 2x2 block.
GALLERY_ZOOM = 2
# Streamlit draws table rows 35 pixels high.
ROW_HEIGHT = 35


def verdict_markdown(said: Sequence[int], present: Sequence[int], class_names) -> str:
    """One image's verdict in words and symbols (colour only repeats what they say)."""
    right = [name for name, s, p in zip(class_names, said, present, strict=True) if s and p]
    wrong = [name for name, s, p in zip(class_names, said, present, strict=True) if s and not p]
    missed = [name for name, s, p in zip(class_names, said, present, strict=True) if p and not s]
    if not right and not wrong:
        says = "says **nothing**"
    else:
        parts = [f":green[{RIGHT} {name}]" for name in right]
        parts += [f":red[{WRONG} {name} (not there)]" for name in wrong]
        says = "says " + ", ".join(parts)
    lines = [says]
    if missed:
        lines.append(", ".join(f":orange[{MISSED} missed {name}]" for name in missed))
    if not wrong and not missed:
        lines.append(":green[**exactly right**]")
    return "  \n".join(lines)


def present_text(present: Sequence[int], class_names) -> str:
    names = [name for name, p in zip(class_names, present, strict=True) if p]
    return ", ".join(names) if names else "no shape"


def gallery_view(
    images: np.ndarray,
    y_true: np.ndarray,
    probabilities: np.ndarray,
    predictions: np.ndarray,
    thresholds: np.ndarray | None,
    class_names: Sequence[str],
    image_numbers: Sequence[int],
    key: str,
) -> None:
    """A card per test image: the picture, its probability bars and what the parser says."""
    columns = st.columns(GALLERY_COLUMNS)
    for position, number in enumerate(image_numbers):
        with columns[position % GALLERY_COLUMNS].container(border=True):
            picture = np.repeat(np.repeat(images[position], GALLERY_ZOOM, 0), GALLERY_ZOOM, 1)
            st.image(
                np.clip(picture, 0.0, 1.0),
                caption=f"Test image {number}: {present_text(y_true[position], class_names)}",
                width=picture.shape[1],
            )
            st.plotly_chart(
                image_probability_bars(
                    class_names,
                    probabilities[position],
                    predictions[position],
                    y_true[position],
                    thresholds,
                ),
                key=f"{key}_bars_{position}",
                config={"displayModeBar": False, "staticPlot": True},
            )
            st.markdown(verdict_markdown(predictions[position], y_true[position], class_names))


def gallery_table(
    y_true: np.ndarray,
    probabilities: np.ndarray,
    predictions: np.ndarray,
    class_names: Sequence[str],
    image_numbers: Sequence[int],
) -> pd.DataFrame:
    """The gallery in words: what each image holds, what the parser says, what it got wrong."""

    def names(row) -> str:
        chosen = [name for name, on in zip(class_names, row, strict=True) if on]
        return ", ".join(chosen) if chosen else "(nothing)"

    table = pd.DataFrame(
        {
            "image": list(image_numbers),
            "in the image": [names(row) for row in y_true],
            "the model says": [names(row) for row in predictions],
            "wrong labels": [names(row) for row in (predictions & (1 - y_true))],
            "missed labels": [names(row) for row in (y_true & (1 - predictions))],
        }
    )
    for column, name in enumerate(class_names):
        table[f"p({name})"] = probabilities[:, column]
    return table


def summary_frame(reports: dict[str, MultilabelReport]) -> pd.DataFrame:
    """The single-number scores of several reports side by side, one column per report."""
    return pd.DataFrame({name: report.summary_table() for name, report in reports.items()})


def per_class_frame(report: MultilabelReport) -> pd.DataFrame:
    return pd.DataFrame(report.per_class_table()).set_index("class")


def answer_sizes(predictions: np.ndarray) -> dict[str, float]:
    """How many labels the parser says per image, on average, and how often it says none."""
    counts = np.asarray(predictions).sum(axis=1)
    return {
        "labels per image": float(counts.mean()),
        "share with no label": float(np.mean(counts == 0)),
    }


def number_columns(frame: pd.DataFrame, integer_columns: Sequence[str] = ()) -> dict:
    """Column settings that show scores with three decimals and counts as whole numbers.

    (Column settings rather than a pandas Styler: the Styler is several times slower to
    send, and the page redraws its tables on every slider move.)
    """
    return {
        str(column): st.column_config.NumberColumn(
            format="%d" if column in integer_columns else "%.3f"
        )
        for column in frame.columns
        if pd.api.types.is_numeric_dtype(frame[column])
    }


def show_score_table(frame: pd.DataFrame, integer_columns: Sequence[str] = ()) -> None:
    """A table of scores, tall enough for every row: a score table that scrolls hides scores."""
    st.dataframe(
        frame,
        column_config=number_columns(frame, integer_columns),
        height=ROW_HEIGHT * (len(frame) + 1) + 3,
    )
