# Commands for a newcomer: `make book` (environment + HTML book), `make test` (environment + tests) and
# `make check` (make test, then the byte-for-byte replays of the committed data: what CI runs).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: book test check replay unit lint pdf clean-cache lab bench browser-deps

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/python tools/build_book.py . -W -n --keep-going

browser-deps:
	@{ test -x /usr/bin/chromium && fc-list :lang=zh | grep -q . ; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	  else echo "run 'sudo apt-get install chromium fonts-wqy-microhei' (browser tests will be skipped)"; fi; }

# Lint: ruff (lint and format) over the code, mypy over lib/, ruff over the chapters' code cells.
lint: $(STAMP)
	$(BIN)/ruff check lib tests benchmarks tools
	$(BIN)/ruff format --check lib tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/python tools/lint_chapters.py

# Every test that does not build the book, drive a browser or take seconds, on both cores.
unit: $(STAMP)
	$(BIN)/python -m pytest -m "not book and not browser and not slow and not replay" -n 2

# Lint, then the tests that build nothing (both cores), then those that build the book once and read it.
test: $(STAMP) browser-deps lint
	$(BIN)/python -m pytest -m "not book and not browser and not replay" -n 2
	$(BIN)/python -m pytest -m "book or browser"

# The committed data sets regenerated from their recorded seeds, byte for byte (about 6 min on two cores).
replay: $(STAMP)
	$(BIN)/python -m pytest -m replay -n 2

# Everything: make test, then make replay (CI runs this: .ci/run).
check: test replay

pdf: $(STAMP) browser-deps
	$(BIN)/python tools/make_pdf.py

# JupyterLab on chapters/: a chapter opens as a notebook (jupytext, tools/jupyterlab/overrides.json) and its
# MyST renders (jupyterlab-myst, {eval} included); as root too.
LAB_ARGS := --ServerApp.root_dir=chapters --LabApp.app_settings_dir=$(CURDIR)/tools/jupyterlab \
	$(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)
	$(BIN)/jupyter lab $(LAB_ARGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_reconstruct.py
	$(BIN)/python benchmarks/bench_bootstrap.py
	$(BIN)/python benchmarks/bench_build.py --baseline 7afb45c

clean-cache:
	rm -rf _build
