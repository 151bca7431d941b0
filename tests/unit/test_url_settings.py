"""Reading lesson settings from a URL: good values pass, bad ones fall back with a message."""

import pytest

from lessons.url_settings import SettingSpec, read_settings, settings_to_params

SPECS = (
    SettingSpec("layers", int, 1, minimum=0, maximum=3),
    SettingSpec("noise", float, 0.05, minimum=0.0, maximum=0.3, step=0.01),
    SettingSpec("epochs", int, 60, minimum=5, maximum=200, step=5),
    SettingSpec("lr", float, 0.01, choices=(0.001, 0.01, 0.1)),
    SettingSpec("output", str, "sigmoid", choices=("softmax", "sigmoid")),
)
DEFAULTS = {"layers": 1, "noise": 0.05, "epochs": 60, "lr": 0.01, "output": "sigmoid"}


def test_missing_parameters_take_their_defaults_without_a_message():
    values, problems = read_settings(SPECS, {})
    assert values == DEFAULTS
    assert problems == []


def test_good_values_are_read_with_their_types():
    params = {"layers": "3", "noise": "0.07", "epochs": "35", "lr": "0.1", "output": "softmax"}
    values, problems = read_settings(SPECS, params)
    assert values == {"layers": 3, "noise": 0.07, "epochs": 35, "lr": 0.1, "output": "softmax"}
    assert type(values["layers"]) is int and type(values["noise"]) is float
    assert problems == []


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("layers", "garbage"),
        ("layers", "1.5"),
        ("layers", "4"),
        ("layers", "-1"),
        ("layers", "1_0"),
        ("layers", "٣"),  # an Arabic-Indic digit three: a digit, but not a plain one
        ("layers", ""),
        ("noise", "nan"),
        ("noise", "inf"),
        ("noise", "0.31"),
        ("noise", "-0.0001"),
        ("noise", "0.055"),
        ("epochs", "37"),
        ("epochs", "205"),
        ("lr", "0.02"),
        ("output", "relu"),
        ("output", "SOFTMAX"),
    ],
)
def test_a_bad_value_falls_back_to_its_default_with_a_message_naming_it(name, raw):
    values, problems = read_settings(SPECS, {name: raw})
    assert values == DEFAULTS
    assert len(problems) == 1
    assert f"`{name}`" in problems[0]


def test_the_message_never_repeats_the_text_from_the_url():
    crafted = "![tracker](https://example.com/pixel.png)"
    _, problems = read_settings(SPECS, {"output": crafted})
    assert crafted not in problems[0]
    assert "example.com" not in problems[0]


def test_one_bad_value_does_not_spoil_the_good_ones():
    values, problems = read_settings(SPECS, {"layers": "2", "noise": "lots"})
    assert values["layers"] == 2
    assert values["noise"] == 0.05
    assert len(problems) == 1 and "`noise`" in problems[0]


def test_a_parameter_given_twice_is_refused():
    values, problems = read_settings(SPECS, {"layers": ["1", "2"]})
    assert values["layers"] == 1
    assert "more than once" in problems[0]


def test_a_parameter_given_once_as_a_list_is_read():
    values, problems = read_settings(SPECS, {"layers": ["2"]})
    assert values["layers"] == 2 and problems == []


def test_written_values_read_back_the_same():
    chosen = {"layers": 0, "noise": 0.1 + 0.2, "epochs": 200, "lr": 0.001, "output": "softmax"}
    params = settings_to_params(SPECS, chosen)
    assert params["noise"] == "0.3"
    values, problems = read_settings(SPECS, params)
    assert problems == []
    assert values["noise"] == pytest.approx(0.3)
    assert {k: v for k, v in values.items() if k != "noise"} == {
        "layers": 0,
        "epochs": 200,
        "lr": 0.001,
        "output": "softmax",
    }


def test_a_spec_whose_default_breaks_its_own_rules_is_refused():
    with pytest.raises(ValueError, match="at most"):
        SettingSpec("units", int, 100, minimum=1, maximum=64)


def test_a_step_without_a_minimum_is_refused():
    with pytest.raises(ValueError, match="step"):
        SettingSpec("units", int, 8, step=2)


def test_a_text_setting_without_choices_is_refused():
    with pytest.raises(ValueError, match="choices"):
        SettingSpec("title", str, "hello")
