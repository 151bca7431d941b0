"""Lesson 2, live: small heads trained on the shipped network's features while the learner waits.

Two experiments, each through the training panel (so the jobs queue on the server's
trainers, show a progress bar and a growing loss chart, and can be stopped):

- `rare_class_section`: the same head trained on a balanced set and on a set where one
  class is rare, then both read the test set, to show the rare class's recall falling;
- `one_vs_rest_section`: one head with six outputs against six one-output heads on the
  same data, compared on parameters, training time and F1.

See `models.multilabel_heads` for why the live models are heads on frozen features.
TensorFlow is imported inside the functions only, so importing this module stays light.
"""

import functools

import numpy as np
import pandas as pd
import streamlit as st

from lessons import metrics, parsing
from lessons.label_balance import indices_with_class_made_rare, random_subset
from ui.charts import signed
from ui.multilabel_charts import grouped_bars
from ui.multilabel_views import show_score_table
from ui.training_panel import TrainedModel, training_panel

EPOCHS = 20
BATCH_SIZE = 64
SEED = 0
# The default runs take a few seconds each; this only stops runaway runs.
TIME_BUDGET_SECONDS = 45.0
THRESHOLD = 0.5

BALANCED = "balanced"
RARE = "one class rare"
ONE_NETWORK = "one network"


def probabilities_of(trained: TrainedModel, features: np.ndarray) -> np.ndarray:
    from models.multilabel_heads import predict_probabilities

    return predict_probabilities(trained.model, features)


def _job(name, outputs, x, y, settings):
    from models.multilabel_heads import build_head
    from models.training import TrainingJob

    return TrainingJob(
        name=name,
        build_model=functools.partial(build_head, x.shape[1], outputs, name=name.replace(" ", "_")),
        x=x,
        y=y,
        epochs=EPOCHS,
        batch_size=BATCH_SIZE,
        seed=SEED,
        time_budget_s=TIME_BUDGET_SECONDS,
        settings=settings,
    )


# --- A rare class --------------------------------------------------------------------------


def rare_class_training_sets(labels: np.ndarray, class_index: int, keep_fraction: float):
    """Indices of the set with the class made rare, and of a balanced set of the same size."""
    rare = indices_with_class_made_rare(labels, class_index, keep_fraction, seed=SEED)
    balanced = random_subset(len(labels), len(rare), seed=SEED)
    return balanced, rare


def rare_class_section(data, class_names, class_name: str, keep_fraction: float) -> None:
    class_index = list(class_names).index(class_name)
    features, labels = data["train_features"], data["train_labels"]
    balanced, rare = rare_class_training_sets(labels, class_index, keep_fraction)
    counts = pd.DataFrame(
        {
            "balanced set": labels[balanced].sum(axis=0),
            f"{class_name} rare": labels[rare].sum(axis=0),
        },
        index=pd.Index(class_names, name="class"),
    )
    st.markdown(f"Both training sets hold **{len(rare):,} images**. Images holding each shape:")
    show_score_table(counts.T, integer_columns=tuple(class_names))

    settings = {"rare": class_name, "keep": keep_fraction}
    jobs = [
        _job(BALANCED, len(class_names), features[balanced], labels[balanced], settings),
        _job(RARE, len(class_names), features[rare], labels[rare], settings),
    ]
    trained = training_panel(jobs, key="l2_rare")
    if BALANCED not in trained or RARE not in trained:
        return
    trained_settings = trained[RARE].settings
    rare_name = trained_settings["rare"]
    rare_index = list(class_names).index(rare_name)
    if trained_settings != settings:
        st.caption(
            f"The results below are for the models as last trained: {rare_name} rare, "
            f"{trained_settings['keep']:.0%} of its images kept."
        )
    rare_class_results(data, class_names, trained, rare_name, rare_index)


def rare_class_results(data, class_names, trained, rare_name: str, rare_index: int) -> None:
    recall = {}
    for name in (BALANCED, RARE):
        predictions = parsing.parse_with_threshold(
            probabilities_of(trained[name], data["test_features"]), THRESHOLD
        )
        recall[name] = metrics.per_class_scores(data["test_labels"], predictions).recall
    st.plotly_chart(
        grouped_bars(
            list(class_names),
            {f"trained {name}": values.tolist() for name, values in recall.items()},
            y_title=f"recall on the test set at {THRESHOLD}",
        ),
        key="l2_rare_recall",
        config={"displayModeBar": False},
    )
    table = pd.DataFrame(
        {f"recall, trained {name}": values for name, values in recall.items()},
        index=pd.Index(class_names, name="class"),
    )
    show_score_table(table)

    # What a threshold tuned for this model on validation data buys back, measured on test.
    validation_probabilities = probabilities_of(trained[RARE], data["validation_features"])
    tuned = metrics.tune_thresholds_for_f1(data["validation_labels"], validation_probabilities)
    rare_threshold = float(tuned.thresholds[rare_index])
    test_probabilities = probabilities_of(trained[RARE], data["test_features"])
    recovered = metrics.per_class_scores(
        data["test_labels"][:, [rare_index]],
        parsing.parse_with_threshold(test_probabilities[:, [rare_index]], rare_threshold),
    )
    st.markdown(
        f"**{rare_name}**: test recall {recall[BALANCED][rare_index]:.2f} when trained on "
        f"balanced data, {recall[RARE][rare_index]:.2f} when rare. Tuned on the validation "
        f"set, the rare model's threshold for {rare_name} is **{rare_threshold:.2f}**; with it "
        f"the test recall is {recovered.recall[0]:.2f} at a precision of "
        f"{recovered.precision[0]:.2f}."
    )


# --- One network or one model per class ----------------------------------------------------


def one_vs_rest_jobs(data, class_names) -> list:
    features, labels = data["train_features"], data["train_labels"]
    settings = {"images": len(labels)}
    jobs = [_job(ONE_NETWORK, len(class_names), features, labels, settings)]
    for index, name in enumerate(class_names):
        jobs.append(_job(f"{name} vs rest", 1, features, labels[:, [index]], settings))
    return jobs


def one_vs_rest_section(data, class_names) -> None:
    st.markdown(
        f"All seven train on the same **{len(data['train_labels']):,} images** for "
        f"{EPOCHS} epochs each."
    )
    trained = training_panel(one_vs_rest_jobs(data, class_names), key="l2_ovr")
    separate = [f"{name} vs rest" for name in class_names]
    if ONE_NETWORK not in trained or not all(name in trained for name in separate):
        return
    one_vs_rest_results(data, class_names, trained[ONE_NETWORK], [trained[n] for n in separate])


def one_vs_rest_results(data, class_names, network: TrainedModel, separate) -> None:
    labels, features = data["test_labels"], data["test_features"]
    network_predictions = parsing.parse_with_threshold(
        probabilities_of(network, features), THRESHOLD
    )
    separate_probabilities = np.column_stack(
        [probabilities_of(model, features)[:, 0] for model in separate]
    )
    separate_predictions = parsing.parse_with_threshold(separate_probabilities, THRESHOLD)
    reports = {
        "one network, six outputs": (
            metrics.summarise(labels, network_predictions, class_names),
            network.model.count_params(),
            network.progress.elapsed_seconds,
        ),
        "six one-vs-rest models": (
            metrics.summarise(labels, separate_predictions, class_names),
            sum(model.model.count_params() for model in separate),
            sum(model.progress.elapsed_seconds for model in separate),
        ),
    }
    table = pd.DataFrame(
        {
            name: {
                "parameters": parameters,
                "training seconds": seconds,
                "micro F1": report.micro.f1,
                "macro F1": report.macro.f1,
                "subset accuracy": report.subset_accuracy,
            }
            for name, (report, parameters, seconds) in reports.items()
        }
    ).T
    table.index.name = "approach"
    show_score_table(table, integer_columns=("parameters",))
    st.plotly_chart(
        grouped_bars(
            list(class_names),
            {name: report.per_class.f1.tolist() for name, (report, _, _) in reports.items()},
            y_title=f"test F1 per class at {THRESHOLD}",
        ),
        key="l2_ovr_f1",
        config={"displayModeBar": False},
    )
    network_report, network_parameters, network_seconds = reports["one network, six outputs"]
    separate_report, separate_parameters, separate_seconds = reports["six one-vs-rest models"]
    st.markdown(
        f"The six separate models hold **{separate_parameters / network_parameters:.1f} times** "
        f"the parameters and took **{separate_seconds / max(network_seconds, 1e-9):.1f} times** "
        f"as long to train; their macro F1 differs by "
        f"{signed(separate_report.macro.f1 - network_report.macro.f1)}."
    )
