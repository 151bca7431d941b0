"""Views for lesson 3: architecture diagrams, boxes drawn on images, results and sweep charts.

Nothing here imports TensorFlow: the page hands over plain numbers and arrays. The
diagrams are Graphviz DOT text (Streamlit draws them without the graphviz package).
Each model keeps one colour and one line style everywhere, so that its boxes, its rows
and its curves can be matched without relying on colour alone.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ui import palette
from ui.charts import PLOT_FONT

SWEEP_PATH = Path(__file__).resolve().parents[1] / "models" / "sharing_sweep.json"

TITLES = {
    "classifier": "class only",
    "box_regressor": "box only",
    "hard_sharing": "hard sharing",
    "soft_sharing": "soft sharing",
}


@dataclass(frozen=True)
class LineStyle:
    colour: str
    dash: str
    description: str


STYLES = {
    "truth": LineStyle("#000000", "solid", "black, solid (over a thin white line)"),
    "classifier": LineStyle(palette.BLUE, "solid", "blue, solid"),
    "box_regressor": LineStyle(palette.ORANGE, "dash", "orange, dashes"),
    "hard_sharing": LineStyle(palette.VERMILLION, "dot", "vermillion, dots"),
    "soft_sharing": LineStyle(palette.GREEN, "dashdot", "green, dash-dot"),
}

# The row of a model that learned nothing, in the lesson's tables and the benchmark's.
BASELINE_TITLE = "learned nothing (majority class, mean box)"


def job_colours() -> dict[str, str]:
    """The line colour of each model in the live training chart, by its job name."""
    return {TITLES[variant]: STYLES[variant].colour for variant in TITLES}


# --- Architecture diagrams ----------------------------------------------------------------

_TOWER_TEXT = "3 conv blocks\\n(8, 16, 32 filters)\\n+ dense 64"


def architecture_dot(variant: str, tower_parameters: int, total_parameters: int) -> str:
    """A left-to-right Graphviz diagram of one model, with its weight counts."""
    tower = f"{_TOWER_TEXT}\\n{tower_parameters:,} weights"
    class_head = 'class_head [label="softmax, 6 units\\nclass", shape=box, style=rounded];'
    box_head = 'box_head [label="sigmoid, 4 units\\nbox x0 y0 x1 y1", shape=box, style=rounded];'
    body = {
        "classifier": [
            f'tower [label="tower\\n{tower}"];',
            class_head,
            "image -> tower -> class_head;",
        ],
        "box_regressor": [
            f'tower [label="tower\\n{tower}"];',
            box_head,
            "image -> tower -> box_head;",
        ],
        "hard_sharing": [
            f'trunk [label="shared trunk\\n{tower}", penwidth=2];',
            class_head,
            box_head,
            "image -> trunk; trunk -> class_head; trunk -> box_head;",
        ],
        "soft_sharing": [
            f'class_tower [label="class tower\\n{tower}"];',
            f'box_tower [label="box tower\\n{tower}"];',
            class_head,
            box_head,
            "image -> class_tower -> class_head; image -> box_tower -> box_head;",
            "class_tower -> box_tower [dir=both, style=dashed, constraint=false, "
            'label="  penalty λ·Σ‖W_class − W_box‖²", fontsize=10];',
        ],
    }[variant]
    lines = [
        "digraph {",
        "  rankdir=LR;",
        '  node [shape=box, fontname="sans-serif", fontsize=11];',
        '  edge [fontname="sans-serif"];',
        '  image [label="image\\n64 × 64 × 3", shape=plain];',
        *(f"  {line}" for line in body),
        f'  label="{TITLES[variant]}: {total_parameters:,} weights"; labelloc=t;',
        "}",
    ]
    return "\n".join(lines)


def architecture_text(variant: str, tower_parameters: int, total_parameters: int) -> str:
    """The diagram in one sentence, for screen readers."""
    tower = f"a tower of {tower_parameters:,} weights"
    body = {
        "classifier": f"the image goes through {tower} to a softmax class head",
        "box_regressor": f"the image goes through {tower} to a sigmoid box head",
        "hard_sharing": f"the image goes through one shared trunk ({tower}) to both heads",
        "soft_sharing": (
            f"the image goes through two towers ({tower} each), one per head, whose "
            "weights a penalty pulls together"
        ),
    }[variant]
    return f"{TITLES[variant]}: {body}; {total_parameters:,} weights in all."


# --- Boxes on test images -----------------------------------------------------------------


def boxes_figure(
    images: np.ndarray,
    true_boxes: np.ndarray,
    captions: list[str],
    predicted_boxes: dict[str, np.ndarray],
    columns: int = 3,
) -> go.Figure:
    """Test images with the true box and each model's predicted box drawn on top.

    `predicted_boxes` maps a variant name to its boxes (one row per image). Boxes are
    normalised (x0, y0, x1, y1) on pixel edges, as shapes world makes them.
    """
    rows = int(np.ceil(len(images) / columns))
    figure = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=captions,
        horizontal_spacing=0.03,
        vertical_spacing=0.08,
    )
    size = images.shape[1]
    for index, image in enumerate(images):
        row, column = divmod(index, columns)
        figure.add_trace(
            go.Image(z=np.round(image * 255).astype(np.uint8), hoverinfo="skip"),
            row=row + 1,
            col=column + 1,
        )
        axis = "" if index == 0 else str(index + 1)
        _draw_box(figure, true_boxes[index], size, axis, "#FFFFFF", "solid", width=5)
        _draw_box(figure, true_boxes[index], size, axis, STYLES["truth"].colour, "solid")
        for variant, boxes in predicted_boxes.items():
            style = STYLES[variant]
            _draw_box(figure, boxes[index], size, axis, style.colour, style.dash)
    for name in ["truth", *predicted_boxes]:
        style = STYLES[name]
        # Shapes have no legend entry: an empty line trace per style gives them one.
        figure.add_scatter(
            x=[None],
            y=[None],
            mode="lines",
            name="true box" if name == "truth" else TITLES[name],
            line={"color": style.colour, "dash": style.dash, "width": 3},
        )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    figure.update_layout(
        height=330 * rows,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "y": -0.05, "x": 0},
        font=PLOT_FONT,
    )
    return figure


def _draw_box(figure, box, size: int, axis: str, colour: str, dash: str, width: int = 3):
    # Pixel i of a plotly image spans i - 0.5 to i + 0.5, and box edges sit on pixel edges.
    x0, y0, x1, y1 = np.asarray(box, dtype=float) * size - 0.5
    figure.add_shape(
        type="rect",
        x0=x0,
        y0=y0,
        x1=x1,
        y1=y1,
        xref=f"x{axis}",
        yref=f"y{axis}",
        line={"color": colour, "dash": dash, "width": width},
    )


def box_legend_table(variants) -> pd.DataFrame:
    """What each line on the images stands for, in words."""
    rows = [{"box": "the true box", "drawn as": STYLES["truth"].description}]
    rows += [
        {"box": f"{TITLES[variant]}'s prediction", "drawn as": STYLES[variant].description}
        for variant in variants
    ]
    return pd.DataFrame(rows)


# --- The shipped sweep --------------------------------------------------------------------


def read_sweep(path: Path = SWEEP_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def spread_text(summary: dict | None, digits: int = 3) -> str:
    if summary is None:
        return "–"
    return f"{summary['mean']:.{digits}f} ± {summary['std']:.{digits}f}"


def sweep_table(sweep: dict) -> pd.DataFrame:
    """The sweep's results by training-set size, mean ± spread over seeds, as text."""
    rows = [
        {
            "training images": row["size"],
            "epochs": str(row["epochs"]),
            "model": TITLES[row["variant"]],
            "parameters": f"{row['parameters']:,}",
            "class accuracy": spread_text(row["accuracy"]),
            "mean box IoU": spread_text(row["mean_iou"]),
        }
        for row in sweep["by_size"]
    ]
    rows += [
        {
            "training images": row["size"],
            "epochs": "–",
            "model": BASELINE_TITLE,
            "parameters": "0",
            "class accuracy": spread_text(row["majority_class_accuracy"]),
            "mean box IoU": spread_text(row["mean_box_iou"]),
        }
        for row in sweep["baselines"]
    ]
    return pd.DataFrame(rows).sort_values("training images", kind="stable")


def sweep_task_table(sweep: dict, metric: str) -> pd.DataFrame:
    """One task's scores by training-set size (rows) and model (columns), mean ± spread.

    `metric` is "accuracy" (the class head) or "mean_iou" (the box head); models without
    that head are left out, and the last column is the model that learned nothing.
    """
    baseline = {"accuracy": "majority_class_accuracy", "mean_iou": "mean_box_iou"}[metric]
    table: dict[int, dict[str, str]] = {}
    for row in sweep["by_size"]:
        if row[metric] is not None:
            table.setdefault(row["size"], {})[TITLES[row["variant"]]] = spread_text(row[metric])
    for row in sweep["baselines"]:
        table.setdefault(row["size"], {})["learned nothing"] = spread_text(row[baseline])
    frame = pd.DataFrame.from_dict(table, orient="index").sort_index()
    return frame.rename_axis("training images").reset_index()


def box_weight_table(sweep: dict) -> pd.DataFrame:
    """Hard sharing's two scores for each box-loss weight the benchmark tried."""
    return pd.DataFrame(
        [
            {
                "box loss weight": f"{row['box_weight']:g}",
                "class accuracy": spread_text(row["accuracy"]),
                "mean box IoU": spread_text(row["mean_iou"]),
            }
            for row in sweep.get("box_weights", [])
        ]
    )


def sweep_figure(sweep: dict) -> go.Figure:
    """Accuracy and IoU against training-set size, one line per model, error bars = spread."""
    figure = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=["class accuracy (test)", "mean box IoU (test)"],
        horizontal_spacing=0.1,
    )
    for column, (metric, baseline) in enumerate(
        (("accuracy", "majority_class_accuracy"), ("mean_iou", "mean_box_iou")), start=1
    ):
        for variant in TITLES:
            rows = [
                row
                for row in sweep["by_size"]
                if row["variant"] == variant and row[metric] is not None
            ]
            if rows:
                # Each model once in the legend: at its first chart.
                first = variant not in {trace.legendgroup for trace in figure.data}
                _add_line(figure, variant, rows, metric, column, first)
        baseline_rows = sweep["baselines"]
        figure.add_scatter(
            x=[row["size"] for row in baseline_rows],
            y=[row[baseline]["mean"] for row in baseline_rows],
            mode="lines",
            name="learned nothing",
            legendgroup="baseline",
            showlegend=column == 1,
            line={"color": palette.GREY, "dash": "dot", "width": 2},
            row=1,
            col=column,
        )
        sizes = sorted({row["size"] for row in sweep["by_size"]})
        figure.update_xaxes(
            type="log",
            title_text="training images",
            tickvals=sizes,
            ticktext=[f"{size:,}" for size in sizes],
            row=1,
            col=column,
        )
    figure.update_yaxes(range=[0, 1])
    figure.update_layout(
        height=380,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "y": -0.25, "x": 0},
        font=PLOT_FONT,
    )
    return figure


def _add_line(figure, variant: str, rows: list[dict], metric: str, column: int, legend: bool):
    """One model's means with their spread. The numbers are in the tables above the chart
    (labels on three or four lines that meet at the same sizes would cover each other)."""
    style = STYLES[variant]
    means = [row[metric]["mean"] for row in rows]
    figure.add_scatter(
        x=[row["size"] for row in rows],
        y=means,
        error_y={"array": [row[metric]["std"] for row in rows], "visible": True},
        mode="lines+markers",
        hovertemplate=f"{TITLES[variant]}, " + "%{x} images: %{y:.3f}<extra></extra>",
        name=TITLES[variant],
        legendgroup=variant,
        showlegend=legend,
        line={"color": style.colour, "dash": style.dash, "width": 3},
        row=1,
        col=column,
    )


def strength_label(strength: float) -> str:
    return "0" if strength == 0 else f"{strength:g}"


def continuum_figure(sweep: dict) -> go.Figure:
    """Accuracy, IoU and the distance between the towers against the soft-sharing strength."""
    rows = sweep["continuum"]
    labels = [strength_label(row["penalty_strength"]) for row in rows]
    series = (
        ("accuracy", "class accuracy", palette.BLUE, "solid"),
        ("mean_iou", "mean box IoU", palette.ORANGE, "dash"),
        ("relative_tower_distance", "distance between the towers", palette.GREEN, "dot"),
    )
    figure = go.Figure()
    for metric, name, colour, dash in series:
        means = [row[metric]["mean"] for row in rows]
        figure.add_scatter(
            x=labels,
            y=means,
            error_y={"array": [row[metric]["std"] for row in rows], "visible": True},
            mode="lines+markers+text",
            text=[f"{mean:.2f}" for mean in means],
            textposition="top center",
            name=name,
            line={"color": colour, "dash": dash, "width": 3},
        )
    figure.update_layout(
        height=380,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={"title": "soft-sharing strength λ (0 = independent towers)", "type": "category"},
        yaxis={"range": [0, 1.1], "title": "test score / relative distance"},
        legend={"orientation": "h", "y": -0.3, "x": 0},
        font=PLOT_FONT,
    )
    return figure


def continuum_table(sweep: dict) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "λ": strength_label(row["penalty_strength"]),
                "class accuracy": spread_text(row["accuracy"]),
                "mean box IoU": spread_text(row["mean_iou"]),
                "distance between the towers": spread_text(row["relative_tower_distance"]),
            }
            for row in sweep["continuum"]
        ]
    )
