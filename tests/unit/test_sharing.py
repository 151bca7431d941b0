"""Lesson 3's models: shapes, parameter counts, the soft-sharing penalty, and that they learn."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from lessons import boxes as box_maths  # noqa: E402
from models import sharing  # noqa: E402

BATCH = 8


@pytest.fixture(scope="module")
def few_images():
    return sharing.training_images(BATCH, seed=0)


def tower_weights(tower) -> list[np.ndarray]:
    return [keras.ops.convert_to_numpy(weight) for weight in tower.trainable_weights]


def set_random_weights(layer, rng) -> list[np.ndarray]:
    values = [rng.normal(size=weight.shape).astype(np.float32) for weight in layer.weights]
    layer.set_weights(values)
    return values


def test_every_variant_answers_with_the_heads_it_has(few_images):
    images, _, _ = few_images
    for variant in sharing.VARIANTS:
        outputs = sharing.predict_heads(sharing.build_variant(variant), images)
        assert set(outputs) == set(sharing.VARIANT_TASKS[variant]), variant
        if sharing.CLASS in outputs:
            assert outputs[sharing.CLASS].shape == (BATCH, sharing.CLASS_COUNT)
            assert np.allclose(outputs[sharing.CLASS].sum(axis=1), 1.0, atol=1e-5)
        if sharing.BOX in outputs:
            assert outputs[sharing.BOX].shape == (BATCH, 4)
            assert ((outputs[sharing.BOX] >= 0) & (outputs[sharing.BOX] <= 1)).all()


def test_hard_sharing_has_fewer_parameters_than_two_single_task_models():
    counts = sharing.parameter_counts()
    assert counts["hard_sharing"] < counts["classifier"] + counts["box_regressor"]


def test_soft_sharing_has_exactly_two_towers_and_two_heads():
    counts = sharing.parameter_counts()
    tower = sharing.tower_parameter_count()
    class_head = (sharing.TOWER_UNITS + 1) * sharing.CLASS_COUNT
    box_head = (sharing.TOWER_UNITS + 1) * 4
    assert counts["soft_sharing"] == 2 * tower + class_head + box_head
    assert counts["hard_sharing"] == tower + class_head + box_head
    # Two single-task models hold the same weights as soft sharing, in two models.
    assert counts["soft_sharing"] == counts["classifier"] + counts["box_regressor"]


def test_the_soft_sharing_towers_have_identical_structure():
    model = sharing.build_soft_sharing()
    for class_weight, box_weight in model.matching_weights():
        assert class_weight.shape == box_weight.shape


def test_the_penalty_is_the_squared_distance_between_the_towers_on_known_weights():
    model = sharing.build_soft_sharing()
    rng = np.random.default_rng(0)
    class_values = set_random_weights(model.class_tower, rng)
    box_values = set_random_weights(model.box_tower, rng)
    expected = sum(
        float(np.sum((a - b) ** 2)) for a, b in zip(class_values, box_values, strict=True)
    )
    assert float(model.tower_distance()) == pytest.approx(expected, rel=1e-5)


def test_the_penalty_adds_lambda_times_the_distance_to_the_loss(few_images):
    images, class_indices, boxes = few_images
    targets = sharing.training_targets("soft_sharing", class_indices, boxes)
    free = sharing.build_soft_sharing(penalty_strength=0.0)
    pulled = sharing.build_soft_sharing(penalty_strength=0.05)
    pulled.set_weights(free.get_weights())
    distance = float(free.tower_distance())
    free_loss = free.evaluate(images, targets, batch_size=BATCH, verbose=0, return_dict=True)
    pulled_loss = pulled.evaluate(images, targets, batch_size=BATCH, verbose=0, return_dict=True)
    assert pulled_loss["loss"] - free_loss["loss"] == pytest.approx(0.05 * distance, rel=1e-4)
    assert pulled_loss["penalty"] == pytest.approx(0.05 * distance, rel=1e-4)


def test_with_lambda_zero_soft_sharing_is_two_independent_models(few_images):
    images, class_indices, boxes = few_images
    classifier = sharing.build_classifier()
    box_regressor = sharing.build_box_regressor()
    soft = sharing.build_soft_sharing(class_weight=1.0, box_weight=1.0, penalty_strength=0.0)
    soft.class_tower.set_weights(classifier.get_layer("class_tower").get_weights())
    soft.class_head.set_weights(classifier.get_layer(sharing.CLASS).get_weights())
    soft.box_tower.set_weights(box_regressor.get_layer("box_tower").get_weights())
    soft.box_head.set_weights(box_regressor.get_layer(sharing.BOX).get_weights())

    def loss(model, variant):
        targets = sharing.training_targets(variant, class_indices, boxes)
        scores = model.evaluate(images, targets, batch_size=BATCH, verbose=0, return_dict=True)
        return scores["loss"]

    separate = loss(classifier, "classifier") + loss(box_regressor, "box_regressor")
    assert loss(soft, "soft_sharing") == pytest.approx(separate, rel=1e-5)


def test_towers_start_unrelated_and_equal_towers_are_at_distance_zero():
    model = sharing.build_soft_sharing()
    assert 0.8 < sharing.relative_tower_distance(model) < 1.2
    model.box_tower.set_weights(model.class_tower.get_weights())
    assert sharing.relative_tower_distance(model) == 0.0
    assert float(model.tower_distance()) == 0.0


def test_loss_weights_scale_each_head_in_hard_sharing(few_images):
    images, class_indices, boxes = few_images
    targets = sharing.training_targets("hard_sharing", class_indices, boxes)
    even = sharing.build_hard_sharing(class_weight=1.0, box_weight=1.0)
    weighted = sharing.build_hard_sharing(class_weight=2.0, box_weight=30.0)
    weighted.set_weights(even.get_weights())
    scores = even.evaluate(images, targets, batch_size=BATCH, verbose=0, return_dict=True)
    weighted_loss = weighted.evaluate(images, targets, batch_size=BATCH, verbose=0)
    expected = 2.0 * scores["class_loss"] + 30.0 * scores["box_loss"]
    assert np.ravel(weighted_loss)[0] == pytest.approx(expected, rel=1e-5)


def test_packed_targets_unpack_to_the_class_and_the_box():
    class_indices = np.array([0, 5, 3])
    boxes = np.array([[0.1, 0.2, 0.3, 0.4]] * 3, dtype=np.float32)
    unpacked = sharing.unpack_targets(sharing.pack_targets(class_indices, boxes))
    assert keras.ops.convert_to_numpy(unpacked[sharing.CLASS]).tolist() == [0, 5, 3]
    assert np.allclose(keras.ops.convert_to_numpy(unpacked[sharing.BOX]), boxes)
    as_dict = {sharing.CLASS: class_indices, sharing.BOX: boxes}
    assert sharing.unpack_targets(as_dict) is as_dict


def test_two_head_models_also_learn_from_targets_by_head_name(few_images):
    images, class_indices, boxes = few_images
    model = sharing.build_hard_sharing()
    packed = model.evaluate(
        images,
        sharing.pack_targets(class_indices, boxes),
        batch_size=BATCH,
        verbose=0,
        return_dict=True,
    )
    by_name = model.evaluate(
        images,
        {sharing.CLASS: class_indices, sharing.BOX: boxes},
        batch_size=BATCH,
        verbose=0,
        return_dict=True,
    )
    assert packed["loss"] == pytest.approx(by_name["loss"], rel=1e-5)


@pytest.mark.parametrize("variant", ["hard_sharing", "soft_sharing"])
def test_two_head_models_save_and_load_safely(tmp_path, few_images, variant):
    images, _, _ = few_images
    model = sharing.build_variant(variant, penalty_strength=0.25)
    path = tmp_path / f"{variant}.keras"
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert type(loaded) is type(model)
    for head, values in sharing.predict_heads(model, images).items():
        assert np.allclose(sharing.predict_heads(loaded, images)[head], values, atol=1e-6)
    if variant == "soft_sharing":
        assert loaded.penalty_strength == 0.25


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"class_weight": -1.0}, "class loss weight"),
        ({"box_weight": float("nan")}, "box loss weight"),
        ({"class_weight": 0.0, "box_weight": 0.0}, "At least one loss weight"),
        ({"penalty_strength": -0.1}, "soft-sharing strength"),
        ({"penalty_strength": float("inf")}, "soft-sharing strength"),
    ],
)
def test_settings_out_of_bounds_are_refused_with_a_message(settings, message):
    with pytest.raises(ValueError, match=message):
        sharing.build_variant("soft_sharing", **settings)


def test_an_unknown_variant_is_refused():
    with pytest.raises(ValueError, match="must be one of"):
        sharing.build_variant("medium_sharing")


@pytest.mark.slow
def test_every_variant_beats_a_model_that_learned_nothing():
    """On a fixed seed and a small budget, every head beats its trivial baseline.

    The budget is the benchmark's 1,000-image row with its first seed (9 epochs, default
    settings), where the weakest head scored about 0.6 against 0.18 for the majority
    class and 0.70 against 0.43 for the mean box; the margins below leave room for the
    small differences of floating-point arithmetic between machines.
    """
    images, class_indices, boxes = sharing.training_images(1000, seed=0)
    test_images, test_classes, test_boxes = sharing.test_images()
    majority = box_maths.majority_class_accuracy(class_indices, test_classes)
    mean_box = box_maths.mean_box_iou_baseline(boxes, test_boxes)
    for variant in sharing.VARIANTS:
        keras.utils.set_random_seed(0)
        model = sharing.build_variant(variant)
        sharing.fit_variant(model, variant, images, class_indices, boxes, epochs=9, seed=0)
        scores = sharing.evaluate_heads(model, test_images, test_classes, test_boxes)
        if scores["accuracy"] is not None:
            assert scores["accuracy"] > majority + 0.05, (variant, scores, majority)
        if scores["mean_iou"] is not None:
            assert scores["mean_iou"] > mean_box + 0.1, (variant, scores, mean_box)
