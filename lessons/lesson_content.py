"""Reading a lesson's text and quiz from `lessons/content/`, and checking them.

Prose lives in Markdown files, not in code, so that a teacher can edit a lesson
without touching Python. A lesson file is split into named sections by lines of
the form `<!-- section: name -->`; the page asks for sections by name and places
its widgets between them. A quiz is a TOML file with a list of `[[questions]]`,
and the Keras code a lesson shows lives in a TOML file of named snippets, which
a test runs.

Both are checked strictly when loaded: a missing or unknown section, an unknown
key or a question without a right answer raises `ContentError` naming the file,
so a typo fails a test instead of showing a half-empty page.
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

CONTENT_FOLDER = Path(__file__).parent / "content"

SECTION_MARKER = re.compile(r"^<!--\s*section:\s*([a-z0-9_]+)\s*-->\s*$", re.MULTILINE)

QUESTION_KEYS = {"id", "prompt", "options", "correct", "explanations"}


class ContentError(ValueError):
    """A lesson's text or quiz file is malformed; the message names the file."""


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    options: tuple[str, ...]
    correct: frozenset[int]
    explanations: tuple[str, ...]

    @property
    def allows_several_answers(self) -> bool:
        return len(self.correct) > 1

    def is_right(self, chosen: set[int]) -> bool:
        return set(chosen) == set(self.correct)


def read_sections(path: Path, expected: tuple[str, ...]) -> dict[str, str]:
    """The text of each named section of a lesson file, exactly the `expected` ones."""
    text = _read_text(path)
    names = SECTION_MARKER.findall(text)
    bodies = SECTION_MARKER.split(text)
    if bodies[0].strip():
        raise ContentError(f"{path.name}: text before the first section marker.")
    sections: dict[str, str] = {}
    for name, body in zip(names, bodies[2::2], strict=True):
        if name in sections:
            raise ContentError(f"{path.name}: section {name!r} appears twice.")
        sections[name] = body.strip()
    missing = [name for name in expected if name not in sections]
    unknown = [name for name in sections if name not in expected]
    if missing:
        raise ContentError(f"{path.name}: missing section(s) {', '.join(missing)}.")
    if unknown:
        raise ContentError(f"{path.name}: unknown section(s) {', '.join(unknown)}.")
    empty = [name for name, body in sections.items() if not body]
    if empty:
        raise ContentError(f"{path.name}: empty section(s) {', '.join(empty)}.")
    return sections


def read_quiz(path: Path) -> tuple[Question, ...]:
    """The questions of a quiz file, each checked for a right answer and full explanations."""
    try:
        data = tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{path.name}: not valid TOML ({error}).") from error
    unknown_top = set(data) - {"questions"}
    if unknown_top:
        raise ContentError(f"{path.name}: unknown key(s) {', '.join(sorted(unknown_top))}.")
    raw_questions = data.get("questions", [])
    if not raw_questions:
        raise ContentError(f"{path.name}: the quiz has no questions.")
    questions = tuple(_question(path, number, raw) for number, raw in enumerate(raw_questions, 1))
    ids = [question.id for question in questions]
    if len(set(ids)) != len(ids):
        raise ContentError(f"{path.name}: two questions share an id.")
    return questions


def _question(path: Path, number: int, raw: dict) -> Question:
    where = f"{path.name}, question {number}"
    unknown = set(raw) - QUESTION_KEYS
    if unknown:
        raise ContentError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}.")
    missing = QUESTION_KEYS - set(raw)
    if missing:
        raise ContentError(f"{where}: missing key(s) {', '.join(sorted(missing))}.")
    options, correct, explanations = raw["options"], raw["correct"], raw["explanations"]
    if len(options) < 2:
        raise ContentError(f"{where}: needs at least two options.")
    if not correct:
        raise ContentError(f"{where}: has no right answer.")
    if any(not isinstance(index, int) or not 0 <= index < len(options) for index in correct):
        raise ContentError(f"{where}: a right answer points at no option.")
    if len(explanations) != len(options):
        raise ContentError(f"{where}: needs one explanation per option.")
    return Question(
        id=str(raw["id"]),
        prompt=raw["prompt"],
        options=tuple(options),
        correct=frozenset(correct),
        explanations=tuple(explanations),
    )


def read_code_snippets(path: Path) -> dict[str, str]:
    """The named Keras snippets a lesson shows with `st.code`, from `<lesson>.code.toml`."""
    try:
        data = tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{path.name}: not valid TOML ({error}).") from error
    if set(data) != {"snippets"} or not data["snippets"]:
        raise ContentError(f"{path.name}: expected one [snippets] table and nothing else.")
    return {name: code.strip() + "\n" for name, code in data["snippets"].items()}


def lesson_sections(slug: str, expected: tuple[str, ...]) -> dict[str, str]:
    return read_sections(CONTENT_FOLDER / f"{slug}.md", expected)


def lesson_quiz(slug: str) -> tuple[Question, ...]:
    return read_quiz(CONTENT_FOLDER / f"{slug}.quiz.toml")


def lesson_code(slug: str) -> dict[str, str]:
    return read_code_snippets(CONTENT_FOLDER / f"{slug}.code.toml")


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise ContentError(f"{path.name}: the file is missing.") from error
