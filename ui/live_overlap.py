"""Lesson 1, live: a softmax and a sigmoid model trained side by side on overlapping labels.

The learner sets the network and the data, trains both models through the training
panel, then compares what they learned: each model's probability map for each label with
the region it predicts at 0.5, both models' outputs at a point of their choosing, and
per-label F1 and subset accuracy on fresh points. The settings live in the URL, so a
teacher can share a link to an exact state.

`live_overlap_section()` is called by the lesson 1 page. TensorFlow is imported inside
the function, behind a spinner, so that importing this module stays light.
"""

import functools

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from lessons import toy2d
from lessons.metrics import per_class_scores, subset_accuracy
from lessons.parsing import parse_with_threshold
from lessons.url_settings import SettingSpec
from ui import palette
from ui.training_panel import TrainedModel, training_panel
from ui.url_state import remember_and_share, restore_widget_values

OUTPUTS = ("softmax", "sigmoid")
OUTPUT_COLOURS = {"softmax": palette.SOFTMAX, "sigmoid": palette.SIGMOID}

# The controls, their safe bounds and defaults; each is also a URL parameter. The
# default run (both models) takes a few seconds on two cores.
SETTINGS = (
    SettingSpec("layers", int, 2, minimum=0, maximum=3),
    SettingSpec("units", int, 16, choices=(2, 4, 8, 16, 32, 64)),
    SettingSpec("lr", float, 0.01, choices=(0.001, 0.003, 0.01, 0.03, 0.1)),
    SettingSpec("epochs", int, 40, minimum=5, maximum=200, step=5),
    SettingSpec("points", int, 600, minimum=100, maximum=2000, step=100),
    SettingSpec("noise", float, 0.05, minimum=0.0, maximum=0.3, step=0.01),
)
SPECS = {spec.name: spec for spec in SETTINGS}
BATCH_SIZE = 32
DATA_SEED = 0
# Scores are measured on points the models never saw, drawn with the same noise.
HELD_OUT_SIZE = 1000
HELD_OUT_SEED = DATA_SEED + 1
# The largest settings train in well under this; it only stops runaway runs.
TIME_BUDGET_SECONDS = 60.0
GRID_RESOLUTION = 61
THRESHOLD = 0.5

# One marker shape per number of labels, so the overlap reads without colour.
SYMBOL_FOR_COUNT = {0: "x", 1: "circle", 2: "diamond", 3: "star"}
COUNT_NAMES = {0: "no label", 1: "one label", 2: "two labels", 3: "three labels"}


def live_overlap_section(key: str = "l1_live") -> None:
    """Lesson 1's live section: controls, the training panel, maps, a point probe, scores."""
    settings = settings_controls(key)
    with st.spinner("Loading TensorFlow (the first time takes a few seconds)…"):
        jobs = training_jobs(settings)
    trained = training_panel(jobs, key=key, colours=OUTPUT_COLOURS)
    if not trained:
        return
    models = {name: trained[name] for name in OUTPUTS if name in trained}
    trained_settings = next(iter(models.values())).settings
    if trained_settings != settings:
        st.caption(
            "The maps and scores below are for the models as last trained, with "
            f"{describe_settings(trained_settings)}."
        )
    probability_maps_view(models, trained_settings, key)
    point_probe_view(models, key)
    scores_view(models, trained_settings)


# Settings: widgets, mirrored in the URL.


def settings_controls(key: str) -> dict:
    """Draw the controls, starting from the URL on the first visit; return their values."""
    restore_widget_values(SETTINGS, f"{key}_settings", functools.partial(widget_key, key))
    left, middle, right = st.columns(3)
    with left:
        slider_for("layers", "Hidden layers", key)
        choice_slider_for("units", "Units per hidden layer", key)
    with middle:
        choice_slider_for("lr", "Learning rate", key)
        slider_for("epochs", "Epochs", key)
    with right:
        slider_for("points", "Points", key)
        slider_for("noise", "Label noise (chance each label is flipped)", key)
    values = {spec.name: st.session_state[widget_key(key, spec.name)] for spec in SETTINGS}
    remember_and_share(SETTINGS, f"{key}_settings", values)
    return values


def slider_for(name: str, label: str, key: str) -> None:
    spec = SPECS[name]
    step = spec.step if spec.step is not None else 1
    st.slider(label, spec.minimum, spec.maximum, step=step, key=widget_key(key, name))


def choice_slider_for(name: str, label: str, key: str) -> None:
    st.select_slider(label, options=list(SPECS[name].choices), key=widget_key(key, name))


def widget_key(key: str, name: str) -> str:
    return f"{key}_{name}"


def describe_settings(settings: dict) -> str:
    return (
        f"{settings['layers']} hidden layer(s) of {settings['units']} units, learning rate "
        f"{settings['lr']}, {settings['epochs']} epochs, {settings['points']} points, "
        f"label noise {settings['noise']:.2f}"
    )


# The training jobs.


def training_jobs(settings: dict) -> list:
    """One job per output: the same network, data and epochs, a different output layer."""
    from models.toy_models import build_toy_model, keras_script, training_targets
    from models.training import TrainingJob

    points, labels = toy2d.make_overlapping_labels(
        size=settings["points"], noise=settings["noise"], seed=DATA_SEED
    )
    network = {
        "hidden_layers": settings["layers"],
        "units": settings["units"],
        "learning_rate": settings["lr"],
    }
    jobs = []
    for output in OUTPUTS:
        x, y = training_targets(output, points, labels)
        script = keras_script(
            output,
            **network,
            epochs=settings["epochs"],
            batch_size=BATCH_SIZE,
            size=settings["points"],
            noise=settings["noise"],
            seed=DATA_SEED,
        )
        jobs.append(
            TrainingJob(
                name=output,
                build_model=functools.partial(build_toy_model, output, **network),
                x=x,
                y=y,
                epochs=settings["epochs"],
                batch_size=BATCH_SIZE,
                seed=DATA_SEED,
                time_budget_s=TIME_BUDGET_SECONDS,
                settings=settings,
                script=script,
            )
        )
    return jobs


# What the models learned.


def predict(trained: TrainedModel, points: np.ndarray) -> np.ndarray:
    """The model's outputs for `points`, one call (the models are small; no batching needed)."""
    import keras

    return keras.ops.convert_to_numpy(trained.model(points, training=False))


def probability_maps_view(models: dict[str, TrainedModel], settings: dict, key: str) -> None:
    st.markdown("#### What each model believes, label by label")
    st.caption(
        "Colour: the model's probability for the label. Line: where it crosses 0.5, the "
        "region the model says has the label. Markers: the training points, shaped by how "
        "many labels they carry, filled when they carry this row's label."
    )
    axis, grid = toy2d.plane_grid(GRID_RESOLUTION)
    maps = {name: predict(trained, grid) for name, trained in models.items()}
    points, labels = toy2d.make_overlapping_labels(
        size=settings["points"], noise=settings["noise"], seed=DATA_SEED
    )
    picked = picked_point(key)
    st.plotly_chart(
        probability_maps_figure(axis, maps, points, labels, picked), key=f"{key}_maps_chart"
    )
    with st.expander("The maps as numbers (a coarse grid)"):
        st.dataframe(coarse_grid_table(models), hide_index=True)


def probability_maps_figure(axis, maps, points, labels, picked) -> go.Figure:
    """One row per label, one column per model: probability heatmap, 0.5 line, points."""
    names = list(maps)
    figure = make_subplots(
        rows=len(toy2d.LABEL_NAMES),
        cols=len(names),
        subplot_titles=[f"{label}: {name}" for label in toy2d.LABEL_NAMES for name in names],
        horizontal_spacing=0.06,
        vertical_spacing=0.06,
    )
    size = len(axis)
    for row, label in enumerate(toy2d.LABEL_NAMES, start=1):
        for column, name in enumerate(names, start=1):
            z = maps[name][:, row - 1].reshape(size, size)
            figure.add_heatmap(
                x=axis,
                y=axis,
                z=z,
                zmin=0,
                zmax=1,
                colorscale=palette.PROBABILITY_SCALE,
                showscale=row == 1 and column == 1,
                colorbar={"title": "probability"},
                hovertemplate=f"{name}, {label}: "
                + "%{z:.2f} at (%{x:.2f}, %{y:.2f})<extra></extra>",
                row=row,
                col=column,
            )
            figure.add_contour(
                x=axis,
                y=axis,
                z=z,
                showscale=False,
                hoverinfo="skip",
                contours={"start": THRESHOLD, "end": THRESHOLD, "size": 1, "coloring": "lines"},
                line={"color": palette.VERMILLION, "width": 3},
                row=row,
                col=column,
            )
            add_points(figure, points, labels[:, row - 1], labels, row, column)
            figure.add_scatter(
                x=[picked[0]],
                y=[picked[1]],
                mode="markers",
                name="picked point",
                marker={
                    "symbol": "cross",
                    "size": 13,
                    "color": palette.VERMILLION,
                    "line": {"color": "white", "width": 1},
                },
                showlegend=row == 1 and column == 1,
                hoverinfo="skip",
                row=row,
                col=column,
            )
    figure.update_xaxes(range=list(toy2d.PLANE_LIMITS), constrain="domain")
    figure.update_yaxes(range=list(toy2d.PLANE_LIMITS), scaleanchor="x", constrain="domain")
    figure.update_layout(
        height=330 * len(toy2d.LABEL_NAMES),
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "y": -0.03, "x": 0},
    )
    return figure


def add_points(figure, points, has_label, labels, row, column) -> None:
    """The training points: shape by number of labels, filled if they carry this label."""
    counts = toy2d.labels_per_point(labels)
    first_panel = row == 1 and column == 1
    for count, symbol in SYMBOL_FOR_COUNT.items():
        for carries in (True, False):
            chosen = (counts == count) & (has_label.astype(bool) == carries)
            if not chosen.any():
                continue
            figure.add_scatter(
                x=points[chosen, 0],
                y=points[chosen, 1],
                mode="markers",
                name=COUNT_NAMES[count] + ("" if carries else ", not this label"),
                legendgroup=f"{count}-{carries}",
                showlegend=first_panel,
                marker={
                    "symbol": symbol if carries or count == 0 else f"{symbol}-open",
                    "size": 6,
                    "color": "white" if carries else palette.GREY,
                    "line": {"color": "black", "width": 0.5},
                },
                hoverinfo="skip",
                row=row,
                col=column,
            )


def coarse_grid_table(models: dict[str, TrainedModel]) -> pd.DataFrame:
    """Both models' outputs on a 5 x 5 grid of points: the maps' numbers, in text."""
    ticks = np.linspace(*toy2d.PLANE_LIMITS, 5)
    points = np.array([(x, y) for y in ticks[::-1] for x in ticks], dtype=np.float32)
    table = pd.DataFrame({"x": points[:, 0], "y": points[:, 1]})
    for name, trained in models.items():
        outputs = predict(trained, points)
        for index, label in enumerate(toy2d.LABEL_NAMES):
            table[f"{label} ({name})"] = outputs[:, index].round(3)
    return table


# Reading both models at one point.


def picked_point(key: str) -> tuple[float, float]:
    """The point the learner picked (the centre of the plane until they pick one)."""
    # Set before the number inputs are drawn, which otherwise start at their minimum.
    x = st.session_state.setdefault(f"{key}_probe_x", 0.0)
    y = st.session_state.setdefault(f"{key}_probe_y", 0.0)
    return float(x), float(y)


def point_probe_view(models: dict[str, TrainedModel], key: str) -> None:
    st.markdown("#### Both models at one point")
    picked_point(key)
    x_column, y_column = st.columns(2)
    x = x_column.number_input("x", -1.0, 1.0, step=0.05, key=f"{key}_probe_x")
    y = y_column.number_input("y", -1.0, 1.0, step=0.05, key=f"{key}_probe_y")
    st.dataframe(point_table(models, x, y), hide_index=True)
    st.caption(
        "The softmax column always adds up to 1, however many labels the point has. "
        "Try the middle of the plane, where all three labels meet, and a corner, where "
        "there is none."
    )


def point_table(models: dict[str, TrainedModel], x: float, y: float) -> pd.DataFrame:
    point = np.array([[x, y]], dtype=np.float32)
    truth = toy2d.labels_from_regions(point)[0]
    table = pd.DataFrame({"label": [*toy2d.LABEL_NAMES, "sum"]})
    for name, trained in models.items():
        outputs = predict(trained, point)[0]
        table[name] = [*outputs.round(3), round(float(outputs.sum()), 3)]
    # Text throughout: a table column must hold one type.
    table["truly has the label (inside its disc)"] = [
        *("yes" if t else "no" for t in truth),
        str(int(truth.sum())),
    ]
    return table


# Scores on fresh points.


def scores_view(models: dict[str, TrainedModel], settings: dict) -> None:
    st.markdown("#### Scores on fresh points")
    st.dataframe(scores_table(models, settings), hide_index=True)
    st.caption(
        f"Measured on {HELD_OUT_SIZE} new points with the same label noise, each label "
        f"predicted when its probability is at least {THRESHOLD}. Softmax can pass 0.5 "
        "for at most one label, so every point with two or three labels is one it gets "
        "wrong as a whole."
    )


def scores_table(models: dict[str, TrainedModel], settings: dict) -> pd.DataFrame:
    """Per-label F1 and subset accuracy of each model at the 0.5 threshold."""
    points, labels = toy2d.make_overlapping_labels(
        size=HELD_OUT_SIZE, noise=settings["noise"], seed=HELD_OUT_SEED
    )
    truth = labels.astype(int)
    rows = [f"F1 for {label}" for label in toy2d.LABEL_NAMES] + ["subset accuracy"]
    table = pd.DataFrame({"score": rows})
    for name, trained in models.items():
        predicted = parse_with_threshold(predict(trained, points), THRESHOLD)
        f1 = per_class_scores(truth, predicted).f1
        table[name] = [*np.round(f1, 3), round(subset_accuracy(truth, predicted), 3)]
    return table
