"""Two app processes behind nginx with sticky sessions: an upload reaches its own replica.

Streamlit holds a session (and its uploads) in the memory of one process, so a deployment
with several replicas needs session affinity. This test runs the configuration that ships
in deploy/nginx.conf.template on loopback: two `streamlit run app.py` processes, nginx
(Debian's package, which .ci/run installs) in front, and three learners, each with a
browser user agent of its own so that nginx's log tells their requests apart. Two are
pinned to a replica each by the affinity cookie; the third arrives without one and must
be given one by nginx. Each uploads a picture and gets a prediction, and every request of
each learner, from the first page to the WebSocket and the upload, must have gone to one
replica only.
"""

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import (
    ROOT,
    free_port,
    open_home_once,
    running_app,
    save_screenshot,
    wait_for_app,
    wait_until_healthy,
)

pytestmark = pytest.mark.e2e

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
FIRST_PREDICTION_MS = 180_000


def nginx_config(prefix: Path, port: int, replicas: list[str]) -> Path:
    text = TEMPLATE.read_text()
    user_line = "user root;" if os.geteuid() == 0 else ""
    for placeholder, value in {
        "@LISTEN_PORT@": str(port),
        "@REPLICA_1@": replicas[0],
        "@REPLICA_2@": replicas[1],
        "@PREFIX@": str(prefix),
        "@USER_LINE@": user_line,
    }.items():
        text = text.replace(placeholder, value)
    assert "@" not in re.sub(r"#.*", "", text), "a placeholder was left unfilled"
    path = prefix / "nginx.conf"
    path.write_text(text)
    return path


@pytest.fixture
def balanced_url(browser, tmp_path):
    if not Path(NGINX).exists():
        pytest.fail(f"nginx is required for the replica test and is not at {NGINX}.")
    with running_app("replica-1.log") as (first, _), running_app("replica-2.log") as (second, _):
        for replica in (first, second):
            open_home_once(browser, replica)  # see open_home_once: streamlit#8860
        port = free_port()
        replicas = [first.removeprefix("http://"), second.removeprefix("http://")]
        config = nginx_config(tmp_path, port, replicas)
        # nginx writes its own errors to error.log in tmp_path (see the template).
        nginx = subprocess.Popen(
            [NGINX, "-c", str(config), "-p", str(tmp_path), "-g", "daemon off;"]
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(url, nginx, timeout=30)
            yield url, tmp_path / "access.log", replicas
        finally:
            nginx.terminate()
            nginx.wait(timeout=15)
            shutil.copy(tmp_path / "access.log", ROOT / "test-artifacts" / "nginx-access.log")


def shape_png(path: Path) -> Path:
    picture = Image.new("RGB", (96, 96), (245, 245, 245))
    picture.paste((30, 90, 170), (24, 24, 72, 72))
    picture.save(path)
    return path


def upload_and_predict(page, url: str, picture: Path) -> None:
    page.goto(f"{url}/your-image")
    wait_for_app(page)
    with page.expect_file_chooser() as chooser:
        page.get_by_test_id("stFileUploaderDropzone").get_by_test_id(
            "stBaseButton-secondary"
        ).click()
    chooser.value.set_files([str(picture)])
    expect(page.get_by_text(picture.name).first).to_be_visible(timeout=FIRST_PREDICTION_MS)
    # The default sample and the upload both get the three models' answers.
    expect(page.get_by_text("read as one answer")).to_have_count(2, timeout=FIRST_PREDICTION_MS)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def upstreams_by_learner(access_log: Path) -> dict[str, list[tuple[str, str]]]:
    """For each learner (by user agent), its requests in order: (request, upstream)."""
    served: dict[str, list[tuple[str, str]]] = {}
    for line in access_log.read_text().splitlines():
        found = re.search(r'^(\S+ \S+) .*upstream=(\S+) .*agent="(learner-[^"]+)"', line)
        if found:
            request, upstream, learner = found.groups()
            served.setdefault(learner, []).append((request, upstream))
    return served


def learner_context(browser, name: str, replica: str | None):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, user_agent=name)
    if replica is not None:
        context.add_cookies(
            [{"name": "replica", "value": replica, "domain": "127.0.0.1", "path": "/"}]
        )
    return context


def test_each_learner_stays_on_one_replica_and_uploads_work_on_both(
    browser, balanced_url, tmp_path
):
    url, access_log, replicas = balanced_url
    picture = shape_png(tmp_path / "blue-square.png")
    learners = {"learner-on-1": "1", "learner-on-2": "2", "learner-new": None}
    given = None
    for name, replica in learners.items():
        context = learner_context(browser, name, replica)
        page = context.new_page()
        page.set_default_timeout(60_000)
        upload_and_predict(page, url, picture)
        if name == "learner-new":
            cookies = [c["value"] for c in context.cookies() if c["name"] == "replica"]
            given = cookies[0] if cookies else None
            save_screenshot(page, "replicas-upload-through-nginx")
        context.close()
    assert given in ("1", "2"), "nginx gives a new learner an affinity cookie"

    # nginx logs a WebSocket when it closes, a moment after its tab did.
    deadline = time.monotonic() + 15
    while access_log.read_text().count("GET /_stcore/stream") < len(learners):
        assert time.monotonic() < deadline, "nginx never logged every learner's WebSocket"
        time.sleep(0.2)
    served = upstreams_by_learner(access_log)
    expected = {"learner-on-1": replicas[0], "learner-on-2": replicas[1]}
    expected["learner-new"] = replicas[int(given) - 1]
    for name, upstream in expected.items():
        requests = served.get(name, [])
        paths = [request.split()[1] for request, _ in requests]
        kinds = {path.split("/")[2] for path in paths if path.startswith("/_stcore/")}
        # The page, its WebSocket and its upload were all seen, and all on one replica.
        assert {"stream", "upload_file"} <= kinds, (name, kinds)
        assert {used for _, used in requests} == {upstream}, (name, requests[:5])
