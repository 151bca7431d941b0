"""The live-training engine: train a Keras model, report every epoch, stop when asked.

Learners watch models learn, so training here differs from a plain `model.fit` in four
ways, and knows nothing about Streamlit (the page turns the reports into widgets):

- it reports to a plain callable, `report(epoch, logs, elapsed_seconds)`, once per epoch;
- it stops within one epoch when `should_stop()` turns true, and when a time budget runs
  out (a closed browser tab must not keep a trainer busy for long);
- it is seeded, so the same settings give the same history (build the model with
  `build_with_seed` and pass the same seed to `train`);
- it waits for a free trainer: a process-wide limit (default one per CPU core) caps how
  many trainings run at once, because training is CPU-bound and several at once only
  slow each other down. Callers queue first come, first served, and each waiting caller
  hears its place in the queue.

`BackgroundTraining` runs a list of jobs one after the other on a thread of its own and
keeps a thread-safe record of each (`JobProgress`), which a page can poll and draw.

It never calls `keras.backend.clear_session()`: that resets Keras for every thread in
the process, including other learners' trainings.
"""

import os

# Set before the first TensorFlow import, or TensorFlow ignores it.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import math  # noqa: E402
import random  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections import deque  # noqa: E402
from collections.abc import Callable, Mapping  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

Report = Callable[[int, dict[str, float], float], None]
ShouldStop = Callable[[], bool]

# How often a queued caller re-reads its place in the queue and its stop flag.
QUEUE_POLL_SECONDS = 0.2

# Keras layers draw their initial weights' seeds from Python's `random`, a process-wide
# generator: two models built at the same moment would mix their seeds, so seeding and
# building happen under this lock (held for a moment, never while waiting for a trainer).
#
# The engine does not call `keras.utils.set_random_seed`: its `tf.random.set_seed` clears
# TensorFlow's kernel cache for the whole process, which costs every other learner's
# running training about half a second. Python's and NumPy's seeds cover the weights;
# the shuffling uses TensorFlow's stateless random ops with an explicit seed.
_SEED_LOCK = threading.Lock()


class TrainerSlots:
    """A limit on how many trainings run at once, with a first-come, first-served queue."""

    def __init__(self, limit: int):
        self._check_limit(limit)
        self._limit = limit
        self._running = 0
        self._queue: deque[object] = deque()
        self._changed = threading.Condition()
        # Bumped on every change, so a caller that was busy reporting its position
        # does not sleep through a change that happened meanwhile.
        self._version = 0

    @property
    def limit(self) -> int:
        return self._limit

    @property
    def running(self) -> int:
        """How many trainings hold a slot now."""
        return self._running

    @property
    def waiting(self) -> int:
        """How many callers are queued now."""
        return len(self._queue)

    def set_limit(self, limit: int) -> None:
        """Change the limit; queued callers move up at once if it grew."""
        self._check_limit(limit)
        with self._changed:
            self._limit = limit
            self._note_change()

    def acquire(
        self,
        *,
        on_wait: Callable[[int], None] | None = None,
        should_stop: ShouldStop | None = None,
        poll_seconds: float = QUEUE_POLL_SECONDS,
    ) -> bool:
        """Wait for a free slot; True once it is ours, False if `should_stop()` said stop.

        While queued, `on_wait(position)` is called about every `poll_seconds` with the
        caller's place in the queue (1 = next in line). If `on_wait` or `should_stop`
        raises, the caller leaves the queue and the exception goes on up.
        """
        ticket = object()
        with self._changed:
            self._queue.append(ticket)
            self._note_change()
        try:
            while True:
                with self._changed:
                    position = self._queue.index(ticket) + 1
                    if position == 1 and self._running < self._limit:
                        self._queue.popleft()
                        self._running += 1
                        self._note_change()
                        return True
                    seen_version = self._version
                # The callbacks run outside the lock: they may be slow or raise.
                if should_stop is not None and should_stop():
                    return False
                if on_wait is not None:
                    on_wait(position)
                with self._changed:
                    if self._version == seen_version:
                        self._changed.wait(timeout=poll_seconds)
        finally:
            with self._changed:
                if ticket in self._queue:
                    self._queue.remove(ticket)
                    self._note_change()

    def release(self) -> None:
        """Give a slot back; the first caller in the queue takes it."""
        with self._changed:
            if self._running == 0:
                raise ValueError("release() was called more often than acquire().")
            self._running -= 1
            self._note_change()

    def _note_change(self) -> None:
        self._version += 1
        self._changed.notify_all()

    @staticmethod
    def _check_limit(limit: int) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(
                f"The training limit must be a whole number of at least 1; got {limit!r}."
            )


# The process-wide limit that every learner's training shares.
TRAINER_SLOTS = TrainerSlots(os.cpu_count() or 1)


def set_training_limit(limit: int) -> None:
    """How many trainings may run at once in this server process (default: one per core)."""
    TRAINER_SLOTS.set_limit(limit)


@dataclass(frozen=True)
class TrainingResult:
    """What one call to `train` did.

    `stopped_reason` is "finished" (all epochs ran), "stopped" (the stop flag) or
    "time budget". A run stopped in the middle of an epoch reports that epoch too, so
    the last entry of `history` may cover only part of an epoch.
    """

    history: dict[str, list[float]]
    epochs_completed: int
    stopped_reason: str
    elapsed_seconds: float
    waited_seconds: float


def build_with_seed(build_model: Callable[[], keras.Model], seed: int) -> keras.Model:
    """Call `build_model()` with Python's and NumPy's seeds set: same seed, same weights."""
    _check_seed(seed)
    with _SEED_LOCK:
        random.seed(seed)
        np.random.seed(seed)
        return build_model()


def train(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int,
    batch_size: int = 32,
    seed: int = 0,
    report: Report | None = None,
    should_stop: ShouldStop | None = None,
    time_budget_s: float | None = None,
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
    on_wait: Callable[[int], None] | None = None,
    on_start: Callable[[], None] | None = None,
    slots: TrainerSlots | None = None,
) -> TrainingResult:
    """Train a compiled `model` on (x, y) for up to `epochs` epochs, once a trainer is free.

    `report(epoch, logs, elapsed_seconds)` is called after each epoch (epoch counts from
    1, logs maps metric names to floats). `should_stop()` is checked before every batch
    and while queued; it must be cheap. `time_budget_s` counts from the moment a
    trainer is free. `on_wait(position)` hears the place in the queue while waiting,
    `on_start()` is called once training begins. `slots` defaults to the process-wide
    limit. Any exception from the callbacks stops training and goes on up.
    """
    _check_training_settings(epochs, batch_size, seed, time_budget_s)
    slots = TRAINER_SLOTS if slots is None else slots
    asked_at = time.monotonic()
    if not slots.acquire(on_wait=on_wait, should_stop=should_stop):
        waited = time.monotonic() - asked_at
        return TrainingResult({}, 0, "stopped", 0.0, waited)
    try:
        started_at = time.monotonic()
        if on_start is not None:
            on_start()
        # Created inside fit's first traced step, each optimizer variable would leave two
        # `cond` functions in TensorFlow's process-wide function library, never freed:
        # about 6 MB per training of these small models. Created here, eagerly, they
        # leave nothing behind.
        if not model.optimizer.built:
            model.optimizer.build(model.trainable_variables)
        batches = _shuffled_batches(x, y, batch_size=batch_size, epochs=epochs, seed=seed)
        watcher = _EpochWatcher(report, should_stop, time_budget_s, started_at)
        model.fit(
            batches,
            epochs=epochs,
            steps_per_epoch=math.ceil(len(x) / batch_size),
            shuffle=False,  # the batches are shuffled already
            validation_data=validation_data,
            callbacks=[watcher],
            verbose=0,
        )
        return TrainingResult(
            history=watcher.history,
            epochs_completed=watcher.epochs_completed,
            stopped_reason=watcher.stopped_reason,
            elapsed_seconds=time.monotonic() - started_at,
            waited_seconds=started_at - asked_at,
        )
    finally:
        slots.release()


def _shuffled_batches(x, y, *, batch_size: int, epochs: int, seed: int) -> tf.data.Dataset:
    """The training data as shuffled batches, a new order each epoch, for all epochs at once.

    Given plain arrays, `fit` builds a new dataset iterator every epoch, which costs more
    than a whole epoch of these tiny models; one stream of all epochs' batches, read
    with `steps_per_epoch`, keeps a single iterator. The order of epoch e comes from a
    stateless shuffle seeded with (seed, e), so it depends on nothing but the seed.
    """
    inputs, targets = tf.constant(x), tf.constant(y)
    indices = tf.range(len(x))
    seed = tf.constant(seed, dtype=tf.int64)

    def one_epoch(epoch):
        order = tf.random.experimental.stateless_shuffle(indices, seed=tf.stack([seed, epoch]))
        return tf.data.Dataset.from_tensor_slices(order).batch(batch_size)

    return (
        tf.data.Dataset.range(epochs)
        .flat_map(one_epoch)
        .map(lambda batch: (tf.gather(inputs, batch), tf.gather(targets, batch)))
        .prefetch(1)
    )


class _EpochWatcher(keras.callbacks.Callback):
    """Reports each epoch and asks Keras to stop when the flag or the time budget says so."""

    def __init__(self, report, should_stop, time_budget_s, started_at):
        super().__init__()
        self._report = report
        self._should_stop = should_stop
        self._time_budget_s = time_budget_s
        self._started_at = started_at
        self.history: dict[str, list[float]] = {}
        self.epochs_completed = 0
        self.stopped_reason = "finished"

    # The check sits in on_train_batch_begin, not on_train_batch_end: a callback that
    # overrides a batch-end hook makes Keras turn every batch's logs into Python floats
    # in step with training, which slows small models down noticeably. Keras reads
    # `stop_training` after each batch, so either hook stops within one batch.
    def on_train_batch_begin(self, batch, logs=None):
        if self._time_to_end():
            self.model.stop_training = True

    def on_epoch_end(self, epoch, logs=None):
        for name, value in (logs or {}).items():
            self.history.setdefault(name, []).append(float(value))
        self.epochs_completed += 1
        if self._report is not None:
            epoch_logs = {name: values[-1] for name, values in self.history.items()}
            self._report(epoch + 1, epoch_logs, time.monotonic() - self._started_at)
        if self._time_to_end():
            self.model.stop_training = True

    def _time_to_end(self) -> bool:
        if self.stopped_reason != "finished":
            return True
        if self._should_stop is not None and self._should_stop():
            self.stopped_reason = "stopped"
            return True
        elapsed = time.monotonic() - self._started_at
        if self._time_budget_s is not None and elapsed >= self._time_budget_s:
            self.stopped_reason = "time budget"
            return True
        return False


@dataclass(frozen=True, eq=False)
class TrainingJob:
    """One model to train: how to build it, what to train it on, and for how long.

    `build_model()` returns a fresh compiled model. `settings` are the learner's choices
    (shown in the panel and compared to tell whether a trained model is out of date);
    `script` is a plain-Keras script that rebuilds and trains the same configuration.
    """

    name: str
    build_model: Callable[[], keras.Model]
    x: np.ndarray
    y: np.ndarray
    epochs: int
    batch_size: int = 32
    seed: int = 0
    time_budget_s: float = 60.0
    settings: Mapping[str, object] = field(default_factory=dict)
    script: str = ""

    def __post_init__(self) -> None:
        _check_training_settings(self.epochs, self.batch_size, self.seed, self.time_budget_s)
        if len(self.x) != len(self.y):
            raise ValueError(
                f"Job {self.name!r} has {len(self.x)} inputs but {len(self.y)} targets."
            )


# What a job is doing; the last four are final.
ACTIVE_STATUSES = ("pending", "waiting", "training")
FINAL_STATUSES = ("finished", "stopped", "time budget", "failed")


@dataclass(frozen=True)
class ProgressSnapshot:
    """A consistent copy of one job's progress, safe to read while training goes on."""

    name: str
    status: str
    queue_position: int | None
    epochs_done: int
    epochs_planned: int
    history: dict[str, list[float]]
    elapsed_seconds: float
    error: str | None

    @property
    def partly_trained(self) -> bool:
        """Stopped early (by the learner, a time budget or an error) after learning something."""
        return self.status in ("stopped", "time budget", "failed") and self.epochs_done > 0


class JobProgress:
    """The live record of one job: written by the training thread, read by the page."""

    def __init__(self, job: TrainingJob):
        self.job = job
        self._lock = threading.Lock()
        self._status = "pending"
        self._queue_position: int | None = None
        self._epochs_done = 0
        self._history: dict[str, list[float]] = {}
        self._elapsed_seconds = 0.0
        self._error: str | None = None
        self._model: keras.Model | None = None

    @property
    def model(self) -> keras.Model | None:
        """The model once it has learned for at least one epoch, else None."""
        with self._lock:
            return self._model if self._epochs_done > 0 else None

    @property
    def status(self) -> str:
        return self._status

    def snapshot(self) -> ProgressSnapshot:
        with self._lock:
            return ProgressSnapshot(
                name=self.job.name,
                status=self._status,
                queue_position=self._queue_position,
                epochs_done=self._epochs_done,
                epochs_planned=self.job.epochs,
                history={name: list(values) for name, values in self._history.items()},
                elapsed_seconds=self._elapsed_seconds,
                error=self._error,
            )

    # The methods below are the engine's callbacks.

    def model_built(self, model: keras.Model) -> None:
        with self._lock:
            self._model = model

    def waiting(self, position: int) -> None:
        with self._lock:
            self._status = "waiting"
            self._queue_position = position

    def started(self) -> None:
        with self._lock:
            self._status = "training"
            self._queue_position = None

    def record_epoch(self, epoch: int, logs: dict[str, float], elapsed_seconds: float) -> None:
        with self._lock:
            for name, value in logs.items():
                self._history.setdefault(name, []).append(value)
            self._epochs_done = epoch
            self._elapsed_seconds = elapsed_seconds

    def ended(self, status: str, error: str | None = None) -> None:
        if status not in FINAL_STATUSES:
            raise ValueError(f"A job ends as one of {FINAL_STATUSES}; got {status!r}.")
        with self._lock:
            self._status = status
            self._queue_position = None
            self._error = error


class BackgroundTraining:
    """Train a list of jobs one after the other on a thread of their own.

    The page keeps this object (in its session state), starts it, polls `progress`,
    and calls `stop()` when the learner asks; the jobs not yet started then end as
    "stopped" without training. `should_stop()`, if given, is a second reason to stop
    (for example: the learner closed the tab).
    """

    def __init__(
        self,
        jobs: list[TrainingJob],
        *,
        should_stop: ShouldStop | None = None,
        slots: TrainerSlots | None = None,
    ):
        if not jobs:
            raise ValueError("There is nothing to train: the list of jobs is empty.")
        self.progress = tuple(JobProgress(job) for job in jobs)
        self._extra_stop = should_stop
        self._slots = slots
        self._stop_requested = threading.Event()
        self._thread = threading.Thread(target=self._train_all, name="live-training", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop_requested.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every job has ended (or `timeout` passes); True if they all ended."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def is_running(self) -> bool:
        return self._thread.is_alive()

    @property
    def stop_requested(self) -> bool:
        return self._stop_requested.is_set()

    def _should_stop(self) -> bool:
        if self._stop_requested.is_set():
            return True
        return self._extra_stop is not None and self._extra_stop()

    def _train_all(self) -> None:
        for progress in self.progress:
            if self._should_stop():
                progress.ended("stopped")
                continue
            self._train_one(progress)

    def _train_one(self, progress: JobProgress) -> None:
        job = progress.job
        try:
            model = build_with_seed(job.build_model, job.seed)
            progress.model_built(model)
            result = train(
                model,
                job.x,
                job.y,
                epochs=job.epochs,
                batch_size=job.batch_size,
                seed=job.seed,
                report=progress.record_epoch,
                should_stop=self._should_stop,
                time_budget_s=job.time_budget_s,
                on_wait=progress.waiting,
                on_start=progress.started,
                slots=self._slots,
            )
            progress.ended(result.stopped_reason)
        except Exception as error:  # shown to the learner instead of killing the thread
            progress.ended("failed", f"{type(error).__name__}: {error}")
        finally:
            # Whatever happened, the record must not claim to be still training.
            if progress.status in ACTIVE_STATUSES:
                progress.ended("stopped")


def _check_seed(seed: int) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"The seed must be a whole number of at least 0; got {seed!r}.")


def _check_training_settings(epochs, batch_size, seed, time_budget_s) -> None:
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"Epochs must be a whole number of at least 1; got {epochs!r}.")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(
            f"The batch size must be a whole number of at least 1; got {batch_size!r}."
        )
    _check_seed(seed)
    if time_budget_s is not None and not time_budget_s > 0:
        raise ValueError(
            f"The time budget must be a positive number of seconds; got {time_budget_s!r}."
        )
