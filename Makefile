# Commands for a newcomer: `make book` (environment + HTML book), `make test` (environment + the quick tests)
# and `make check` (all tests: make test, the browser tests and the byte-for-byte replays; what CI runs).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: book i18n test browser-tests check replay unit lint pdf clean-cache lab bench browser-deps npm-deps bench-web

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# Both editions at once: English in _build/html, Chinese in _build/html/zh_CN (built in _build/zh_CN, then copied).
book: $(STAMP)
	$(BIN)/python -m bookbuild . -W -n --keep-going --language all

# The editions' catalogs from the English sources: the pages' messages (_build/gettext/*.pot, read without
# executing), merged into locales/zh_CN/LC_MESSAGES/*.po; a changed sentence becomes a fuzzy or new entry there.
i18n: $(STAMP)
	$(BIN)/python -m bookbuild . --builder gettext --all
	rm -f _build/gettext/sphinx.pot  # the chrome's catalog (sphinx.po) is kept by hand: bookbuild.i18n
	$(BIN)/sphinx-intl update -p _build/gettext -l zh_CN -d locales -w 0

browser-deps:
	@{ test -x /usr/bin/chromium && fc-list :lang=zh | grep -q . ; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	  else echo "run 'sudo apt-get install chromium fonts-wqy-microhei' (browser tests will be skipped)"; fi; }

# axe-core (the browser tests' accessibility audit) and Lighthouse (make bench-web), exact pins, from npm.
NPM_STAMP := tools/npm/node_modules/.package-lock.json
npm-deps: $(NPM_STAMP)
$(NPM_STAMP): tools/npm/package.json tools/npm/package-lock.json
	cd tools/npm && npm ci --no-audit --no-fund --ignore-scripts

# Lint: ruff (lint and format) over the code, mypy over lib/, ruff over the chapters' code cells.
lint: $(STAMP)
	$(BIN)/ruff check lib tests benchmarks tools
	$(BIN)/ruff format --check lib tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/python tools/lint_chapters.py

# Every test that does not build the book, drive a browser or take seconds, on both cores.
unit: $(STAMP)
	$(BIN)/python -m pytest -m "not book and not browser and not slow and not replay" -n 2

# The contributor's loop (about 3 min after the environment): lint, one clean book build with warnings as
# errors, then, on both cores and over that build, every test that neither drives a browser nor takes long
# (the unit tests, every chapter run standalone, the rebuild and cache tests, the downloaded notebooks).
test: $(STAMP) lint
	rm -rf _build
	$(BIN)/python -m bookbuild . -W -n --keep-going --language all
	RIDERSURVEY_REUSE_BUILD=1 $(BIN)/python -m pytest -m "not browser and not slow and not replay" -n 2 --dist loadfile

# Chromium over the built book (every page at phone, tablet and desktop widths), JupyterLab and the PDF; then
# the multi-second ensemble, envelope, Dask and command-line runs (about 5 min).
browser-tests: $(STAMP) browser-deps npm-deps
	RIDERSURVEY_REUSE_BUILD=1 $(BIN)/python -m pytest -m browser
	$(BIN)/python -m pytest -m slow -n 2

# The committed data sets regenerated from their recorded seeds, byte for byte (about 6 min on two cores).
replay: $(STAMP)
	$(BIN)/python -m pytest -m replay -n 2

# Everything (CI runs this: .ci/run): make test, make browser-tests, make replay.
check: test browser-tests replay

pdf: $(STAMP) browser-deps
	$(BIN)/python tools/make_pdf.py

# JupyterLab on chapters/: a chapter opens as a notebook (jupytext, tools/jupyterlab/overrides.json) and its
# MyST renders (jupyterlab-myst, {eval} included), its references and table numbers as in the last `make book`
# (bookbuild.lab); as root too. `RIDERSURVEY_LANG=zh_CN make lab`: the kernels' tables, lists and figures in
# Chinese (tablecheck's too, unless TABLECHECK_LANG says otherwise).
LAB_ARGS := --ServerApp.root_dir=chapters --LabApp.app_settings_dir=$(CURDIR)/tools/jupyterlab \
	--ServerApp.contents_manager_class=bookbuild.lab.ChapterContentsManager \
	$(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)
	TABLECHECK_LANG=$${TABLECHECK_LANG:-$${RIDERSURVEY_LANG:-en}} $(BIN)/jupyter lab $(LAB_ARGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_reconstruct.py
	$(BIN)/python benchmarks/bench_bootstrap.py
	$(BIN)/python benchmarks/bench_tablecheck.py
	$(BIN)/python benchmarks/bench_build.py --baseline 7afb45c
	$(BIN)/python benchmarks/bench_editions.py

# Lighthouse (mobile) on the home, audit and robustness pages against a bare `jupyter-book create` book built
# in the same run, medians of 3 runs, both served on 127.0.0.1 (about 5 min; needs `make book` first).
bench-web: $(STAMP) npm-deps browser-deps
	$(BIN)/python benchmarks/bench_web.py

clean-cache:
	rm -rf _build
