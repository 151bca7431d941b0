"""The Dockerfile ships everything the app reads, runs as a user, and checks its health.

No Docker engine runs on the development machines, so the image is not built here;
these checks read the file instead, so that a new folder the app needs, or a lost
safety line, fails a test rather than a deployment.
"""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
# What `streamlit run app.py` reads at run time.
RUNTIME_PATHS = ("app.py", ".streamlit", "pages", "ui", "lessons", "models", "samples")
# What stays out of the image: development, tests, docs and the image's own recipe.
# requirements.txt is copied on its own, before the code, so that a change to the code
# does not reinstall TensorFlow.
LEFT_OUT = {
    ".ci", ".dockerignore", ".git", ".gitignore", "Dockerfile", "Makefile", "README.md",
    "benchmarks", "deploy", "docs", "pyproject.toml", "requirements-dev.txt",
    "requirements.txt", "tests",
}  # fmt: skip


def tracked_top_level_entries() -> set[str]:
    listed = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return {line.split("/")[0] for line in listed.splitlines() if line}


def copied_paths() -> set[str]:
    paths = set()
    for line in DOCKERFILE.splitlines():
        if line.startswith("COPY"):
            parts = [part for part in line.split()[1:] if not part.startswith("--")]
            paths.update(part.rstrip("/") for part in parts[:-1])
    return paths


def test_the_image_holds_every_path_the_app_reads():
    missing = set(RUNTIME_PATHS) - copied_paths()
    assert not missing, f"the Dockerfile does not copy {sorted(missing)}"
    for path in RUNTIME_PATHS:
        assert (ROOT / path).exists()


def test_every_new_top_level_entry_is_copied_or_left_out_on_purpose():
    """A new folder the app needs fails here until the Dockerfile (or LEFT_OUT) names it."""
    unaccounted = tracked_top_level_entries() - copied_paths() - LEFT_OUT
    assert not unaccounted, f"neither copied into the image nor left out: {sorted(unaccounted)}"


def test_the_image_is_slim_python_3_11_and_runs_as_a_user():
    assert re.search(r"^FROM python:3\.11-slim", DOCKERFILE, re.MULTILINE)
    users = re.findall(r"^USER (\S+)", DOCKERFILE, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")


def test_the_image_checks_streamlit_health_and_quiets_tensorflow():
    assert re.search(r"HEALTHCHECK .*\n?.*/_stcore/health", DOCKERFILE)
    assert "TF_CPP_MIN_LOG_LEVEL=2" in DOCKERFILE
    assert "requirements.txt" in DOCKERFILE
