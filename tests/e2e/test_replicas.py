"""Two app processes behind nginx with sticky sessions: an upload reaches its own replica.

Streamlit holds a session (and its uploads) in the memory of one process, so a deployment
with several replicas needs session affinity. This test runs the configuration that ships
in deploy/nginx.conf.template on loopback: two `streamlit run app.py` processes, nginx
(Debian's package, which .ci/run installs) in front, and two learners, one pinned to each
replica by the affinity cookie, each uploading a picture and getting a prediction. A
third learner arrives without the cookie and must be given one, and every request of
every learner must have gone to one replica only.
"""

import os
import re
import shutil
import subprocess
import time
import urllib.request
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
        nginx = subprocess.Popen(
            [NGINX, "-c", str(config), "-p", str(tmp_path), "-g", "daemon off;"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                        assert answer.status == 200
                    break
                except OSError:
                    assert nginx.poll() is None, nginx.stdout.read().decode()
                    assert time.monotonic() < deadline, "nginx did not start"
                    time.sleep(0.3)
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


def replicas_by_cookie(access_log: Path) -> dict[str, set[str]]:
    """For each affinity cookie seen in the log, the set of upstreams that served it."""
    served: dict[str, set[str]] = {}
    for line in access_log.read_text().splitlines():
        found = re.search(r"replica=(\d) upstream=(\S+)", line)
        if found:
            served.setdefault(found.group(1), set()).add(found.group(2))
    return served


def test_each_learner_stays_on_one_replica_and_uploads_work_on_both(
    browser, balanced_url, tmp_path
):
    url, access_log, replicas = balanced_url
    picture = shape_png(tmp_path / "blue-square.png")
    host = "127.0.0.1"
    for replica in ("1", "2"):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.add_cookies([{"name": "replica", "value": replica, "domain": host, "path": "/"}])
        page = context.new_page()
        page.set_default_timeout(60_000)
        upload_and_predict(page, url, picture)
        if replica == "2":
            save_screenshot(page, "replicas-upload-through-nginx")
        context.close()

    newcomer = browser.new_context()
    page = newcomer.new_page()
    page.goto(url)
    wait_for_app(page)
    given = [cookie["value"] for cookie in newcomer.cookies() if cookie["name"] == "replica"]
    newcomer.close()
    assert given and given[0] in ("1", "2"), "a new learner gets an affinity cookie"

    served = replicas_by_cookie(access_log)
    assert served.get("1") == {replicas[0]}, served
    assert served.get("2") == {replicas[1]}, served
    log = access_log.read_text()
    assert re.search(r"PUT /_stcore/upload_file/\S+ cookie=1 replica=1 .*status=20\d", log)
    assert re.search(r"PUT /_stcore/upload_file/\S+ cookie=2 replica=2 .*status=20\d", log)
