"""Plotly figure builders shared by the lessons, and the number formats of their tables.

Every figure prints its numbers on the marks as well as in the hover text, so a
learner who cannot tell the colours apart, or is reading a screenshot, can still
read the values.
"""

from collections.abc import Callable, Mapping

import pandas as pd
import plotly.graph_objects as go

from ui import palette

PLOT_FONT = {"size": 14}


def signed(value: float, digits: int = 3) -> str:
    """A change with its sign, rounded first, so that -0.00004 reads +0.000, not -0.000."""
    rounded = round(float(value), digits) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{rounded:+.{digits}f}"


NumberFormat = str | Callable[[float], str]


def numbers_as_text(
    table: pd.DataFrame, formats: NumberFormat | Mapping[str, NumberFormat]
) -> pd.DataFrame:
    """A table's numbers as the learner reads them, and a dash where a number is missing.

    Streamlit draws a missing number as "None", whatever a Styler asks for, so tables
    with gaps (a model without a class head has no class accuracy) are shown as text.
    `formats` is one format for every column, or a format per column (the others are
    left as they are); a format is a pattern such as "{:.3f}" or a function.
    """
    per_column = formats if isinstance(formats, Mapping) else dict.fromkeys(table, formats)
    shown = table.copy()
    for column, number_format in per_column.items():
        show = number_format if callable(number_format) else number_format.format
        shown[column] = ["–" if pd.isna(value) else show(value) for value in table[column]]
    return shown


def probability_bars(
    class_names: list[str],
    series: dict[str, list[float]],
    colours: dict[str, str],
    digits: int = 3,
) -> go.Figure:
    """Grouped bars of probabilities per class, one group member per named series.

    `digits` is how many decimals the labels on the bars show: fewer for narrow charts,
    where long labels of neighbouring bars would run into each other.
    """
    figure = go.Figure()
    for name, values in series.items():
        figure.add_bar(
            name=name,
            x=class_names,
            y=values,
            marker_color=colours[name],
            text=[f"{value:.{digits}f}" for value in values],
            textposition="outside",
            hovertemplate="%{x}: %{y:.3f}<extra>" + name + "</extra>",
        )
    figure.update_layout(
        barmode="group",
        yaxis={"range": [0, 1.12], "title": "probability", "tickformat": ".1f"},
        legend={"orientation": "h", "y": 1.12, "x": 0},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        height=360,
        font=PLOT_FONT,
    )
    return figure


def softmax_and_sigmoid_bars(
    class_names, softmax_probs, sigmoid_probs, digits: int = 3
) -> go.Figure:
    return probability_bars(
        list(class_names),
        {"softmax": list(softmax_probs), "sigmoid": list(sigmoid_probs)},
        {"softmax": palette.SOFTMAX, "sigmoid": palette.SIGMOID},
        digits=digits,
    )
