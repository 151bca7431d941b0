"""Every lesson's text, quiz and code files are complete, and broken ones fail loudly."""

import pytest

from lessons.course import DONE, IN_PROGRESS, LESSONS, NOT_STARTED, lesson_status, new_record
from lessons.lesson_content import (
    CONTENT_FOLDER,
    ContentError,
    lesson_code,
    lesson_quiz,
    lesson_sections,
    read_quiz,
    read_sections,
)

AVAILABLE = [lesson for lesson in LESSONS if lesson.available]


@pytest.mark.parametrize("lesson", AVAILABLE, ids=lambda lesson: lesson.slug)
def test_every_available_lesson_has_all_its_sections(lesson):
    sections = lesson_sections(lesson.slug, lesson.sections)
    assert list(sections) == list(lesson.sections)


@pytest.mark.parametrize(
    "lesson", [lesson for lesson in AVAILABLE if lesson.has_quiz], ids=lambda lesson: lesson.slug
)
def test_every_quiz_has_at_least_four_questions(lesson):
    assert len(lesson_quiz(lesson.slug)) >= 4


def test_every_available_lesson_has_a_page_script():
    for lesson in AVAILABLE:
        assert (CONTENT_FOLDER.parent.parent / lesson.page).is_file(), lesson.page


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_missing_section_names_the_file(tmp_path):
    path = write(tmp_path, "broken.md", "<!-- section: intro -->\nHello\n")
    with pytest.raises(ContentError, match=r"broken\.md: missing section\(s\) outro"):
        read_sections(path, ("intro", "outro"))


def test_an_unknown_section_names_the_file(tmp_path):
    path = write(tmp_path, "extra.md", "<!-- section: intro -->\nHi\n<!-- section: typo -->\nX\n")
    with pytest.raises(ContentError, match=r"extra\.md: unknown section\(s\) typo"):
        read_sections(path, ("intro",))


def test_text_before_the_first_section_is_refused(tmp_path):
    path = write(tmp_path, "stray.md", "stray words\n<!-- section: intro -->\nHi\n")
    with pytest.raises(ContentError, match=r"stray\.md"):
        read_sections(path, ("intro",))


GOOD_QUESTION = """
[[questions]]
id = "q1"
prompt = "Which?"
options = ["a", "b"]
correct = [1]
explanations = ["no", "yes"]
"""


def test_a_good_quiz_reads(tmp_path):
    (question,) = read_quiz(write(tmp_path, "good.quiz.toml", GOOD_QUESTION))
    assert question.is_right({1}) and not question.is_right({0, 1})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("correct = [1]", "correct = []"), "has no right answer"),
        (("correct = [1]", "correct = [4]"), "points at no option"),
        (('id = "q1"', 'id = "q1"\nhint = "x"'), "unknown key"),
        (('explanations = ["no", "yes"]', 'explanations = ["no"]'), "one explanation per option"),
        (('prompt = "Which?"', ""), "missing key"),
    ],
)
def test_a_broken_quiz_fails_with_a_message_naming_the_file(tmp_path, change, message):
    path = write(tmp_path, "lesson9.quiz.toml", GOOD_QUESTION.replace(*change))
    with pytest.raises(ContentError, match=rf"lesson9\.quiz\.toml.*{message}"):
        read_quiz(path)


def test_an_unknown_top_level_key_in_a_quiz_names_the_file(tmp_path):
    path = write(tmp_path, "top.quiz.toml", 'title = "x"\n' + GOOD_QUESTION)
    with pytest.raises(ContentError, match=r"top\.quiz\.toml: unknown key"):
        read_quiz(path)


def test_lesson_status_moves_from_not_started_to_done():
    record = new_record()
    assert lesson_status(record, 2) == NOT_STARTED
    record["visited"] = True
    assert lesson_status(record, 2) == IN_PROGRESS
    record["answers"] = {"a": True, "b": False}
    assert lesson_status(record, 2) == DONE


@pytest.mark.slow
def test_every_keras_snippet_builds_and_compiles():
    """The code a learner copies from a lesson runs as shown."""
    for lesson in AVAILABLE:
        path = CONTENT_FOLDER / f"{lesson.slug}.code.toml"
        if not path.exists():
            continue
        for name, code in lesson_code(lesson.slug).items():
            namespace: dict = {}
            exec(compile(code, f"{lesson.slug}:{name}", "exec"), namespace)  # noqa: S102
            # Instances only: a snippet's Model subclass has `count_params` too.
            models = [
                value
                for value in namespace.values()
                if hasattr(value, "count_params") and not isinstance(value, type)
            ]
            assert models, f"snippet {name} builds no model"
            for model in models:
                assert model.optimizer is not None, f"snippet {name} leaves a model uncompiled"
