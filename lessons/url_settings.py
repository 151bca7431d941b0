"""Lesson settings in the page URL, so that a teacher can share a link to an exact state.

Everything read from a URL is untrusted: a hand-edited link can hold any text. Each
setting therefore has a spec (name, type, range or allowed values, default), and a value
that does not fit its spec falls back to the default with a message naming the setting.
The page shows those messages; this module only decides. It needs the standard library
alone, so lessons 2 and 3 can reuse it for their own settings.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

SettingValue = int | float | str

# Floats are written with this many significant digits, so that 0.1 + 0.2 from a slider
# shows as 0.3 in the link.
_FLOAT_DIGITS = 6


@dataclass(frozen=True)
class SettingSpec:
    """What one URL parameter may hold.

    `kind` is int, float or str. Numbers may have a `minimum` and a `maximum` (both
    inclusive) and a `step` (the value must be the minimum plus a whole number of steps,
    as on a slider); any kind may instead list its allowed `choices`. A str setting must
    list its choices, because free text from a URL is never needed and never safe.
    """

    name: str
    kind: type
    default: SettingValue
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    choices: tuple[SettingValue, ...] | None = None

    def __post_init__(self) -> None:
        if self.kind not in (int, float, str):
            raise ValueError(f"Setting {self.name!r}: kind must be int, float or str.")
        if self.kind is str and not self.choices:
            raise ValueError(f"Setting {self.name!r}: a text setting must list its choices.")
        if self.step is not None and (self.minimum is None or not self.step > 0):
            raise ValueError(f"Setting {self.name!r}: a step needs a minimum and must be positive.")
        # The default must itself pass the checks, or a fallback could be invalid.
        self.check(self.default)

    def parse(self, text: str) -> SettingValue:
        """The value `text` stands for, or ValueError saying what is wrong with it."""
        text = text.strip()
        if self.kind is int:
            value = _parse_whole_number(text)
        elif self.kind is float:
            value = _parse_finite_number(text)
        else:
            value = text
        self.check(value)
        return value

    def check(self, value: SettingValue) -> None:
        """Raise ValueError unless `value` is allowed for this setting."""
        if self.choices is not None and value not in self.choices:
            allowed = ", ".join(self.format(choice) for choice in self.choices)
            raise ValueError(f"it must be one of {allowed}")
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"it must be at least {self.format(self.minimum)}")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"it must be at most {self.format(self.maximum)}")
        if self.step is not None and not _on_the_grid(value, self.minimum, self.step):
            start, step = self.format(self.minimum), self.format(self.step)
            raise ValueError(f"it must be {start} plus a multiple of {step}")

    def format(self, value: SettingValue) -> str:
        """How `value` is written in the URL."""
        if isinstance(value, float):
            return f"{value:.{_FLOAT_DIGITS}g}"
        return str(value)


def read_settings(
    specs: Iterable[SettingSpec], params: Mapping[str, str | list[str]]
) -> tuple[dict[str, SettingValue], list[str]]:
    """Read every spec's value from URL `params`, falling back to defaults.

    Returns `(values, problems)`: a value for every spec, and one sentence for each
    parameter that was present but unusable (missing parameters are not problems). The
    sentences never repeat the text from the URL, so a page can show them as Markdown
    without rendering whatever a crafted link put there.
    """
    values: dict[str, SettingValue] = {}
    problems: list[str] = []
    for spec in specs:
        raw = params.get(spec.name)
        if raw is None:
            values[spec.name] = spec.default
            continue
        try:
            values[spec.name] = spec.parse(_single_value(raw))
        except ValueError as reason:
            values[spec.name] = spec.default
            problems.append(
                f"The link's value for `{spec.name}` was not usable ({reason}), "
                f"so it is back to its default, {spec.format(spec.default)}."
            )
    return values, problems


def settings_to_params(
    specs: Iterable[SettingSpec], values: Mapping[str, SettingValue]
) -> dict[str, str]:
    """The URL parameters that record `values`, one per spec."""
    return {spec.name: spec.format(values[spec.name]) for spec in specs}


def _single_value(raw: str | list[str]) -> str:
    # A parameter repeated in the URL (?units=8&units=16) arrives as a list: a link
    # that says two things is ambiguous, so it is refused rather than guessed.
    if isinstance(raw, str):
        return raw
    if len(raw) == 1:
        return raw[0]
    raise ValueError("it appears more than once")


def _on_the_grid(value: float, start: float, step: float) -> bool:
    steps = (value - start) / step
    # A tolerance, because 0.07 is not exactly 7 steps of 0.01 in floating point.
    return abs(steps - round(steps)) < 1e-6


def _parse_whole_number(text: str) -> int:
    # int() alone would accept "1_000" and " 7 "; a URL value should be plain digits.
    digits = text[1:] if text.startswith("-") else text
    if not digits.isascii() or not digits.isdigit():
        raise ValueError("it is not a whole number")
    return int(text)


def _parse_finite_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError("it is not a number") from None
    if not math.isfinite(value):
        raise ValueError("it is not a finite number")
    return value
