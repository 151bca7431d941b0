"""Plotly figures for lesson 2: reading a multilabel model's output.

Like every chart in the course, each one prints its numbers on the marks (and the page
shows them in a table as well), so colour is never the only way to read them. Symbols on
the gallery bars carry the verdict on each label:

- ✔ said, and the shape is in the image (a right label);
- ✘ said, but the shape is not in the image (a wrong label);
- ○ not said, but the shape is in the image (a missed label).

The page redraws about twenty figures whenever a slider moves. Building a plotly figure
through its validating constructors costs tens of milliseconds each (make_subplots alone
about 0.2 s), which made every slider move feel slow, so the figures here are written as
plain dictionaries and wrapped without validation (`_figure`). The tests draw every one
of them, and the browser test renders them, so a mistake in a spec still shows up.
"""

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from ui import palette
from ui.charts import PLOT_FONT

RIGHT = "✔"
WRONG = "✘"
MISSED = "○"

_SMALL_FONT = {"size": 12}
_MARKER_SYMBOLS = ("circle", "square", "diamond", "x")


def _figure(data: list[dict], layout: dict) -> go.Figure:
    # `_validate=False` skips plotly's property-by-property checks, which dominate the time
    # of building these small figures (see the module docstring). plotly is pinned.
    return go.Figure({"data": data, "layout": layout}, _validate=False)


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
    values = [float(probability) for probability in probabilities]
    texts = [
        f"{value:.2f} {verdict_symbol(bool(s), bool(p))}".strip()
        for value, s, p in zip(values, said, present, strict=True)
    ]
    data = [
        {
            "type": "bar",
            "x": values,
            "y": names,
            "orientation": "h",
            "marker": {"color": [palette.SIGMOID if s else palette.GREY for s in said]},
            "text": texts,
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{y}: %{x:.3f}<extra></extra>",
            "showlegend": False,
        }
    ]
    if thresholds is not None:
        data.append(
            {
                "type": "scatter",
                "x": [float(threshold) for threshold in thresholds],
                "y": names,
                "mode": "markers",
                "marker": {
                    "symbol": "line-ns",
                    "size": 16,
                    "line": {"width": 3, "color": "black"},
                },
                "hovertemplate": "threshold of %{y}: %{x:.2f}<extra></extra>",
                "showlegend": False,
            }
        )
    layout = {
        "height": 210,
        "margin": {"l": 4, "r": 44, "t": 4, "b": 4},
        "font": _SMALL_FONT,
        "xaxis": {"range": [0, 1], "tickvals": [0, 0.5, 1], "showgrid": False},
        "yaxis": {"autorange": "reversed"},
        "bargap": 0.25,
    }
    return _figure(data, layout)


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
    gap_x, gap_y = 0.06, 0.16
    width = (1 - gap_x * (columns - 1)) / columns
    height = (1 - gap_y * (rows - 1)) / rows
    data, layout = [], {}
    annotations = []
    for index, (name, curve, point) in enumerate(
        zip(class_names, curves, operating_points, strict=True)
    ):
        row, column = divmod(index, columns)
        suffix = "" if index == 0 else str(index + 1)
        left = column * (width + gap_x)
        top = 1 - row * (height + gap_y)
        x_axis = {
            "domain": [left, left + width],
            "range": [0, 1.03],
            "tickvals": [0, 0.5, 1],
            "anchor": f"y{suffix}",
        }
        y_axis = {
            "domain": [top - height, top],
            "range": [0, 1.05],
            "tickvals": [0, 0.5, 1],
            "anchor": f"x{suffix}",
        }
        if row == rows - 1:
            x_axis["title"] = {"text": "recall"}
        if column == 0:
            y_axis["title"] = {"text": "precision"}
        layout[f"xaxis{suffix}"] = x_axis
        layout[f"yaxis{suffix}"] = y_axis
        annotations.append(
            {
                "text": name,
                "x": left + width / 2,
                "y": top,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 15},
            }
        )
        precision, recall, threshold = point
        where = "" if threshold is None else f"t={threshold:.2f} "
        data += [
            {
                "type": "scatter",
                "x": curve.recall,
                "y": curve.precision,
                "xaxis": f"x{suffix}",
                "yaxis": f"y{suffix}",
                "mode": "lines",
                "line": {"color": palette.SIGMOID, "width": 2, "shape": "hv"},
                "hovertemplate": "recall %{x:.3f}, precision %{y:.3f}<extra></extra>",
                "showlegend": False,
            },
            {
                "type": "scatter",
                "x": [recall],
                "y": [precision],
                "xaxis": f"x{suffix}",
                "yaxis": f"y{suffix}",
                "mode": "markers+text",
                "marker": {"size": 13, "color": palette.VERMILLION, "symbol": "diamond"},
                "text": [f"{where}P {precision:.2f} R {recall:.2f}"],
                "textposition": "bottom left" if recall > 0.5 else "bottom right",
                "hovertemplate": "your setting: recall %{x:.3f}, precision %{y:.3f}<extra></extra>",
                "showlegend": False,
            },
        ]
    layout.update(
        height=260 * rows + 60,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        font=PLOT_FONT,
        annotations=annotations,
    )
    return _figure(data, layout)


def scores_against_threshold(
    thresholds: Sequence[float], series: dict[str, Sequence[float]], current: float
) -> go.Figure:
    """How each score moves as one global threshold sweeps from low to high."""
    data = [
        {
            "type": "scatter",
            "x": list(thresholds),
            "y": list(values),
            "mode": "lines+markers",
            "name": name,
            "line": {"color": palette.colour_for(index), "width": 2},
            "marker": {"size": 6, "symbol": _MARKER_SYMBOLS[index % len(_MARKER_SYMBOLS)]},
            "hovertemplate": "threshold %{x:.2f}: %{y:.3f}<extra>" + name + "</extra>",
        }
        for index, (name, values) in enumerate(series.items())
    ]
    layout = {
        "height": 330,
        "margin": {"l": 10, "r": 10, "t": 50, "b": 10},
        "font": PLOT_FONT,
        "xaxis": {"title": {"text": "global threshold"}, "range": [0, 1]},
        "yaxis": {"title": {"text": "score"}, "range": [0, 1.02]},
        "legend": {"orientation": "h", "y": 1.2, "x": 0},
        "shapes": [
            {
                "type": "line",
                "x0": current,
                "x1": current,
                "y0": 0,
                "y1": 1,
                "yref": "paper",
                "line": {"color": "black", "dash": "dash"},
            }
        ],
        "annotations": [
            {
                "text": f"your threshold {current:.2f}",
                "x": current,
                "y": 1,
                "yref": "paper",
                "yanchor": "bottom",
                "showarrow": False,
            }
        ],
    }
    return _figure(data, layout)


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
    data = [
        {
            "type": "bar",
            "name": name,
            "x": list(categories),
            "y": [float(value) for value in values],
            "marker": {"color": palette.colour_for(index)},
            "text": [format(float(value), value_format) for value in values],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{x}: %{y:" + value_format + "}<extra>" + name + "</extra>",
        }
        for index, (name, values) in enumerate(series.items())
    ]
    yaxis = {"title": {"text": y_title}}
    if y_range is not None:
        yaxis["range"] = list(y_range)
    layout = {
        "barmode": "group",
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "font": PLOT_FONT,
        "yaxis": yaxis,
        "legend": {"orientation": "h", "y": 1.15, "x": 0},
        "showlegend": len(series) > 1,
    }
    return _figure(data, layout)


def label_frequency_bars(class_names: Sequence[str], counts: Sequence[int], total: int):
    """How many images hold each shape, as counts and shares."""
    counts = [int(count) for count in counts]
    data = [
        {
            "type": "bar",
            "x": list(class_names),
            "y": counts,
            "marker": {"color": palette.SIGMOID},
            "text": [f"{count} ({count / total:.0%})" for count in counts],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{x}: %{y} images<extra></extra>",
        }
    ]
    layout = {
        "height": 320,
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "font": PLOT_FONT,
        "yaxis": {
            "title": {"text": "images holding the shape"},
            "range": [0, max(counts) * 1.2 + 1],
        },
    }
    return _figure(data, layout)


def co_occurrence_heatmap(class_names: Sequence[str], matrix) -> go.Figure:
    """How many images hold both shapes of each pair; the diagonal is each shape's count."""
    matrix = np.asarray(matrix).astype(int).tolist()
    names = list(class_names)
    data = [
        {
            "type": "heatmap",
            "z": matrix,
            "x": names,
            "y": names,
            "text": matrix,
            "texttemplate": "%{text}",
            "textfont": {"size": 14},
            "colorscale": palette.PROBABILITY_SCALE,
            "colorbar": {"title": {"text": "images"}},
            "hovertemplate": "%{y} and %{x}: %{z} images<extra></extra>",
        }
    ]
    layout = {
        "height": 400,
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "font": PLOT_FONT,
        "yaxis": {"autorange": "reversed"},
    }
    return _figure(data, layout)
