"""What the live-training engine costs: throughput, memory over many trainings, wall time.

Run from the repository root:  python -m benchmarks.training_engine [--repeats 5]

Prints a markdown table with three measurements, all on lesson 1's default settings:

1. Throughput. Epochs per second of the engine, driven the way the panel drives it (a
   background thread recording every epoch, while the main thread takes a snapshot,
   builds the history chart and serialises it to JSON three times per second), against
   a bare `model.fit(verbose=0)` on the same warm model and the same data, in the same
   process. The bare fit is measured twice: on the NumPy arrays a learner would pass,
   and on the engine's own batch stream (which isolates the engine's callbacks and
   reporting). Runs alternate, so a burst of load from elsewhere hits both; the
   median of `--repeats` runs is reported. Target: the engine keeps at least 80%.
2. Memory. 20 consecutive trainings (build and fit) in one process; resident memory
   (VmRSS from /proc/self/status) after the first and after the last. Target: less
   than 100 MB growth.
3. Wall time of the default run: both models, as the lesson trains them, from the
   Train click to the end, once with TensorFlow's first tracing and once warm.

CPU time is shown next to wall time: on a shared machine the wall clock also counts
time spent waiting for a core.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import threading
import time

from models import toy_models, training
from models.training import BackgroundTraining
from ui.live_overlap import SETTINGS, training_jobs
from ui.training_panel import history_figure

DEFAULTS = {spec.name: spec.default for spec in SETTINGS}
POLL_SECONDS = 0.3  # as the panel's redraw interval


def resident_megabytes() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("No VmRSS line in /proc/self/status.")


def panel_like_poller(run: BackgroundTraining, stop: threading.Event) -> None:
    """What the page does while a run trains: snapshot, chart, JSON, a few times a second."""
    colours = {"softmax": "#E69F00", "sigmoid": "#0072B2"}
    while not stop.wait(POLL_SECONDS):
        snapshots = [progress.snapshot() for progress in run.progress]
        history_figure(snapshots, colours).to_json()


def engine_epochs_per_second(job, model) -> float:
    """Train `model` through the engine as the panel does; epochs per wall second."""
    run = BackgroundTraining([_with_model(job, model)])
    stop_polling = threading.Event()
    poller = threading.Thread(target=panel_like_poller, args=(run, stop_polling))
    poller.start()
    started = time.perf_counter()
    run.start()
    run.wait()
    seconds = time.perf_counter() - started
    stop_polling.set()
    poller.join()
    snapshot = run.progress[0].snapshot()
    if snapshot.status != "finished":
        raise RuntimeError(f"The engine run ended as {snapshot.status}: {snapshot.error}")
    return snapshot.epochs_done / seconds


def _with_model(job, model):
    """The same job, but "building" returns the warm model, so both sides share it."""
    return training.TrainingJob(
        name=job.name,
        build_model=lambda: model,
        x=job.x,
        y=job.y,
        epochs=job.epochs,
        batch_size=job.batch_size,
        seed=job.seed,
        time_budget_s=job.time_budget_s,
    )


def bare_fit_epochs_per_second(job, model, *, on_engine_batches: bool) -> float:
    started = time.perf_counter()
    if on_engine_batches:
        batches = training._shuffled_batches(
            job.x, job.y, batch_size=job.batch_size, epochs=job.epochs, seed=job.seed
        )
        steps = -(-len(job.x) // job.batch_size)
        model.fit(batches, epochs=job.epochs, steps_per_epoch=steps, shuffle=False, verbose=0)
    else:
        model.fit(job.x, job.y, epochs=job.epochs, batch_size=job.batch_size, verbose=0)
    return job.epochs / (time.perf_counter() - started)


def default_run_seconds() -> tuple[float, float]:
    """Wall and CPU seconds for the lesson's default run: both models, one after the other."""
    wall, cpu = time.perf_counter(), time.process_time()
    run = BackgroundTraining(training_jobs(DEFAULTS))
    run.start()
    run.wait()
    statuses = {progress.snapshot().status for progress in run.progress}
    if statuses != {"finished"}:
        raise RuntimeError(f"The default run ended as {statuses}.")
    return time.perf_counter() - wall, time.process_time() - cpu


def throughput(repeats: int) -> dict[str, float]:
    job = next(job for job in training_jobs(DEFAULTS) if job.name == "sigmoid")
    model = training.build_with_seed(job.build_model, job.seed)
    # Warm every path once: tracing is paid here, not in the timed runs.
    engine_epochs_per_second(job, model)
    bare_fit_epochs_per_second(job, model, on_engine_batches=False)
    bare_fit_epochs_per_second(job, model, on_engine_batches=True)
    rates = {"engine": [], "bare fit, arrays": [], "bare fit, engine batches": []}
    for _ in range(repeats):
        rates["engine"].append(engine_epochs_per_second(job, model))
        rates["bare fit, arrays"].append(
            bare_fit_epochs_per_second(job, model, on_engine_batches=False)
        )
        rates["bare fit, engine batches"].append(
            bare_fit_epochs_per_second(job, model, on_engine_batches=True)
        )
    return {name: statistics.median(values) for name, values in rates.items()}


def memory_growth(trainings: int) -> tuple[float, float]:
    """RSS in MB after the first and after the last of `trainings` build-and-fit rounds."""
    job = next(job for job in training_jobs(DEFAULTS) if job.name == "sigmoid")
    after_first = 0.0
    for round_number in range(1, trainings + 1):
        model = training.build_with_seed(
            lambda: toy_models.build_toy_model("sigmoid", hidden_layers=2, units=16),
            round_number,
        )
        training.train(model, job.x, job.y, epochs=job.epochs, batch_size=job.batch_size)
        del model
        gc.collect()
        if round_number == 1:
            after_first = resident_megabytes()
    return after_first, resident_megabytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per side")
    parser.add_argument("--trainings", type=int, default=20, help="rounds for the memory test")
    arguments = parser.parse_args()

    first_wall, first_cpu = default_run_seconds()
    warm_wall, warm_cpu = default_run_seconds()
    rates = throughput(arguments.repeats)
    rss_first, rss_last = memory_growth(arguments.trainings)

    engine = rates["engine"]
    print(f"Lesson 1 defaults: {DEFAULTS}; batch size 32.\n")
    print("| measurement | value | target |")
    print("|---|---|---|")
    print(
        f"| default run, both models, first in process | {first_wall:.1f} s wall "
        f"({first_cpu:.1f} s CPU) | under ~10 s |"
    )
    print(f"| default run, both models, warm | {warm_wall:.1f} s wall ({warm_cpu:.1f} s CPU) | |")
    print(
        f"| engine + panel-like reporting, epochs/s (median of {arguments.repeats}) "
        f"| {engine:.1f} | |"
    )
    for name in ("bare fit, arrays", "bare fit, engine batches"):
        ratio = engine / rates[name]
        print(f"| {name}, epochs/s | {rates[name]:.1f} (engine keeps {ratio:.0%}) | >= 80% |")
    print(
        f"| RSS after training 1 / after training {arguments.trainings} | {rss_first:.0f} MB / "
        f"{rss_last:.0f} MB (growth {rss_last - rss_first:+.0f} MB) | growth < 100 MB |"
    )


if __name__ == "__main__":
    main()
