"""What keeps a served course safe: the server settings, and no raw HTML from learners.

These read the files as they ship; changing a setting on purpose means changing the
test, which is the point: it should be a decision, not an accident.
"""

import ast
import re
import tomllib
from pathlib import Path

from lessons.image_input import MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
APP_CODE = [ROOT / "app.py", *(ROOT / folder for folder in ("pages", "ui", "lessons"))]


def app_sources() -> dict[str, str]:
    files = [p for entry in APP_CODE for p in ([entry] if entry.is_file() else entry.rglob("*.py"))]
    return {str(path.relative_to(ROOT)): path.read_text() for path in files}


def test_the_server_keeps_xsrf_protection_and_sends_no_usage_statistics():
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert CONFIG["server"].get("enableCORS", True) is True
    assert CONFIG["browser"]["gatherUsageStats"] is False


def test_uploads_are_small_and_the_pipeline_refuses_what_the_server_would():
    limit_mb = CONFIG["server"]["maxUploadSize"]
    assert limit_mb <= 20, "uploads are held in memory: keep the limit to a few MB"
    assert limit_mb * 1024 * 1024 == MAX_FILE_BYTES


def test_a_served_course_watches_no_files_and_forgets_closed_tabs_soon():
    assert CONFIG["server"]["fileWatcherType"] == "none"
    # A closed tab's session (and any training it started) goes within a few minutes.
    assert 0 < CONFIG["server"]["disconnectedSessionTTL"] <= 300


RAW_HTML = re.compile(
    r"unsafe_allow_html\s*=\s*(?!False\b)"  # any value but a literal False
    r"|\bst\.html\s*\("
    r"|components\.(v1\.)?html\s*\("
    r"|\bhtml\s*\(\s*f?[\"']"  # components' html() imported on its own
)


def test_no_page_writes_raw_html():
    """Learner text and file names are only ever shown as escaped markdown or text."""
    offenders = [name for name, source in app_sources().items() if RAW_HTML.search(source)]
    assert not offenders, f"raw HTML in {offenders}"


def test_the_raw_html_check_catches_what_it_should():
    for line in (
        "st.markdown(text, unsafe_allow_html=True)",
        "st.markdown(text, unsafe_allow_html=allow)",
        'st.html("<b>x</b>")',
        'components.v1.html(f"<p>{name}</p>")',
    ):
        assert RAW_HTML.search(line), line
    assert not RAW_HTML.search("st.markdown(text, unsafe_allow_html=False)")


def names_used(source: str) -> set[str]:
    tree = ast.parse(source)
    return {
        node.attr if isinstance(node, ast.Attribute) else node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute | ast.Name)
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def test_only_the_validating_helper_touches_the_url():
    """st.query_params is untrusted: it is read in one place, ui/url_state.py, which checks
    every value against its spec (lessons.url_settings) before a page sees it."""
    readers = sorted(
        name for name, source in app_sources().items() if "query_params" in names_used(source)
    )
    assert readers == ["ui/url_state.py"], readers
    assert "read_settings" in app_sources()["ui/url_state.py"]
