"""The live-training panel: train models in the background and watch them learn.

A lesson hands the panel a list of training jobs (`models.training.TrainingJob`); the
panel draws a Train and a Stop button, a progress bar, a chart of loss and metrics that
grows while the models train, each job's status (including "waiting for a free trainer
(position N)" while the server is busy with other learners), and, once a model has
trained, a `.keras` download and a plain-Keras script that rebuilds it.

How it works, and why this way. In Streamlit 1.67 a click on a button inside a fragment
does not interrupt a script that is already running (`_fragment_run_should_not_preempt_script`
in streamlit/runtime/scriptrunner_utils/script_requests.py): a Stop button next to a
training loop that runs in the script would only be seen after training had finished.
So the jobs train on a thread of their own (`models.training.BackgroundTraining`), which
never touches Streamlit, and the panel is a fragment that, while training runs, reruns
itself a few times per second (`run_every`) to redraw from the thread's progress
records. Stop sets the thread's stop flag, which the engine checks before every batch.
A click elsewhere, a changed widget or a visit to another page does not disturb the
training; the records stay consistent because only the thread writes them. When the
last job ends, the panel reruns the whole page once so that the lesson below can use
the trained models. If the learner closes the tab, the training stops soon after.

Everything lives in `st.session_state["training_panel:<key>"]`, so reruns reuse the
trained models instead of training again. TensorFlow is imported only inside functions.
"""

import logging
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui import palette
from ui.charts import numbers_as_text

if TYPE_CHECKING:
    import keras

    from models.training import BackgroundTraining, ProgressSnapshot, TrainingJob

# How often the panel redraws while training: a few times per second is smooth enough
# for a growing curve and cheap for the server.
REDRAW_SECONDS = 0.3

# A learner whose browser has been gone this long no longer needs their training. The
# grace period covers a flaky connection; Streamlit itself keeps the session for
# `server.disconnectedSessionTTL` seconds.
ABANDONED_AFTER_SECONDS = 15.0

_STATE_PREFIX = "training_panel:"
_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainedModel:
    """A model the panel has trained (fully or in part), with what it was trained with."""

    name: str
    model: "keras.Model"
    progress: "ProgressSnapshot"
    settings: Mapping[str, object]

    @property
    def partly_trained(self) -> bool:
        return self.progress.partly_trained


def training_panel(
    jobs: Sequence["TrainingJob"],
    *,
    key: str,
    colours: Mapping[str, str] | None = None,
) -> dict[str, TrainedModel]:
    """Draw the panel for `jobs` and return the models trained so far, by job name.

    `key` names this panel's state (one per lesson section); `colours` maps job names to
    line colours (default: the palette's series colours in job order). A returned model
    may come from settings other than the current ones: its `settings` say which.
    """
    if not jobs:
        raise ValueError("The training panel needs at least one job.")
    colours = colours or {job.name: palette.colour_for(i) for i, job in enumerate(jobs)}
    run = current_run(key)
    # The fragment polls only while a run is under way; a full rerun of the page
    # decides again, so the polling ends with the run.
    polling = run is not None and run.is_running
    panel = st.fragment(_panel_body, run_every=REDRAW_SECONDS if polling else None)
    panel(tuple(jobs), key, dict(colours), polling)
    return trained_models(key)


def current_run(key: str) -> "BackgroundTraining | None":
    """The panel's latest run (under way or ended), or None before the first Train."""
    return st.session_state.get(_STATE_PREFIX + key)


def trained_models(key: str) -> dict[str, TrainedModel]:
    """The models of the panel's latest run whose training has ended, by job name."""
    run = current_run(key)
    if run is None:
        return {}
    trained = {}
    for progress in run.progress:
        snapshot = progress.snapshot()
        model = progress.model
        if model is not None and snapshot.status not in ("pending", "waiting", "training"):
            trained[snapshot.name] = TrainedModel(
                snapshot.name, model, snapshot, dict(progress.job.settings)
            )
    return trained


def _panel_body(jobs, key: str, colours: dict[str, str], polling: bool) -> None:
    run = current_run(key)
    running = run is not None and run.is_running
    if polling != running:
        # A run started (Train was pressed) or ended since the page last drew the panel:
        # rerun the whole page once, so that the panel polls exactly while training runs
        # and the lesson around it can use the trained models.
        st.rerun()
    _buttons(jobs, key, running)
    if run is None:
        st.caption("Nothing trained yet. Press **Train** to train: it takes a few seconds.")
        return
    snapshots = [progress.snapshot() for progress in run.progress]
    _progress_bar(snapshots, running, run.stop_requested)
    _job_statuses(snapshots)
    if _settings_changed(jobs, run):
        st.info(
            "The settings above have changed since these models were trained. "
            "Press **Train** to train with the new settings.",
            icon=":material/sync_problem:",
        )
    st.plotly_chart(history_figure(snapshots, colours), key=f"{key}_history_chart")
    if not running:
        _history_tables(snapshots)
        _downloads(run, key)


def _buttons(jobs, key: str, running: bool) -> None:
    train_column, stop_column = st.columns(2)
    train_column.button(
        "Train" if len(jobs) == 1 else f"Train {len(jobs)} models",
        key=f"{key}_train",
        type="primary",
        icon=":material/play_arrow:",
        disabled=running,
        on_click=_start_training,
        args=(jobs, key),
        width="stretch",
    )
    stop_column.button(
        "Stop",
        key=f"{key}_stop",
        icon=":material/stop:",
        disabled=not running,
        on_click=_stop_training,
        args=(key,),
        width="stretch",
    )


def _start_training(jobs, key: str) -> None:
    """The Train button's callback: replace the last run by a new one and start it."""
    from models.training import BackgroundTraining

    previous = current_run(key)
    if previous is not None and previous.is_running:
        return  # a double click: the first one already started training
    run = BackgroundTraining(list(jobs), should_stop=_browser_gone_watch())
    st.session_state[_STATE_PREFIX + key] = run
    run.start()
    # Callbacks run before the script: the page that follows draws the polling panel.


def _stop_training(key: str) -> None:
    run = current_run(key)
    if run is not None:
        run.stop()


def _browser_gone_watch() -> Callable[[], bool]:
    """A stop condition that turns true once this learner's browser has been gone a while.

    It is called before every batch, so it looks at the server at most once a second.
    Outside a running server (tests, scripts) it never stops anything.
    """
    from streamlit import runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    context = get_script_run_ctx()
    if context is None or not runtime.exists():
        return lambda: False
    session_id, server = context.session_id, runtime.get_instance()
    state = {"checked_at": 0.0, "gone_since": None, "reported": False}

    def browser_gone() -> bool:
        now = time.monotonic()
        if now - state["checked_at"] >= 1.0:
            state["checked_at"] = now
            if server.is_active_session(session_id):
                state["gone_since"] = None
            elif state["gone_since"] is None:
                state["gone_since"] = now
        gone_since = state["gone_since"]
        gone = gone_since is not None and now - gone_since > ABANDONED_AFTER_SECONDS
        if gone and not state["reported"]:
            # In the server's log, so that whoever runs the course can see why a run ended.
            state["reported"] = True
            _LOGGER.warning(
                "Session %s: the browser has been gone for %.0f s; stopping its training.",
                session_id,
                ABANDONED_AFTER_SECONDS,
            )
        return gone

    return browser_gone


def _progress_bar(snapshots, running: bool, stop_requested: bool) -> None:
    done = sum(snapshot.epochs_done for snapshot in snapshots)
    planned = sum(snapshot.epochs_planned for snapshot in snapshots)
    if running:
        text = "Stopping…" if stop_requested else _running_text(snapshots)
    else:
        text = f"{done} of {planned} epochs trained"
        if len(snapshots) > 1:
            text += f" ({len(snapshots)} models together)"
    st.progress(min(done / planned, 1.0), text=text)


def _running_text(snapshots) -> str:
    for snapshot in snapshots:
        if snapshot.status == "waiting":
            return f"Waiting for a free trainer (position {snapshot.queue_position})"
        if snapshot.status == "training":
            return (
                f"Training {snapshot.name}: epoch {snapshot.epochs_done} "
                f"of {snapshot.epochs_planned}"
            )
    return "Starting…"


def status_text(snapshot: "ProgressSnapshot") -> str:
    """One line saying where a job stands, in the learner's words."""
    done, planned = snapshot.epochs_done, snapshot.epochs_planned
    match snapshot.status:
        case "pending":
            return "waits for its turn"
        case "waiting":
            return f"waiting for a free trainer (position {snapshot.queue_position})"
        case "training":
            return f"training: epoch {done} of {planned}"
        case "finished":
            return f"trained: {done} epochs in {snapshot.elapsed_seconds:.1f} s"
        case "stopped" if done == 0:
            return "stopped before it started: not trained"
        case "stopped":
            return f"stopped after {done} of {planned} epochs: partly trained"
        case "time budget":
            return f"hit the time budget after {done} of {planned} epochs: partly trained"
        case _:
            return f"training failed after {done} epochs ({snapshot.error})"


def _job_statuses(snapshots) -> None:
    for snapshot in snapshots:
        st.markdown(f"**{snapshot.name}**: {status_text(snapshot)}")


def _settings_changed(jobs, run) -> bool:
    trained_with = [dict(progress.job.settings) for progress in run.progress]
    return trained_with != [dict(job.settings) for job in jobs]


def history_figure(
    snapshots: Sequence["ProgressSnapshot"], colours: Mapping[str, str]
) -> go.Figure:
    """Loss and metrics per epoch: one small chart per quantity, one line per job.

    The charts sit side by side on axes laid out by hand: `make_subplots` costs about ten
    times more, and this figure is rebuilt a few times per second while models train.
    """
    quantities = list(dict.fromkeys(name for s in snapshots for name in s.history)) or ["loss"]
    gap = 0.06
    width = (1 - gap * (len(quantities) - 1)) / len(quantities)
    layout = {
        "height": 300,
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "legend": {"orientation": "h", "y": -0.3, "x": 0},
        "annotations": [],
    }
    traces = []
    # Each job once in the legend, at its first line (not every job has every quantity).
    in_legend = set()
    for index, quantity in enumerate(quantities):
        suffix = "" if index == 0 else str(index + 1)
        left = index * (width + gap)
        layout[f"xaxis{suffix}"] = {
            "domain": [left, left + width],
            "anchor": f"y{suffix}",
            "title": {"text": "epoch"},
            "rangemode": "tozero",
        }
        layout[f"yaxis{suffix}"] = {"anchor": f"x{suffix}"}
        layout["annotations"].append(
            {
                "text": quantity.replace("_", " "),
                "x": left + width / 2,
                "y": 1.0,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
            }
        )
        for snapshot in snapshots:
            values = snapshot.history.get(quantity)
            if values:
                first = snapshot.name not in in_legend
                in_legend.add(snapshot.name)
                traces.append(_history_line(snapshot.name, values, colours, suffix, first))
    return go.Figure(data=traces, layout=layout)


def _history_line(name, values, colours, axis_suffix: str, in_legend: bool) -> dict:
    return {
        "type": "scatter",
        "x": list(range(1, len(values) + 1)),
        "y": values,
        "mode": "lines",
        "name": name,
        "legendgroup": name,
        "showlegend": in_legend,
        "line": {"color": colours.get(name, palette.GREY), "width": 2},
        "hovertemplate": f"{name}, epoch " + "%{x}: %{y:.3f}<extra></extra>",
        "xaxis": f"x{axis_suffix}",
        "yaxis": f"y{axis_suffix}",
    }


def _history_tables(snapshots) -> None:
    """The chart's numbers as text: the last epoch of each job, and every epoch on demand."""
    last = {
        snapshot.name: {name: values[-1] for name, values in snapshot.history.items()}
        for snapshot in snapshots
        if snapshot.history
    }
    if not last:
        return
    # A job without a quantity (a box-only model has no class loss) shows a dash.
    st.dataframe(
        numbers_as_text(pd.DataFrame(last).T.rename_axis("model"), "{:.4f}"), width="content"
    )
    with st.expander("Every epoch, as numbers"):
        for snapshot in snapshots:
            if snapshot.history:
                table = pd.DataFrame(snapshot.history)
                table.index = table.index + 1
                st.caption(snapshot.name)
                st.dataframe(numbers_as_text(table.rename_axis("epoch"), "{:.4f}"), height=200)


def _downloads(run, key: str) -> None:
    """Each trained model as a .keras file, and the script that rebuilds it."""
    for index, progress in enumerate(run.progress):
        model, job = progress.model, progress.job
        if model is None:
            continue
        stem = f"{job.name}_model"
        with st.expander(f"Take the {job.name} model home"):
            st.download_button(
                f"Download {stem}.keras",
                data=_saved_model_bytes(model),
                file_name=f"{stem}.keras",
                mime="application/octet-stream",
                key=f"{key}_download_model_{index}",
                on_click="ignore",
                icon=":material/download:",
            )
            if job.script:
                st.caption(
                    "This script makes the same data and trains the same model with plain "
                    "Keras, without this app."
                )
                st.code(job.script, language="python")
                st.download_button(
                    f"Download {stem}.py",
                    data=job.script,
                    file_name=f"{stem}.py",
                    mime="text/x-python",
                    key=f"{key}_download_script_{index}",
                    on_click="ignore",
                    icon=":material/code:",
                )


def _saved_model_bytes(model: "keras.Model") -> Callable[[], bytes]:
    """The model as .keras bytes, made only when the learner clicks download."""

    def save() -> bytes:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "model.keras"
            model.save(path)
            return path.read_bytes()

    return save
