"""The live-training engine, its queue, the background runner and lesson 1's two models.

Every model here is tiny (a few units, a few dozen points), so the whole file runs in
seconds; the first fit of each model still pays about a second of tracing.
"""

import gc
import threading
import time
from pathlib import Path

import keras
import numpy as np
import pytest

from lessons import toy2d
from models import toy_models, training
from models.training import BackgroundTraining, TrainerSlots, TrainingJob

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tiny_data():
    points, labels = toy2d.make_overlapping_labels(size=100, noise=0.0, seed=0)
    return points[:64], labels[:64]


@pytest.fixture(scope="module")
def warm_model(tiny_data):
    """One model shared by the tests that do not care about its weights: it has paid its
    tracing once, so those tests time the engine, not TensorFlow's start-up."""
    model = tiny_model()
    training.train(model, *tiny_data, epochs=1, batch_size=16)
    return model


def tiny_model(output="sigmoid"):
    return toy_models.build_toy_model(output, hidden_layers=1, units=4, learning_rate=0.05)


def wait_until(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("Timed out waiting for a condition.")
        time.sleep(0.01)


# The engine.


def test_reporter_is_called_once_per_epoch_with_that_epochs_logs(warm_model, tiny_data):
    calls = []
    result = training.train(
        warm_model,
        *tiny_data,
        epochs=3,
        batch_size=16,
        report=lambda epoch, logs, elapsed: calls.append((epoch, dict(logs), elapsed)),
    )
    assert [epoch for epoch, _, _ in calls] == [1, 2, 3]
    assert result.stopped_reason == "finished" and result.epochs_completed == 3
    assert set(calls[0][1]) == {"loss", "per_label_accuracy"}
    assert [logs["loss"] for _, logs, _ in calls] == result.history["loss"]
    elapsed = [seconds for _, _, seconds in calls]
    assert elapsed == sorted(elapsed) and elapsed[0] > 0


def test_stop_flag_set_during_an_epoch_stops_that_epoch(warm_model, tiny_data):
    # 64 points in batches of 4 is 16 batches per epoch; the flag turns on at the
    # fifth check, in the middle of the first epoch.
    checks = []

    def should_stop():
        checks.append(1)
        return len(checks) >= 5

    result = training.train(
        warm_model, *tiny_data, epochs=50, batch_size=4, should_stop=should_stop
    )
    assert result.stopped_reason == "stopped"
    assert result.epochs_completed == 1
    assert len(checks) == 5


def test_stop_flag_set_by_the_reporter_ends_training_after_that_epoch(warm_model, tiny_data):
    stop = threading.Event()

    def report(epoch, logs, elapsed):
        if epoch == 2:
            stop.set()

    result = training.train(
        warm_model, *tiny_data, epochs=50, batch_size=16, report=report, should_stop=stop.is_set
    )
    assert result.stopped_reason == "stopped"
    assert result.epochs_completed == 2
    assert len(result.history["loss"]) == 2


def test_time_budget_is_kept(warm_model, tiny_data):
    result = training.train(warm_model, *tiny_data, epochs=100_000, batch_size=4, time_budget_s=0.5)
    assert result.stopped_reason == "time budget"
    assert 0.5 <= result.elapsed_seconds < 2.0
    assert 0 < result.epochs_completed < 100_000


@pytest.mark.slow
def test_same_seed_gives_the_same_history(tiny_data):
    def run(seed):
        model = training.build_with_seed(tiny_model, seed)
        return training.train(model, *tiny_data, epochs=3, batch_size=8, seed=seed).history

    np.testing.assert_allclose(run(5)["loss"], run(5)["loss"], rtol=1e-6)


def test_another_seed_gives_other_weights():
    first = training.build_with_seed(tiny_model, 5).get_weights()[0]
    again = training.build_with_seed(tiny_model, 5).get_weights()[0]
    other = training.build_with_seed(tiny_model, 6).get_weights()[0]
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_a_finished_training_leaves_no_functions_behind(tiny_data):
    from tensorflow.python.eager import context

    def train_a_fresh_model():
        training.train(tiny_model(), *tiny_data, epochs=1, batch_size=16)
        gc.collect()

    train_a_fresh_model()  # the first one may register functions that every later one shares
    before = len(context.context().list_function_names())
    train_a_fresh_model()
    assert len(context.context().list_function_names()) == before


def test_bad_settings_are_refused_before_training(warm_model, tiny_data):
    with pytest.raises(ValueError, match="Epochs"):
        training.train(warm_model, *tiny_data, epochs=0)
    with pytest.raises(ValueError, match="batch size"):
        training.train(warm_model, *tiny_data, epochs=1, batch_size=0)
    with pytest.raises(ValueError, match="time budget"):
        training.train(warm_model, *tiny_data, epochs=1, time_budget_s=0)


# The queue.


@pytest.mark.slow
def test_with_a_limit_of_two_a_third_caller_is_queued_and_then_runs(tiny_data):
    slots = TrainerSlots(2)
    models = [tiny_model() for _ in range(3)]
    release = threading.Event()
    positions = []
    results = {}

    def hold_until_released(epoch, logs, elapsed):
        release.wait(timeout=30)

    def run(name, model, **callbacks):
        results[name] = training.train(
            model, *tiny_data, epochs=1, batch_size=16, slots=slots, **callbacks
        )

    holders = [
        threading.Thread(target=run, args=(name, model), kwargs={"report": hold_until_released})
        for name, model in zip("ab", models[:2], strict=True)
    ]
    for thread in holders:
        thread.start()
    wait_until(lambda: slots.running == 2)
    third = threading.Thread(
        target=run, args=("c", models[2]), kwargs={"on_wait": positions.append}
    )
    third.start()
    wait_until(lambda: positions)
    assert positions[0] == 1
    assert slots.waiting == 1 and "c" not in results

    release.set()
    for thread in [*holders, third]:
        thread.join(timeout=60)
    assert results["c"].stopped_reason == "finished"
    assert results["c"].waited_seconds > 0
    assert slots.running == 0 and slots.waiting == 0


def test_queue_is_first_come_first_served_and_positions_move_up():
    slots = TrainerSlots(1)
    assert slots.acquire()
    order, heard = [], {"second": [], "third": []}
    second_may_finish = threading.Event()

    def wait_for_a_slot(name):
        slots.acquire(on_wait=heard[name].append, poll_seconds=0.01)
        order.append(name)
        if name == "second":
            second_may_finish.wait(timeout=5)
        slots.release()

    second = threading.Thread(target=wait_for_a_slot, args=("second",))
    second.start()
    wait_until(lambda: heard["second"])
    third = threading.Thread(target=wait_for_a_slot, args=("third",))
    third.start()
    wait_until(lambda: heard["third"])
    assert heard["second"][-1] == 1 and heard["third"][-1] == 2

    slots.release()
    wait_until(lambda: order == ["second"])
    wait_until(lambda: heard["third"][-1] == 1)  # it moved up once the second got its slot
    second_may_finish.set()
    second.join(timeout=5)
    third.join(timeout=5)
    assert order == ["second", "third"]


def test_waiting_honours_the_stop_flag():
    slots = TrainerSlots(1)
    assert slots.acquire()
    assert slots.acquire(should_stop=lambda: True) is False
    assert slots.waiting == 0
    slots.release()


def test_an_error_while_waiting_leaves_the_queue_clean():
    slots = TrainerSlots(1)
    assert slots.acquire()

    def interrupted(position):
        raise KeyboardInterrupt  # stands for Streamlit's rerun exception

    with pytest.raises(KeyboardInterrupt):
        slots.acquire(on_wait=interrupted)
    assert slots.waiting == 0
    slots.release()
    assert slots.acquire()  # the slot is free again


def test_raising_the_limit_lets_a_waiting_caller_in():
    slots = TrainerSlots(1)
    assert slots.acquire()
    got_in = threading.Event()
    waiter = threading.Thread(target=lambda: slots.acquire() and got_in.set())
    waiter.start()
    wait_until(lambda: slots.waiting == 1)
    slots.set_limit(2)
    assert got_in.wait(timeout=5)
    waiter.join(timeout=5)


def test_a_limit_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        TrainerSlots(0)


# Training in the background, as the panel does.


def tiny_job(name, data, epochs=2, output="sigmoid"):
    x, y = toy_models.training_targets(output, *data)
    return TrainingJob(
        name=name,
        build_model=lambda: tiny_model(output),
        x=x,
        y=y,
        epochs=epochs,
        batch_size=16,
    )


@pytest.mark.slow
def test_background_training_trains_every_job_and_keeps_its_model(tiny_data):
    run = BackgroundTraining(
        [tiny_job("softmax", tiny_data, output="softmax"), tiny_job("sigmoid", tiny_data)]
    )
    run.start()
    assert run.wait(timeout=60)
    snapshots = [progress.snapshot() for progress in run.progress]
    assert [snapshot.status for snapshot in snapshots] == ["finished", "finished"]
    assert [snapshot.epochs_done for snapshot in snapshots] == [2, 2]
    assert all(not snapshot.partly_trained for snapshot in snapshots)
    assert [progress.model.output_shape for progress in run.progress] == [(None, 3), (None, 3)]


@pytest.mark.slow
def test_stopping_a_background_run_leaves_a_partly_trained_model(tiny_data):
    run = BackgroundTraining(
        [tiny_job("first", tiny_data, epochs=100_000), tiny_job("second", tiny_data)]
    )
    run.start()
    wait_until(lambda: run.progress[0].snapshot().epochs_done >= 1, timeout=30)
    run.stop()
    assert run.wait(timeout=30)
    first, second = (progress.snapshot() for progress in run.progress)
    assert first.status == "stopped" and first.partly_trained
    assert run.progress[0].model is not None
    assert second.status == "stopped" and second.epochs_done == 0
    assert run.progress[1].model is None


def test_a_failing_job_is_reported_not_raised(tiny_data):
    def broken_model():
        raise RuntimeError("the builder broke")

    job = TrainingJob(
        name="broken", build_model=broken_model, x=tiny_data[0], y=tiny_data[1], epochs=1
    )
    run = BackgroundTraining([job])
    run.start()
    assert run.wait(timeout=10)
    snapshot = run.progress[0].snapshot()
    assert snapshot.status == "failed"
    assert "the builder broke" in snapshot.error


# Lesson 1's two models.


def test_softmax_targets_drop_unlabelled_points_and_sum_to_one():
    points, labels = toy2d.make_overlapping_labels(seed=2)
    x, y = toy_models.training_targets("softmax", points, labels)
    assert len(x) == int((labels.sum(axis=1) > 0).sum())
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-6)
    labelled = labels[labels.sum(axis=1) > 0]
    row_with_two_labels = np.flatnonzero(labelled.sum(axis=1) == 2)[0]
    np.testing.assert_allclose(y[row_with_two_labels], labelled[row_with_two_labels] / 2)


def test_sigmoid_targets_are_the_multi_hot_labels():
    points, labels = toy2d.make_overlapping_labels(seed=2)
    x, y = toy_models.training_targets("sigmoid", points, labels)
    np.testing.assert_array_equal(x, points)
    np.testing.assert_array_equal(y, labels)


@pytest.mark.parametrize(
    ("output", "loss"),
    [("softmax", "categorical_crossentropy"), ("sigmoid", "binary_crossentropy")],
)
def test_each_output_comes_with_its_own_loss(output, loss):
    model = toy_models.build_toy_model(output, hidden_layers=0)
    assert model.loss == loss
    assert model.layers[-1].activation.__name__ == output
    probabilities = keras.ops.convert_to_numpy(model(np.zeros((4, 2), dtype=np.float32)))
    if output == "softmax":
        np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-6)


@pytest.mark.parametrize(
    "settings",
    [{"output": "tanh"}, {"hidden_layers": 4}, {"units": 0}, {"learning_rate": 5.0}],
)
def test_unsafe_model_settings_are_refused(settings):
    arguments = {"output": "sigmoid", **settings}
    with pytest.raises(ValueError):
        toy_models.build_toy_model(arguments.pop("output"), **arguments)


def script_namespace(**overrides):
    settings = {
        "hidden_layers": 1,
        "units": 4,
        "learning_rate": 0.05,
        "epochs": 1,
        "batch_size": 32,
        "size": 120,
        "noise": 0.1,
        "seed": 3,
        **overrides,
    }
    script = toy_models.keras_script(settings.pop("output", "softmax"), **settings)
    namespace = {"__name__": "learner_script"}
    exec(compile(script, "toy_model.py", "exec"), namespace)
    return namespace


def test_the_script_makes_exactly_the_apps_data():
    namespace = script_namespace()
    script_points, script_labels = namespace["make_points_and_labels"](120, 0.1, 3)
    points, labels = toy2d.make_overlapping_labels(size=120, noise=0.1, seed=3)
    np.testing.assert_array_equal(script_points, points)
    np.testing.assert_array_equal(script_labels, labels)
    script_x, script_y = namespace["training_targets"](points, labels)
    x, y = toy_models.training_targets("softmax", points, labels)
    np.testing.assert_array_equal(script_x, x)
    np.testing.assert_allclose(script_y, y)


@pytest.mark.slow
def test_the_script_trains_and_saves_a_model_that_loads_safely(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    script_namespace(output="sigmoid")["main"]()
    model = keras.saving.load_model(tmp_path / "sigmoid_toy_model.keras", safe_mode=True)
    assert model.output_shape == (None, 3)


def test_the_engine_and_builders_never_import_streamlit():
    for module in ("models/training.py", "models/toy_models.py"):
        source = (REPO / module).read_text()
        assert "import streamlit" not in source and "clear_session()" not in source.replace(
            "`keras.backend.clear_session()`", ""
        )
