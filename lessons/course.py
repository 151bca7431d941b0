"""The course plan: which lessons exist, in what order, and how far a learner has got.

Pages and the sidebar read this one list, so adding a lesson means adding an
entry here, its content files in `lessons/content/`, and its page script.
"""

from dataclasses import dataclass, field

NOT_STARTED = "not started"
IN_PROGRESS = "in progress"
DONE = "done"


@dataclass(frozen=True)
class Lesson:
    """One step of the course path as the home page and the sidebar show it."""

    slug: str
    number: int
    title: str
    minutes: int
    summary: str
    outcomes: tuple[str, ...]
    # The page script, relative to the app's folder; None while the lesson is still coming.
    page: str | None = None
    icon: str = ":material/school:"
    # The named sections its content file must hold, in the order the page uses them.
    sections: tuple[str, ...] = field(default_factory=tuple)
    has_quiz: bool = True

    @property
    def available(self) -> bool:
        return self.page is not None


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        slug="softmax_vs_sigmoid",
        number=1,
        title="Softmax vs sigmoid",
        minutes=20,
        summary=(
            "Drag logits and watch softmax make the classes compete while sigmoids answer "
            "each class on its own. Encode labels, compute the matching losses."
        ),
        outcomes=(
            "Say why softmax outputs sum to one and sigmoid outputs do not.",
            "Pick the activation and loss that fit single-label or multilabel data.",
            "Show that one sigmoid unit is the same as a two-unit softmax.",
        ),
        page="pages/softmax_vs_sigmoid.py",
        icon=":material/bar_chart:",
        sections=(
            "intro",
            "logits",
            "formulas",
            "temperature",
            "adding_a_class",
            "label_encoding",
            "two_classes",
            "live_training",
            "live_reading",
            "keras_code",
            "try_this",
            "takeaways",
        ),
    ),
    Lesson(
        slug="reading_multilabel_output",
        number=2,
        title="Reading multilabel output",
        minutes=25,
        summary=(
            "Turn a vector of sigmoid probabilities into an answer: one threshold, a "
            "threshold per class, top-k, or at least one label, and measure each choice."
        ),
        outcomes=(
            "Choose and tune thresholds per class on held-out data.",
            "Read precision, recall, F1, subset accuracy and Hamming loss.",
            "Decide when one network beats k one-vs-rest models.",
        ),
        page="pages/reading_multilabel_output.py",
        icon=":material/tune:",
        sections=(
            "intro",
            "reading_rules",
            "gallery",
            "scores",
            "pr_curves",
            "sweep",
            "metrics",
            "per_class",
            "validation_vs_test",
            "comparison",
            "balance",
            "rare_class",
            "hierarchy",
            "softmax_cannot",
            "one_vs_rest",
            "application_code",
            "try_this",
            "takeaways",
        ),
    ),
    Lesson(
        slug="parameter_sharing",
        number=3,
        title="Hard vs soft sharing",
        minutes=25,
        summary=(
            "Train one network with a class head and a box head, with shared layers or "
            "with two towers pulled together, and compare them with two separate models."
        ),
        outcomes=(
            "Explain hard and soft parameter sharing and what each costs.",
            "Weigh two losses against each other.",
            "Tell when sharing helps and when it hurts.",
        ),
        page="pages/parameter_sharing.py",
        icon=":material/call_split:",
        sections=(
            "intro",
            "architectures",
            "losses",
            "training",
            "results",
            "benchmark",
            "continuum",
            "loss_balance",
            "helps_and_hurts",
            "keras_code",
            "try_this",
            "takeaways",
        ),
    ),
    Lesson(
        slug="your_image",
        number=4,
        title="Try your own image",
        minutes=10,
        summary=(
            "Upload, photograph or draw an image and read the sigmoid, the softmax and the "
            "multitask model's answers side by side."
        ),
        outcomes=("Apply the three patterns to an input you chose.",),
        page="pages/your_image.py",
        icon=":material/image:",
        sections=("intro", "how_to_read", "limits"),
        has_quiz=False,
    ),
)


def lesson_by_slug(slug: str) -> Lesson:
    for lesson in LESSONS:
        if lesson.slug == slug:
            return lesson
    raise KeyError(f"There is no lesson called {slug!r}.")


def new_record() -> dict:
    """A learner's record for one lesson: whether they opened it and their quiz answers."""
    return {"visited": False, "answers": {}}


def lesson_status(record: dict, question_count: int) -> str:
    """Not started until the page is opened; done once every quiz question has an answer."""
    if not record.get("visited") and not record.get("answers"):
        return NOT_STARTED
    if question_count and len(record.get("answers", {})) >= question_count:
        return DONE
    return IN_PROGRESS


def quiz_score(record: dict) -> int:
    """How many quiz questions the learner's latest answer got right."""
    return sum(1 for correct in record.get("answers", {}).values() if correct)
