"""Lesson 2: reading multilabel output.

The shipped sigmoid model has read two generated sets of shapes-world images, a
validation set and a test set. The learner chooses how to turn its probabilities into
labels (one threshold, a threshold per class, top-k, top-k above a threshold, at least
one label), watches the gallery and the scores follow, tunes thresholds on validation
data and checks them on test data, looks at label balance and a parent label, and
trains small models live to see a rare class and one-vs-rest models at work.

Every number on this page comes from real predictions: the shipped model's, or those of
the models the learner trains here.
"""

import numpy as np
import pandas as pd
import streamlit as st

from lessons import metrics, parsing
from lessons.course import lesson_by_slug
from lessons.label_hierarchy import HAS_CORNERS, share_saying_two_labels, with_parent_column
from lessons.shapes import CLASS_NAMES
from lessons.url_settings import SettingSpec
from ui.lesson import start_lesson_page
from ui.multilabel_charts import (
    co_occurrence_heatmap,
    grouped_bars,
    label_frequency_bars,
    precision_recall_grid,
    scores_against_threshold,
)
from ui.multilabel_live import one_vs_rest_section, rare_class_section
from ui.multilabel_views import (
    answer_sizes,
    gallery_table,
    gallery_view,
    number_columns,
    per_class_frame,
    show_score_table,
    summary_frame,
)
from ui.quiz import show_quiz
from ui.url_state import remember_and_share, restore_widget_values

LESSON = lesson_by_slug("reading_multilabel_output")

# The evaluation sets: generated from their own seeds, never used to train the shipped model.
VALIDATION_SEED = 2001
TEST_SEED = 2002
EVALUATION_SIZE = 1500
# The live heads learn from their own images, drawn from a third seed.
LIVE_TRAINING_SEED = 2003
LIVE_TRAINING_SIZE = 2000
SIGMOID_MODEL = "sigmoid"
GALLERY_SIZE = 12
# How many validation images the tuning may use: few images make tuned thresholds noisy.
TUNING_SIZES = (100, 300, 1500)

STRATEGIES = {
    "threshold": "One threshold for all",
    "per-class": "A threshold per class",
    "top-k": "Top k",
    "top-k-threshold": "Top k above the threshold",
    "at-least-one": "At least one label",
}
GOALS = {"f1": "the best F1", "precision": "a target precision"}
GALLERIES = {"first": "the first twelve", "unsure": "twelve the model is least sure about"}

SPECS = (
    SettingSpec("strategy", str, "threshold", choices=tuple(STRATEGIES)),
    SettingSpec("threshold", float, 0.5, minimum=0.0, maximum=1.0, step=0.01),
    SettingSpec("k", int, 2, minimum=1, maximum=len(CLASS_NAMES)),
    *(
        SettingSpec(f"t_{name}", float, 0.5, minimum=0.0, maximum=1.0, step=0.01)
        for name in CLASS_NAMES
    ),
    SettingSpec("goal", str, "f1", choices=tuple(GOALS)),
    SettingSpec("precision", float, 0.95, minimum=0.5, maximum=0.99, step=0.01),
    SettingSpec("tune_on", int, 1500, choices=TUNING_SIZES),
    SettingSpec("gallery", str, "first", choices=tuple(GALLERIES)),
    SettingSpec("rare", str, "star", choices=CLASS_NAMES),
    SettingSpec("keep", float, 0.05, minimum=0.0, maximum=1.0, step=0.01),
)
# The session-state key of the widget that holds each URL setting.
WIDGET_KEYS = {
    "strategy": "l2_strategy",
    "threshold": "l2_threshold",
    "k": "l2_k",
    **{f"t_{name}": f"l2_t_{name}" for name in CLASS_NAMES},
    "goal": "l2_goal",
    "precision": "l2_target_precision",
    "tune_on": "l2_tune_on",
    "gallery": "l2_gallery",
    "rare": "l2_rare_class",
    "keep": "l2_keep",
}
SETTINGS_KEY = "l2_settings"


# --- Settings in the URL ------------------------------------------------------------------


def initial_settings() -> None:
    """Give every setting's widget its value before anything on the page reads it.

    On the first visit the values come from the URL, each checked against its spec; a
    bad one falls back to its default with a notice. Later, a widget that Streamlit forgot
    (the learner visited another page) gets back the value it last had.
    """
    restore_widget_values(SPECS, SETTINGS_KEY, WIDGET_KEYS.__getitem__)
    remember_settings()


def remember_settings() -> None:
    """Keep the current settings for the next visit and record them in the URL."""
    values = {spec.name: st.session_state[WIDGET_KEYS[spec.name]] for spec in SPECS}
    remember_and_share(SPECS, SETTINGS_KEY, values)


# --- The data: the shipped model's predictions, computed once per server -----------------


# Each set: how many images, drawn from which seed.
IMAGE_SETS = {
    "validation": (EVALUATION_SIZE, VALIDATION_SEED),
    "test": (EVALUATION_SIZE, TEST_SEED),
    "train": (LIVE_TRAINING_SIZE, LIVE_TRAINING_SEED),
}


@st.cache_resource(show_spinner=False)
def image_set(name: str) -> dict[str, np.ndarray]:
    """What the lesson computes from the shipped models for one set of images.

    Every set: labels, and the sigmoid model's features (what its output layer reads,
    for the live heads). Validation and test: the sigmoid model's probabilities. Test:
    the softmax model's probabilities and the gallery's images. Computed once per
    server and shared by every learner, so every array is read-only.
    """
    from lessons.shapes import make_multilabel_images
    from models import zoo
    from models.multilabel_heads import feature_extractor, image_features

    size, seed = IMAGE_SETS[name]
    images, labels = make_multilabel_images(size, seed)
    extractor = feature_extractor(zoo.load_model(SIGMOID_MODEL))
    data = {
        f"{name}_labels": labels.astype(int),
        f"{name}_features": image_features(extractor, images),
    }
    if name != "train":
        data[f"{name}_probabilities"] = np.asarray(zoo.sigmoid_probabilities(images), float)
    if name == "test":
        data["test_softmax"] = np.asarray(zoo.softmax_probabilities(images), float)
        for which in GALLERIES:
            indices = gallery_indices(data["test_probabilities"], which)
            data[f"gallery_{which}_indices"] = indices
            data[f"gallery_{which}_images"] = images[indices]
    for array in data.values():
        array.setflags(write=False)
    return data


def evaluation_data() -> dict[str, np.ndarray]:
    """Every set's arrays in one dictionary (each set is computed once, then cached)."""
    return {key: value for name in IMAGE_SETS for key, value in image_set(name).items()}


def load_evaluation_data() -> dict[str, np.ndarray]:
    """The data, with a progress bar the first time this learner needs it computed."""
    progress = None
    if not st.session_state.get("l2_data_ready"):
        progress = st.progress(0.0, text="Loading TensorFlow and the shipped models...")
    try:
        for step, (name, (size, _)) in enumerate(IMAGE_SETS.items()):
            if progress is not None:
                progress.progress(
                    step / len(IMAGE_SETS),
                    text=f"Drawing the {size:,} {name} images and reading the shipped models' "
                    "outputs (once per server)...",
                )
            image_set(name)
    except Exception as error:  # any failure: a message for the learner, not a traceback
        st.error(
            "The shipped models could not be loaded, so this lesson has no predictions "
            f"to show. Rebuild them with `make models`. ({type(error).__name__}: {error})"
        )
        st.stop()
    if progress is not None:
        progress.empty()
    st.session_state["l2_data_ready"] = True
    return evaluation_data()


def gallery_indices(probabilities: np.ndarray, which: str) -> np.ndarray:
    """Which test images the gallery shows: the first twelve, or the least certain ones."""
    if which == "first":
        return np.arange(GALLERY_SIZE)
    unsure = ((probabilities > 0.2) & (probabilities < 0.8)).sum(axis=1)
    closeness = np.abs(probabilities - 0.5).min(axis=1)
    # Most outputs in the unsure band first; among equals, the one nearest 0.5.
    order = np.lexsort((closeness, -unsure))
    return np.sort(order[:GALLERY_SIZE])


# --- Reading rules ------------------------------------------------------------------------


def per_class_thresholds() -> np.ndarray:
    return np.array([st.session_state[f"l2_t_{name}"] for name in CLASS_NAMES], dtype=float)


def parse(strategy: str, probabilities, threshold: float, thresholds, k: int) -> np.ndarray:
    """The labels one reading rule says, as a 0/1 matrix."""
    if strategy == "threshold":
        return parsing.parse_with_threshold(probabilities, threshold)
    if strategy == "per-class":
        return parsing.parse_with_thresholds(probabilities, thresholds)
    if strategy == "top-k":
        return parsing.parse_top_k(probabilities, k)
    if strategy == "top-k-threshold":
        return parsing.parse_top_k_above_threshold(probabilities, k, threshold)
    return parsing.parse_at_least_one(probabilities, threshold)


def thresholds_in_use(strategy: str, threshold: float, thresholds) -> np.ndarray | None:
    """The threshold of each class under a rule, or None when the rule uses none."""
    if strategy == "top-k":
        return None
    if strategy == "per-class":
        return np.asarray(thresholds)
    return np.full(len(CLASS_NAMES), threshold)


def describe(strategy: str, threshold: float, k: int) -> str:
    if strategy == "threshold":
        return f"one threshold, {threshold:.2f}"
    if strategy == "per-class":
        return "your threshold per class"
    if strategy == "top-k":
        return f"top {k}"
    if strategy == "top-k-threshold":
        return f"top {k} above {threshold:.2f}"
    return f"at least one label, threshold {threshold:.2f}"


def rule_controls() -> tuple[str, float, int]:
    left, middle, right = st.columns([2, 2, 1])
    strategy = left.radio(
        "Reading rule",
        list(STRATEGIES),
        format_func=STRATEGIES.get,
        key="l2_strategy",
        help="How the application turns the six probabilities of an image into labels.",
    )
    uses_threshold = strategy not in ("top-k", "per-class")
    threshold = middle.slider(
        "Global threshold",
        0.0,
        1.0,
        step=0.01,
        key="l2_threshold",
        disabled=not uses_threshold,
        help="A label is said when its probability is at least this."
        + ("" if uses_threshold else " Not used by the rule you picked."),
    )
    k = right.slider(
        "k",
        1,
        len(CLASS_NAMES),
        step=1,
        key="l2_k",
        disabled=strategy not in ("top-k", "top-k-threshold"),
        help="How many labels top k says (at most).",
    )
    if strategy == "per-class":
        middle.caption("Set the per-class thresholds further down, or tune them there.")
    return strategy, float(threshold), int(k)


# --- Sections -----------------------------------------------------------------------------


def gallery_section(data, strategy, threshold, thresholds, k) -> None:
    which = st.radio(
        "Show", list(GALLERIES), format_func=GALLERIES.get, key="l2_gallery", horizontal=True
    )
    indices = data[f"gallery_{which}_indices"]
    labels = data["test_labels"][indices]
    probabilities = data["test_probabilities"][indices]
    predictions = parse(strategy, probabilities, threshold, thresholds, k)
    right = int(np.all(predictions == labels, axis=1).sum())
    st.markdown(
        f"With **{describe(strategy, threshold, k)}**, {right} of these {len(indices)} "
        "images get exactly the right set of labels."
    )
    gallery_view(
        data[f"gallery_{which}_images"],
        labels,
        probabilities,
        predictions,
        thresholds_in_use(strategy, threshold, thresholds),
        CLASS_NAMES,
        image_numbers=indices.tolist(),
        key="l2_gallery",
    )
    with st.expander("The gallery as a table"):
        table = gallery_table(labels, probabilities, predictions, CLASS_NAMES, indices.tolist())
        st.dataframe(
            table,
            column_config=number_columns(table, integer_columns=("image",)),
            hide_index=True,
        )


@st.cache_resource(show_spinner=False)
def validation_curves() -> list:
    data = evaluation_data()
    return metrics.precision_recall_curves(
        data["validation_labels"], data["validation_probabilities"]
    )


SWEEP = np.round(np.arange(0.02, 0.99, 0.02), 2)
SWEPT_SCORES = ("micro F1", "macro F1", "subset accuracy", "Hamming loss")


@st.cache_resource(show_spinner=False)
def validation_sweep() -> dict[str, list[float]]:
    """Validation scores at every threshold of SWEEP (one threshold for all classes)."""
    data = evaluation_data()
    sweep = {name: [] for name in SWEPT_SCORES}
    for threshold in SWEEP:
        predictions = parsing.parse_with_threshold(data["validation_probabilities"], threshold)
        summary = metrics.summarise(data["validation_labels"], predictions, CLASS_NAMES)
        for name in SWEPT_SCORES:
            sweep[name].append(summary.summary_table()[name])
    return sweep


def scores_section(text, data, strategy, threshold, thresholds, k) -> None:
    labels = data["validation_labels"]
    probabilities = data["validation_probabilities"]
    predictions = parse(strategy, probabilities, threshold, thresholds, k)
    report = metrics.summarise(labels, predictions, CLASS_NAMES)
    st.markdown(f"Scores of **{describe(strategy, threshold, k)}** on the validation set:")
    headline = st.columns(4)
    headline[0].metric("micro F1", f"{report.micro.f1:.3f}")
    headline[1].metric("macro F1", f"{report.macro.f1:.3f}")
    headline[2].metric("subset accuracy", f"{report.subset_accuracy:.3f}")
    headline[3].metric("Hamming loss", f"{report.hamming_loss:.3f}")

    left, right = st.columns([2, 3])
    with left:
        summary = summary_frame({"validation": report})
        for name, value in answer_sizes(predictions).items():
            summary.loc[name, "validation"] = value
        show_score_table(summary)
    with right:
        show_score_table(per_class_frame(report), integer_columns=("support",))

    st.subheader("Precision and recall of each class")
    text.show("pr_curves")
    rule_thresholds = thresholds_in_use(strategy, threshold, thresholds)
    points = [
        (
            float(report.per_class.precision[j]),
            float(report.per_class.recall[j]),
            None if rule_thresholds is None else float(rule_thresholds[j]),
        )
        for j in range(len(CLASS_NAMES))
    ]
    st.plotly_chart(
        precision_recall_grid(CLASS_NAMES, validation_curves(), points),
        key="l2_pr_curves",
        config={"displayModeBar": False},
    )
    with st.expander("The curves in numbers"):
        st.caption("Validation precision and recall of each class at a few thresholds.")
        st.dataframe(curve_table(labels, probabilities), hide_index=True)

    st.subheader("Sweeping one threshold")
    text.show("sweep")
    sweep = validation_sweep()
    st.plotly_chart(
        scores_against_threshold(SWEEP, sweep, threshold),
        key="l2_sweep",
        config={"displayModeBar": False},
    )
    best = int(np.argmax(sweep["micro F1"]))
    st.caption(
        f"On the validation set the best single threshold for micro F1 is "
        f"{SWEEP[best]:.2f} (micro F1 {sweep['micro F1'][best]:.3f})."
    )
    with st.expander("The sweep in numbers"):
        table = pd.DataFrame({"threshold": SWEEP, **sweep})
        st.dataframe(table, column_config=number_columns(table), hide_index=True)


def curve_table(labels, probabilities) -> pd.DataFrame:
    rows = []
    for threshold in (0.1, 0.3, 0.5, 0.7, 0.9):
        scores = metrics.per_class_scores(
            labels, parsing.parse_with_threshold(probabilities, threshold)
        )
        for j, name in enumerate(CLASS_NAMES):
            rows.append(
                {
                    "class": name,
                    "threshold": threshold,
                    "precision": scores.precision[j],
                    "recall": scores.recall[j],
                }
            )
    table = pd.DataFrame(rows).pivot(
        index="class", columns="threshold", values=["precision", "recall"]
    )
    table.columns = [f"{score} at {threshold:.1f}" for score, threshold in table.columns]
    return table.reset_index().round(3)


def tune_thresholds() -> None:
    """Button callback: tune on the validation images only, then switch to per-class reading."""
    data = evaluation_data()
    size = st.session_state["l2_tune_on"]
    labels = data["validation_labels"][:size]
    probabilities = data["validation_probabilities"][:size]
    if st.session_state["l2_goal"] == "f1":
        tuned = metrics.tune_thresholds_for_f1(labels, probabilities)
    else:
        tuned = metrics.tune_thresholds_for_precision(
            labels, probabilities, st.session_state["l2_target_precision"]
        )
    for name, value in zip(CLASS_NAMES, tuned.thresholds, strict=True):
        # Round down to the sliders' step, so that every validation image that passed
        # the tuned threshold still passes the slider's.
        st.session_state[f"l2_t_{name}"] = float(np.floor(value * 100) / 100)
    st.session_state["l2_strategy"] = "per-class"
    st.session_state["l2_tuning_result"] = {
        "goal": st.session_state["l2_goal"],
        "target": st.session_state["l2_target_precision"],
        "size": size,
        "exact": tuned.thresholds.tolist(),
        "fallback": tuned.fallback.tolist(),
    }


def set_all_thresholds(value: float) -> None:
    for name in CLASS_NAMES:
        st.session_state[f"l2_t_{name}"] = value


def per_class_section(text, data) -> None:
    text.show("per_class")
    columns = st.columns(len(CLASS_NAMES))
    for column, name in zip(columns, CLASS_NAMES, strict=True):
        column.slider(name, 0.0, 1.0, step=0.01, key=f"l2_t_{name}")

    goal_column, target_column, size_column = st.columns(3)
    goal = goal_column.radio("Tune for", list(GOALS), format_func=GOALS.get, key="l2_goal")
    target_column.slider(
        "Target precision",
        0.5,
        0.99,
        step=0.01,
        key="l2_target_precision",
        disabled=goal != "precision",
        help="Each class gets the threshold with the most recall that reaches this precision.",
    )
    size_column.select_slider(
        "Validation images to tune on",
        options=TUNING_SIZES,
        key="l2_tune_on",
        help="Fewer images: thresholds that fit those images more than the task.",
    )
    buttons = st.columns([1, 1, 3])
    buttons[0].button(
        "Tune on validation",
        key="l2_tune",
        type="primary",
        on_click=tune_thresholds,
        icon=":material/tune:",
    )
    buttons[1].button(
        "All back to 0.5", key="l2_reset_thresholds", on_click=set_all_thresholds, args=(0.5,)
    )
    result = st.session_state.get("l2_tuning_result")
    if result is not None:
        goal_text = (
            "the best F1"
            if result["goal"] == "f1"
            else f"a precision of at least {result['target']:.2f}"
        )
        st.success(
            f"Tuned for {goal_text} on the first {result['size']:,} validation images; "
            "the reading rule is now *a threshold per class*.",
            icon=":material/check:",
        )
        fell_back = [
            name for name, flag in zip(CLASS_NAMES, result["fallback"], strict=True) if flag
        ]
        if fell_back:
            st.info(
                f"{', '.join(fell_back)}: no threshold reached the target on those images, so "
                "each got the threshold with the best precision it could reach."
            )

    thresholds = per_class_thresholds()
    size = st.session_state["l2_tune_on"]
    validation = metrics.summarise(
        data["validation_labels"][:size],
        parsing.parse_with_thresholds(data["validation_probabilities"][:size], thresholds),
        CLASS_NAMES,
    )
    test = metrics.summarise(
        data["test_labels"],
        parsing.parse_with_thresholds(data["test_probabilities"], thresholds),
        CLASS_NAMES,
    )
    st.markdown(
        f"Your per-class thresholds on the **{size:,} validation images** they are tuned on, "
        f"and on the **{EVALUATION_SIZE:,} test images** that no choice has looked at:"
    )
    left, right = st.columns([2, 3])
    with left:
        summary = summary_frame({"validation": validation, "test": test})
        summary["test - validation"] = summary["test"] - summary["validation"]
        show_score_table(summary)
    with right:
        st.plotly_chart(
            grouped_bars(
                CLASS_NAMES,
                {"validation F1": validation.per_class.f1, "test F1": test.per_class.f1},
                y_title="F1 with your thresholds",
            ),
            key="l2_validation_vs_test",
            config={"displayModeBar": False},
        )
    table = pd.DataFrame(
        {
            "class": CLASS_NAMES,
            "threshold": thresholds,
            "validation precision": validation.per_class.precision,
            "validation recall": validation.per_class.recall,
            "validation F1": validation.per_class.f1,
            "test precision": test.per_class.precision,
            "test recall": test.per_class.recall,
            "test F1": test.per_class.f1,
        }
    ).set_index("class")
    show_score_table(table)
    text.show("validation_vs_test")


@st.cache_resource(show_spinner=False)
def thresholds_tuned_for_f1() -> np.ndarray:
    data = evaluation_data()
    return metrics.tune_thresholds_for_f1(
        data["validation_labels"], data["validation_probabilities"]
    ).thresholds


def comparison_section(data, strategy, threshold, thresholds, k) -> None:
    probabilities = data["test_probabilities"]
    rules = {
        "0.5 for every class": parsing.parse_with_threshold(probabilities, 0.5),
        "tuned per class (F1 on validation)": parsing.parse_with_thresholds(
            probabilities, thresholds_tuned_for_f1()
        ),
        "top 1": parsing.parse_top_k(probabilities, 1),
        "top 2": parsing.parse_top_k(probabilities, 2),
        "at least one (0.5)": parsing.parse_at_least_one(probabilities, 0.5),
        f"yours: {describe(strategy, threshold, k)}": parse(
            strategy, probabilities, threshold, thresholds, k
        ),
    }
    rows = {}
    for name, predictions in rules.items():
        row = metrics.summarise(data["test_labels"], predictions, CLASS_NAMES).summary_table()
        row.update(answer_sizes(predictions))
        rows[name] = row
    table = pd.DataFrame(rows).T
    table.index.name = "rule"
    columns = [
        "micro F1",
        "macro F1",
        "subset accuracy",
        "Hamming loss",
        "Jaccard (samples)",
        "labels per image",
        "share with no label",
    ]
    show_score_table(table[columns])
    truth = data["test_labels"].sum(axis=1)
    st.caption(
        f"For reference, the test images really hold {truth.mean():.2f} shapes on average, "
        f"and {np.mean(truth == 0):.0%} of them hold none."
    )
    st.plotly_chart(
        grouped_bars(
            list(table.index),
            {name: table[name].tolist() for name in ("micro F1", "macro F1", "subset accuracy")},
            y_title="score on the test set",
        ),
        key="l2_strategy_bars",
        config={"displayModeBar": False},
    )


def balance_section(data) -> None:
    labels = data["validation_labels"]
    left, right = st.columns(2)
    with left:
        st.markdown("**How many validation images hold each shape**")
        st.plotly_chart(
            label_frequency_bars(
                CLASS_NAMES, metrics.label_frequency(labels).tolist(), len(labels)
            ),
            key="l2_frequency",
            config={"displayModeBar": False},
        )
    with right:
        st.markdown("**How many hold both shapes of a pair**")
        st.plotly_chart(
            co_occurrence_heatmap(CLASS_NAMES, metrics.co_occurrence(labels)),
            key="l2_co_occurrence",
            config={"displayModeBar": False},
        )
    counts = labels.sum(axis=1)
    st.caption(
        "Shapes per image in the validation set: "
        + ", ".join(f"{n} shapes: {np.mean(counts == n):.0%}" for n in range(4))
        + "."
    )


def hierarchy_section(text, data, threshold) -> None:
    labels = data["test_labels"]
    probabilities = data["test_probabilities"]
    parent_truth = HAS_CORNERS.truth(labels, CLASS_NAMES)
    by_max = HAS_CORNERS.probability_by_max(probabilities, CLASS_NAMES)
    by_noisy_or = HAS_CORNERS.probability_by_noisy_or(probabilities, CLASS_NAMES)
    names = (*CLASS_NAMES, HAS_CORNERS.name)

    st.markdown(f"**Six test images, read with one threshold of {threshold:.2f}**")
    rows = []
    for index in range(6):
        said = parsing.parse_with_threshold(
            with_parent_column(probabilities[index : index + 1], by_max[index : index + 1]),
            threshold,
        )[0]
        rows.append(
            {
                "image": index,
                "in the image": ", ".join(
                    name for name, on in zip(CLASS_NAMES, labels[index], strict=True) if on
                )
                or "(no shape)",
                "has corners, truly": "yes" if parent_truth[index] else "no",
                "p(has corners) by max": by_max[index],
                "p(has corners) by noisy-or": by_noisy_or[index],
                "the sigmoid model says": ", ".join(
                    name for name, on in zip(names, said, strict=True) if on
                )
                or "(nothing)",
            }
        )
    table = pd.DataFrame(rows)
    st.dataframe(
        table,
        column_config=number_columns(table, integer_columns=("image",)),
        hide_index=True,
    )

    scores = {}
    for rule, parent_probability in (("max", by_max), ("noisy-or", by_noisy_or)):
        said = (parent_probability >= threshold).astype(int)[:, None]
        report = metrics.summarise(parent_truth[:, None], said, (HAS_CORNERS.name,))
        scores[f"parent by {rule}"] = {
            "precision": report.per_class.precision[0],
            "recall": report.per_class.recall[0],
            "F1": report.per_class.f1[0],
        }
    st.markdown(f"**'has corners' on all {len(labels):,} test images, threshold {threshold:.2f}**")
    show_score_table(pd.DataFrame(scores).T)

    child_and_parent = np.mean(
        (probabilities[:, HAS_CORNERS.child_columns(CLASS_NAMES)] >= threshold).any(axis=1)
        & (by_max >= threshold)
    )
    softmax = data["test_softmax"]
    facts = st.columns(3)
    facts[0].metric(
        "Sigmoid: says a shape and 'has corners'",
        f"{child_and_parent:.0%}",
        help="Share of the test images where a cornered shape and its parent both pass.",
    )
    facts[1].metric(
        "Softmax: two labels above 0.5",
        f"{share_saying_two_labels(softmax, np.nextafter(0.5, 1.0)):.0%}",
        help="Share of the test images where the shipped softmax model says two labels.",
    )
    facts[2].metric(
        "Truly two or more shapes",
        f"{np.mean(labels.sum(axis=1) >= 2):.0%}",
        help="Share of the test images that hold at least two shapes.",
    )
    text.show("softmax_cannot")


def rare_class_controls() -> None:
    left, right = st.columns(2)
    left.selectbox("Shape to make rare", CLASS_NAMES, key="l2_rare_class")
    right.slider(
        "Share of its training images kept",
        0.0,
        1.0,
        step=0.01,
        key="l2_keep",
        help="0.05 keeps one image in twenty of those that hold the shape.",
    )


# --- The page -----------------------------------------------------------------------------

text = start_lesson_page(LESSON)
initial_settings()
text.show("intro")
data = load_evaluation_data()

st.header("Read the output")
text.show("reading_rules")
strategy, threshold, k = rule_controls()
thresholds = per_class_thresholds()
text.show("gallery")
gallery_section(data, strategy, threshold, thresholds, k)

st.header("How good is your rule?")
text.show("scores")
scores_section(text, data, strategy, threshold, thresholds, k)
text.show("metrics")

st.header("A threshold per class")
per_class_section(text, data)

st.header("Compare the rules on the test set")
text.show("comparison")
comparison_section(data, strategy, threshold, thresholds, k)

st.header("Balance: how often each label occurs")
text.show("balance")
balance_section(data)
text.show("rare_class")
rare_class_controls()
rare_class_section(
    data, CLASS_NAMES, st.session_state["l2_rare_class"], st.session_state["l2_keep"]
)

st.header("Overlapping and hierarchical labels")
text.show("hierarchy")
hierarchy_section(text, data, threshold)

st.header("One network or one model per class?")
text.show("one_vs_rest")
one_vs_rest_section(data, CLASS_NAMES)

st.header("In an application")
text.show("application_code")
text.show_code("application")

text.show("try_this")
text.show("takeaways")
show_quiz(LESSON.slug)
