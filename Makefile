# The two commands of the README, and a few more for developers.
#   make run    install what the app needs into .venv and start it
#   make test   install the test tools too (and Chromium if missing), lint, run every test

VENV := .venv
PYTHON := $(VENV)/bin/python
CHROMIUM := /usr/bin/chromium
NGINX := /usr/sbin/nginx
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint format models benchmarks browser

run: $(VENV)/.app-installed
	$(PYTHON) -m streamlit run app.py

test: $(VENV)/.dev-installed browser
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PYTHON) -m pytest

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Rebuild the shipped models and their model card from a fixed seed.
models: $(VENV)/.app-installed
	$(PYTHON) -m models.train

benchmarks: $(VENV)/.dev-installed
	$(PYTHON) -m benchmarks.run

# The browser tests need Debian's Chromium (Playwright's own browser download does
# not work offline) and nginx (the two-replica test): install the system packages
# when they are missing.
browser:
	@[ -x $(CHROMIUM) ] && [ -x $(NGINX) ] || \
		($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium nginx)

$(VENV)/.app-installed: requirements.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --upgrade pip
	$(PYTHON) -m pip install -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --upgrade pip
	$(PYTHON) -m pip install -r requirements-dev.txt
	touch $@ $(VENV)/.app-installed
