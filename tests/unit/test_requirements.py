"""Every package the app imports is pinned with == in requirements.txt.

A fresh machine must get exactly what the tests passed with, so a package the code
imports directly may not arrive only as somebody else's dependency (pandas through
streamlit, say): the test reads every import of the app's own code and checks it.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_CODE = [ROOT / "app.py", *(ROOT / folder for folder in ("pages", "ui", "lessons", "models"))]
OWN_PACKAGES = {"app", "pages", "ui", "lessons", "models", "benchmarks", "tests"}
# Import names that differ from the name of the package on PyPI.
DISTRIBUTION_OF = {
    "PIL": "pillow",
    "tensorflow": "tensorflow-cpu",
    "streamlit_drawable_canvas": "streamlit-drawable-canvas",
}


def pinned_requirements() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        name, separator, version = line.partition("==")
        assert separator and version, f"requirements.txt: {line!r} is not pinned with =="
        pins[name.strip().lower()] = version.strip()
    return pins


def imported_top_level_names() -> set[str]:
    names = set()
    files = [
        path for entry in APP_CODE for path in ([entry] if entry.is_file() else entry.rglob("*.py"))
    ]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def test_every_line_of_requirements_is_pinned():
    assert pinned_requirements()


def test_every_third_party_import_of_the_app_is_pinned():
    third_party = imported_top_level_names() - set(sys.stdlib_module_names) - OWN_PACKAGES
    pins = pinned_requirements()
    missing = {name for name in third_party if DISTRIBUTION_OF.get(name, name).lower() not in pins}
    assert not missing, f"imported but not pinned in requirements.txt: {sorted(missing)}"
    assert "keras" in third_party and "numpy" in third_party
