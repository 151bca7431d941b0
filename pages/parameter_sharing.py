"""Lesson 3: multitask learning with hard versus soft parameter sharing.

Every image holds one shape; a model must say which class it is and where its box is.
The learner looks at four ways to build that model (a model per task, one shared trunk,
two towers pulled together), trains all four live on the same images, compares them on
held-out images with the boxes drawn, and reads the shipped benchmark that says when
sharing helped. The settings live in the URL, so a teacher can share an exact state.

TensorFlow is imported inside functions, behind a spinner, so the lesson text shows
first. Trained models live in the training panel's session state, never in a cache.
"""

import functools

import numpy as np
import pandas as pd
import streamlit as st

from lessons import boxes as box_maths
from lessons.course import lesson_by_slug
from lessons.shapes import CLASS_NAMES
from lessons.url_settings import SettingSpec
from ui import sharing_views as views
from ui.charts import numbers_as_text, signed
from ui.lesson import start_lesson_page
from ui.quiz import show_quiz
from ui.training_panel import TrainedModel, training_panel
from ui.url_state import remember_and_share, restore_widget_values

LESSON = lesson_by_slug("parameter_sharing")
KEY = "l3"
VARIANTS = ("classifier", "box_regressor", "hard_sharing", "soft_sharing")

# The controls and their safe bounds; each one is also a URL parameter. The defaults are
# the benchmark's 1,000-image row with its first seed, so the learner can compare.
WEIGHT_CHOICES = (0.0, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
STRENGTH_CHOICES = (0.0, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0)
SIZE_CHOICES = (200, 300, 500, 1000, 2000, 3000)
SETTINGS = (
    SettingSpec("class_weight", float, 1.0, choices=WEIGHT_CHOICES),
    SettingSpec("box_weight", float, 10.0, choices=WEIGHT_CHOICES),
    SettingSpec("lam", float, 1e-2, choices=STRENGTH_CHOICES),
    SettingSpec("images", int, 1000, choices=SIZE_CHOICES),
    SettingSpec("epochs", int, 9, minimum=1, maximum=20),
)
SPECS = {spec.name: spec for spec in SETTINGS}
SETTINGS_KEY = f"{KEY}_settings"
DATA_SEED = 0
# Each model stops at this budget, whatever the settings: a bound on what one click costs.
TIME_BUDGET_SECONDS = 60.0
GALLERY_COLUMNS = 3
# Scores closer than this count as the same: in the shipped benchmark, the spread over
# seeds of one setting was 0.005 to 0.05 (models/SHARING.md).
SAME_WITHIN = 0.03


# --- Settings in the URL ------------------------------------------------------------------


def widget_key(name: str) -> str:
    return f"{KEY}_{name}"


def settings_controls() -> dict:
    """The loss weights, the soft-sharing strength, the data and the epochs."""
    restore_widget_values(SETTINGS, SETTINGS_KEY, widget_key)
    left, middle, right = st.columns(3)
    with left:
        st.select_slider(
            "Class loss weight",
            options=WEIGHT_CHOICES,
            key=widget_key("class_weight"),
            help="Multiplies the class head's cross-entropy in hard and soft sharing.",
        )
        st.select_slider(
            "Box loss weight",
            options=WEIGHT_CHOICES,
            key=widget_key("box_weight"),
            help="Multiplies the box head's mean squared error in hard and soft sharing.",
        )
    with middle:
        st.select_slider(
            "Soft-sharing strength λ",
            options=STRENGTH_CHOICES,
            format_func=views.strength_label,
            key=widget_key("lam"),
            help="0 leaves the two towers independent; large values pull them together.",
        )
    with right:
        st.select_slider("Training images", options=SIZE_CHOICES, key=widget_key("images"))
        st.slider(
            "Epochs", SPECS["epochs"].minimum, SPECS["epochs"].maximum, key=widget_key("epochs")
        )
    values = {spec.name: st.session_state[widget_key(spec.name)] for spec in SETTINGS}
    remember_and_share(SETTINGS, SETTINGS_KEY, values)
    return values


def describe_settings(settings: dict) -> str:
    return (
        f"{settings['images']:,} training images, {settings['epochs']} epochs, loss weights "
        f"class {settings['class_weight']:g} and box {settings['box_weight']:g}, "
        f"λ = {views.strength_label(settings['lam'])}"
    )


# --- Data and models (TensorFlow is imported here, not at the top) ------------------------


@st.cache_resource(show_spinner=False, max_entries=2)
def training_set(size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The images, classes and boxes models learn from; shared and read-only."""
    from models import sharing

    return read_only(sharing.training_images(size, DATA_SEED))


@st.cache_resource(show_spinner=False)
def test_set() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from models import sharing

    return read_only(sharing.test_images())


def read_only(arrays):
    for array in arrays:
        array.setflags(write=False)
    return arrays


@st.cache_data(show_spinner=False)
def parameter_counts() -> tuple[dict[str, int], int]:
    from models import sharing

    return sharing.parameter_counts(), sharing.tower_parameter_count()


def training_jobs(settings: dict) -> list:
    """One job per model, all on the same images, for the same epochs, in a fixed order."""
    from models import sharing
    from models.training import TrainingJob

    images, class_indices, boxes = training_set(settings["images"])
    return [
        TrainingJob(
            name=views.TITLES[variant],
            build_model=functools.partial(
                sharing.build_variant,
                variant,
                class_weight=settings["class_weight"],
                box_weight=settings["box_weight"],
                penalty_strength=settings["lam"],
            ),
            x=images,
            y=sharing.training_targets(variant, class_indices, boxes),
            epochs=settings["epochs"],
            batch_size=sharing.BATCH_SIZE,
            seed=DATA_SEED,
            time_budget_s=TIME_BUDGET_SECONDS,
            settings=settings,
        )
        for variant in VARIANTS
    ]


def test_predictions(variant: str, trained: TrainedModel) -> dict[str, np.ndarray]:
    """A trained model's answers on the test images, computed once per trained model."""
    from models import sharing

    store = st.session_state.setdefault(f"{KEY}_predictions", {})
    remembered = store.get(variant)
    if remembered is None or remembered[0] is not trained.model:
        images, _, _ = test_set()
        remembered = (trained.model, sharing.predict_heads(trained.model, images))
        store[variant] = remembered
    return remembered[1]


# --- What the models learned --------------------------------------------------------------


def results_table(models: dict[str, TrainedModel], predictions, counts, settings) -> pd.DataFrame:
    _, test_classes, test_boxes = test_set()
    _, train_classes, train_boxes = training_set(settings["images"])
    rows = []
    for variant, trained in models.items():
        answers = predictions[variant]
        rows.append(
            {
                "model": views.TITLES[variant],
                "class accuracy": score_of(answers, "class", test_classes),
                "mean box IoU": score_of(answers, "box", test_boxes),
                "parameters": counts[variant],
                "training time (s)": round(trained.progress.elapsed_seconds, 1),
                "epochs trained": trained.progress.epochs_done,
            }
        )
    rows.append(
        {
            "model": views.BASELINE_TITLE,
            "class accuracy": box_maths.majority_class_accuracy(train_classes, test_classes),
            "mean box IoU": box_maths.mean_box_iou_baseline(train_boxes, test_boxes),
            "parameters": 0,
            "training time (s)": 0.0,
            "epochs trained": 0,
        }
    )
    # Float columns, so that a model without a head shows a dash rather than "None".
    return pd.DataFrame(rows).astype({"class accuracy": float, "mean box IoU": float})


RESULT_FORMATS = {
    "class accuracy": "{:.3f}",
    "mean box IoU": "{:.3f}",
    "parameters": "{:,}",
    "training time (s)": "{:.1f}",
}


def heads_that_learned_nothing(table: pd.DataFrame) -> list[str]:
    """The models whose class accuracy is no better than always saying the majority class."""
    accuracy = table.set_index("model")["class accuracy"]
    baseline = accuracy[views.BASELINE_TITLE]
    scored = accuracy.drop(views.BASELINE_TITLE).dropna()
    return [model for model, score in scored.items() if score < baseline + SAME_WITHIN]


def score_of(answers: dict[str, np.ndarray], head: str, truth: np.ndarray) -> float | None:
    if head not in answers:
        return None
    if head == "class":
        return box_maths.class_accuracy(truth, answers[head].argmax(axis=1))
    return box_maths.mean_box_iou(truth, answers[head])


def verdicts(table: pd.DataFrame) -> list[str]:
    """In words: did each sharing model beat the single-task model on each task?"""
    by_model = table.set_index("model")
    alone = {
        "class accuracy": by_model.loc[views.TITLES["classifier"], "class accuracy"],
        "mean box IoU": by_model.loc[views.TITLES["box_regressor"], "mean box IoU"],
    }
    lines = []
    for variant in ("hard_sharing", "soft_sharing"):
        title = views.TITLES[variant]
        if title not in by_model.index:
            continue
        parts = []
        for column, task in (("class accuracy", "class"), ("mean box IoU", "box")):
            change = by_model.loc[title, column] - alone[column]
            if change > SAME_WITHIN:
                word = "better than"
            elif change < -SAME_WITHIN:
                word = "worse than"
            else:
                word = "about the same as"
            parts.append(f"{task}: {word} alone ({signed(change)} {column})")
        lines.append(f"- **{title}**: " + "; ".join(parts))
    return lines


def gallery_indices(test_classes: np.ndarray) -> np.ndarray:
    """One test image of each class: the first one the test set holds."""
    return np.array([np.flatnonzero(test_classes == index)[0] for index in range(len(CLASS_NAMES))])


def gallery_view(models, predictions) -> None:
    images, test_classes, test_boxes = test_set()
    picked = gallery_indices(test_classes)
    box_models = [variant for variant in models if "box" in predictions[variant]]
    captions = [f"{n}. {CLASS_NAMES[test_classes[i]]}" for n, i in enumerate(picked, 1)]
    st.plotly_chart(
        views.boxes_figure(
            images[picked],
            test_boxes[picked],
            captions,
            {variant: predictions[variant]["box"][picked] for variant in box_models},
            columns=GALLERY_COLUMNS,
        ),
        key=f"{KEY}_boxes_chart",
        config={"displayModeBar": False},
    )
    st.dataframe(views.box_legend_table(box_models), hide_index=True)
    st.caption("What each model answered for these images, and how well its box fits (IoU).")
    st.dataframe(gallery_table(picked, models, predictions), hide_index=True)


def gallery_table(picked, models, predictions) -> pd.DataFrame:
    _, test_classes, test_boxes = test_set()
    rows = []
    for number, index in enumerate(picked, 1):
        row = {"image": number, "true class": CLASS_NAMES[test_classes[index]]}
        for variant in models:
            answers, title = predictions[variant], views.TITLES[variant]
            if "class" in answers:
                row[f"{title}: class"] = CLASS_NAMES[answers["class"][index].argmax()]
            if "box" in answers:
                iou = box_maths.box_iou(
                    test_boxes[index : index + 1], answers["box"][index : index + 1]
                )
                row[f"{title}: box IoU"] = round(float(iou[0]), 2)
        rows.append(row)
    return pd.DataFrame(rows)


def live_section(text) -> None:
    settings = settings_controls()
    if settings["class_weight"] == 0 and settings["box_weight"] == 0:
        st.error(
            "Both loss weights are 0: the two-head models would have nothing to learn. "
            "Give at least one of them a weight above 0."
        )
        return
    with st.spinner(f"Drawing {settings['images']:,} training images and loading TensorFlow…"):
        jobs = training_jobs(settings)
        counts, _ = parameter_counts()
    st.caption(
        f"Four models train one after another, each for at most {TIME_BUDGET_SECONDS:.0f} s. "
        "With the default settings that takes about half a minute on an idle two-core "
        "machine; more images or epochs take longer."
    )
    trained = training_panel(jobs, key=KEY, colours=views.job_colours())
    models = {v: trained[views.TITLES[v]] for v in VARIANTS if views.TITLES[v] in trained}
    if not models:
        return
    trained_settings = next(iter(models.values())).settings
    if trained_settings != settings:
        st.caption(
            "The results below are for the models as last trained: "
            f"{describe_settings(trained_settings)}."
        )
    with st.spinner("Scoring the models on the test images…"):
        predictions = {
            variant: test_predictions(variant, model) for variant, model in models.items()
        }
    st.subheader("Results on held-out images")
    text.show("results")
    table = results_table(models, predictions, counts, trained_settings)
    st.dataframe(numbers_as_text(table, RESULT_FORMATS), hide_index=True)
    if not_learned := heads_that_learned_nothing(table):
        st.warning(
            f"{', '.join(not_learned)}: the class accuracy is within "
            f"{SAME_WITHIN:.2f} of always saying the most common class, so these models have "
            "not learned the classes yet. Train on more images or for more epochs before "
            "comparing them.",
            icon=":material/hourglass_empty:",
        )
    lines = verdicts(table) if {"classifier", "box_regressor"} <= set(models) else []
    if lines:
        st.markdown("\n".join(lines))
        st.caption(
            f"One run each. Differences smaller than {SAME_WITHIN:.2f} count as the same: "
            "in the benchmark below, the same setting trained from another seed moved the "
            "scores by up to about that much."
        )
    st.subheader("Boxes on test images")
    gallery_view(models, predictions)


def architecture_view() -> None:
    counts, tower = parameter_counts()
    columns = st.columns(2)
    for index, variant in enumerate(VARIANTS):
        with columns[index % 2]:
            st.graphviz_chart(
                views.architecture_dot(variant, tower, counts[variant]),
                alt=views.architecture_text(variant, tower, counts[variant]),
            )
    two_models = counts["classifier"] + counts["box_regressor"]
    st.dataframe(
        pd.DataFrame(
            {
                "model": [
                    *(views.TITLES[variant] for variant in VARIANTS),
                    "class only + box only, together",
                ],
                "parameters": [counts[variant] for variant in VARIANTS] + [two_models],
            }
        ).style.format({"parameters": "{:,}"}),
        hide_index=True,
    )


def benchmark_view() -> dict | None:
    try:
        sweep = views.read_sweep()
    except (OSError, ValueError):
        st.warning(
            "The benchmark's results are missing. "
            "Make them with `python -m benchmarks.sharing_sweep`."
        )
        return
    # One above the other: side by side, the "mean ± spread" columns do not fit.
    st.markdown("**Class accuracy on held-out images**")
    st.dataframe(views.sweep_task_table(sweep, "accuracy"), hide_index=True)
    st.markdown("**Mean box IoU on held-out images**")
    st.dataframe(views.sweep_task_table(sweep, "mean_iou"), hide_index=True)
    st.plotly_chart(
        views.sweep_figure(sweep), key=f"{KEY}_sweep_chart", config={"displayModeBar": False}
    )
    with st.expander("Every row of the benchmark, with epochs and parameters"):
        st.dataframe(views.sweep_table(sweep), hide_index=True)
    st.caption(
        f"Made with `{sweep['command']}` in {sweep['run_seconds'] / 60:.0f} minutes "
        f"({sweep['machine']}); mean ± standard deviation over "
        f"{len(sweep['settings']['seeds'])} seeds."
    )
    return sweep


def continuum_view(sweep: dict) -> None:
    st.plotly_chart(
        views.continuum_figure(sweep),
        key=f"{KEY}_continuum_chart",
        config={"displayModeBar": False},
    )
    with st.expander("The same numbers as a table"):
        st.dataframe(views.continuum_table(sweep), hide_index=True)


text = start_lesson_page(LESSON)
text.show("intro")

st.header("Four ways to answer two questions")
text.show("architectures")
with st.spinner("Loading TensorFlow (the first time takes a few seconds)…"):
    architecture_view()
text.show("losses")

st.header("Train all four")
text.show("training")
live_section(text)

st.header("When does sharing help?")
text.show("benchmark")
sweep = benchmark_view()
st.subheader("From two towers to one")
text.show("continuum")
if sweep is not None:
    continuum_view(sweep)
st.subheader("Two losses, one trunk")
text.show("loss_balance")
if sweep is not None and sweep.get("box_weights"):
    st.dataframe(views.box_weight_table(sweep), hide_index=True)
text.show("helps_and_hurts")

st.header("In Keras")
text.show("keras_code")
hard_tab, soft_tab = st.tabs(["Hard sharing", "Soft sharing"])
with hard_tab:
    text.show_code("hard_sharing")
with soft_tab:
    text.show_code("soft_sharing")

text.show("try_this")
text.show("takeaways")
show_quiz(LESSON.slug)
