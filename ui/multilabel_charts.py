"""Plotly figures for lesson 2: reading a multilabel model's output.

Like every chart in the course, each one prints its numbers on the marks (and the page
shows them in a table as well), so colour is never the only way to read it. Symbols on
the gallery bars carry the verdict on each label:

- ✔ said, and the shape is in the image (a right label);
- ✘ said, but the shape is not in the image (a wrong label);
- ○ not said, but the shape is in the image (a missed label).
"""

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ui import palette
from ui.charts import PLOT_FONT

RIGHT = "✔"
WRONG = "✘"
MISSED = "○"

_SMALL_FONT = {"size": 12}


def verdict_symbol(said: bool, present: bool) -> str:
    """The symbol that marks one label of one image ('' when not said and not there)."""
    if said:
        return RIGHT if present else WRONG
    return MISSED if present else ""


def image_probability_bars(
    class_names: Sequence[str],
    probabilities: Sequence[float],
    said: Sequence[int],
    present: Sequence[int],
    thresholds: Sequence[float] | None,
) -> go.Figure:
    """One image's sigmoid outputs as horizontal bars, with its thresholds and verdicts.

    Labels the parser said are drawn in the sigmoid colour, the others in grey; the text
    on each bar gives the probability and the verdict symbol. `thresholds` (one per
    class) are drawn as vertical ticks; None when the strategy uses none (top-k).
    """
    names = list(class_names)
    texts = [
        f"{probability:.2f} {verdict_symbol(bool(s), bool(p))}".strip()
        for probability, s, p in zip(probabilities, said, present, strict=True)
    ]
    figure = go.Figure()
    figure.add_bar(
        x=list(probabilities),
        y=names,
        orientation="h",
        marker_color=[palette.SIGMOID if s else palette.GREY for s in said],
        text=texts,
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{y}: %{x:.3f}<extra></extra>",
        showlegend=False,
    )
    if thresholds is not None:
        figure.add_scatter(
            x=list(thresholds),
            y=names,
            mode="markers",
            marker={"symbol": "line-ns", "size": 16, "line": {"width": 3, "color": "black"}},
            hovertemplate="threshold of %{y}: %{x:.2f}<extra></extra>",
            showlegend=False,
        )
    figure.update_layout(
        height=210,
        margin={"l": 4, "r": 44, "t": 4, "b": 4},
        font=_SMALL_FONT,
        xaxis={"range": [0, 1], "tickvals": [0, 0.5, 1], "showgrid": False},
        yaxis={"autorange": "reversed"},
        bargap=0.25,
    )
    return figure


def precision_recall_grid(
    class_names: Sequence[str],
    curves,
    operating_points: Sequence[tuple[float, float, float | None]],
    columns: int = 3,
) -> go.Figure:
    """One precision-recall curve per class, with the operating point the settings pick.

    `curves` are `lessons.metrics.PrecisionRecallCurve`s; each operating point is
    (precision, recall, threshold), the threshold None for rules that have none.
    """
    rows = int(np.ceil(len(class_names) / columns))
    figure = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=list(class_names),
        horizontal_spacing=0.06,
        vertical_spacing=0.14,
    )
    for index, (curve, point) in enumerate(zip(curves, operating_points, strict=True)):
        row, column = divmod(index, columns)
        precision, recall, threshold = point
        figure.add_scatter(
            x=curve.recall,
            y=curve.precision,
            mode="lines",
            line={"color": palette.SIGMOID, "width": 2, "shape": "hv"},
            hovertemplate="recall %{x:.3f}, precision %{y:.3f}<extra></extra>",
            showlegend=False,
            row=row + 1,
            col=column + 1,
        )
        where = "" if threshold is None else f"t={threshold:.2f} "
        figure.add_scatter(
            x=[recall],
            y=[precision],
            mode="markers+text",
            marker={"size": 13, "color": palette.VERMILLION, "symbol": "diamond"},
            text=[f"{where}P {precision:.2f} R {recall:.2f}"],
            textposition="bottom left" if recall > 0.5 else "bottom right",
            hovertemplate="your setting: recall %{x:.3f}, precision %{y:.3f}<extra></extra>",
            showlegend=False,
            row=row + 1,
            col=column + 1,
        )
    figure.update_xaxes(range=[0, 1.03], tickvals=[0, 0.5, 1], title_text="recall", row=rows)
    figure.update_xaxes(range=[0, 1.03], tickvals=[0, 0.5, 1])
    figure.update_yaxes(range=[0, 1.05], tickvals=[0, 0.5, 1])
    figure.update_yaxes(title_text="precision", col=1)
    figure.update_layout(
        height=260 * rows + 40,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        font=PLOT_FONT,
    )
    return figure


def scores_against_threshold(
    thresholds: Sequence[float], series: dict[str, Sequence[float]], current: float
) -> go.Figure:
    """How each score moves as one global threshold sweeps from low to high."""
    figure = go.Figure()
    for index, (name, values) in enumerate(series.items()):
        figure.add_scatter(
            x=list(thresholds),
            y=list(values),
            mode="lines+markers",
            name=name,
            line={"color": palette.colour_for(index), "width": 2},
            marker={"size": 5, "symbol": ("circle", "square", "diamond", "x")[index % 4]},
            hovertemplate="threshold %{x:.2f}: %{y:.3f}<extra>" + name + "</extra>",
        )
    figure.add_vline(
        x=current,
        line={"color": "black", "dash": "dash"},
        annotation_text=f"your threshold {current:.2f}",
        annotation_position="top",
    )
    figure.update_layout(
        height=330,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        font=PLOT_FONT,
        xaxis={"title": "global threshold", "range": [0, 1]},
        yaxis={"title": "score", "range": [0, 1.02]},
        legend={"orientation": "h", "y": 1.2, "x": 0},
    )
    return figure


def grouped_bars(
    categories: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    y_title: str,
    value_format: str = ".2f",
    y_range: tuple[float, float] | None = (0.0, 1.12),
    height: int = 360,
) -> go.Figure:
    """Bars grouped by category, one member per named series, values printed on them."""
    figure = go.Figure()
    for index, (name, values) in enumerate(series.items()):
        figure.add_bar(
            name=name,
            x=list(categories),
            y=list(values),
            marker_color=palette.colour_for(index),
            text=[format(value, value_format) for value in values],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y:" + value_format + "}<extra>" + name + "</extra>",
        )
    figure.update_layout(
        barmode="group",
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        font=PLOT_FONT,
        yaxis={"title": y_title, "range": list(y_range) if y_range else None},
        legend={"orientation": "h", "y": 1.15, "x": 0},
        showlegend=len(series) > 1,
    )
    return figure


def label_frequency_bars(class_names: Sequence[str], counts: Sequence[int], total: int):
    """How many images hold each shape, as counts and shares."""
    figure = go.Figure()
    figure.add_bar(
        x=list(class_names),
        y=list(counts),
        marker_color=palette.SIGMOID,
        text=[f"{count} ({count / total:.0%})" for count in counts],
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{x}: %{y} images<extra></extra>",
    )
    figure.update_layout(
        height=320,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        font=PLOT_FONT,
        yaxis={"title": "images holding the shape", "range": [0, max(counts) * 1.2 + 1]},
    )
    return figure


def co_occurrence_heatmap(class_names: Sequence[str], matrix) -> go.Figure:
    """How many images hold both shapes of each pair; the diagonal is each shape's count."""
    matrix = np.asarray(matrix)
    names = list(class_names)
    figure = go.Figure(
        go.Heatmap(
            z=matrix,
            x=names,
            y=names,
            text=matrix,
            texttemplate="%{text}",
            textfont={"size": 14},
            colorscale=palette.PROBABILITY_SCALE,
            colorbar={"title": "images"},
            hovertemplate="%{y} and %{x}: %{z} images<extra></extra>",
        )
    )
    figure.update_layout(
        height=400,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        font=PLOT_FONT,
        yaxis={"autorange": "reversed"},
    )
    return figure
