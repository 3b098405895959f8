"""A chapter in JupyterLab, as ``make lab`` serves it: it opens as a notebook, Run All shows its tables and
its numbers, no MyST role or directive is left as raw text, its cross-references, citations and table
numbers read as in the book (no warning labels), and saving the unedited chapter leaves it byte for byte.

JupyterLab runs on a copy of the chapter (so nothing is saved into ``chapters/``) with the project's
settings (``tools/jupyterlab``) and is driven by Debian's Chromium through Playwright.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bookbuild import kernelfork
from bookbuild.lab import REFERENCES
from conftest import CHROMIUM, ROOT

pytestmark = pytest.mark.browser


BIN = Path(sys.executable).parent
TOKEN = "ridersurvey-lab-test"
SCREENSHOTS = ROOT / "_build" / "screenshots"
#: Chapters on {eval} and report.Table, with the tables Run All must show and a sentence with numbers filled in.
CHAPTERS = {
    "model.md": (["tbl-table2"], "Of the ten rows, two disagree"),
    "data_sample.md": (["tbl-sample-flow", "tbl-table1"], "The paper reports 103 questionnaires collected"),
    "codebook.md": (["tbl-codebook", "tbl-codebook-printed"], "There are ten items with 33 options in all"),
    "literature.md": (["tbl-literature-predictors"], "how they map onto the nine predictors"),
    "environment.md": (["tbl-environment-versions"], "the versions of Python and of the main packages"),
    "audit.md": (
        ["tbl-audit-scorecard", "tbl-audit-table3-alone", "tbl-audit-mechanisms"],
        "The ledger holds 185 entries",
    ),
    "results.md": (["tbl-results-refit", "tbl-results-fit"], "for each of its nine predictors"),
    "conclusions.md": (["tbl-conclusions-findings", "tbl-conclusions-audit"], "Of the five effects the paper calls"),
}
RAW = re.compile(r"\{[a-z][\w:-]*\}`|^\s*(:::|```)\{", re.MULTILINE)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory, built_book):
    """Base URL of a JupyterLab server over a copy of the chapters, started as ``make lab`` does."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (make browser-deps)")
    root = tmp_path_factory.mktemp("lab")
    assert (ROOT / REFERENCES).is_file(), "the HTML build wrote no record of the book's references"
    for name in [*CHAPTERS, "jupytext.toml"]:
        shutil.copy(ROOT / "chapters" / name, root / name)
    home = tmp_path_factory.mktemp("lab-home")
    # Keep every cell in the page (JupyterLab otherwise drops cells scrolled out of view from the DOM).
    tracker = home / "settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}), encoding="utf-8")
    port = _free_port()
    env = dict(
        os.environ,
        JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
    )
    # the session's fork server forks only for its own environment: JupyterLab's kernels get one for theirs
    fork_server, fork_value = kernelfork.start_server(env=env)
    env.update({kernelfork.ENV: fork_value, "JUPYTER_DEFAULT_PROVISIONER_NAME": kernelfork.PROVISIONER})
    command = [
        str(BIN / "jupyter"),
        "lab",
        "--no-browser",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.app_settings_dir={ROOT / 'tools' / 'jupyterlab'}",
        "--ServerApp.contents_manager_class=bookbuild.lab.ChapterContentsManager",
        f"--ChapterContentsManager.book_root={ROOT}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--IdentityProvider.token={TOKEN}",
        "--LabApp.expose_app_in_browser=True",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = open(home / "lab.log", "w")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2) as reply:
                json.load(reply)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                log.close()
                pytest.fail("JupyterLab did not start:\n" + (home / "lab.log").read_text()[-3000:])
            time.sleep(0.5)
    yield base, root
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()
    kernelfork.stop_server(fork_server, fork_value)


def test_make_lab_uses_the_same_settings_and_starts_as_root():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--LabApp.app_settings_dir=$(CURDIR)/tools/jupyterlab" in makefile
    assert "--allow-root" in makefile
    assert "--ServerApp.contents_manager_class=bookbuild.lab.ChapterContentsManager" in makefile
    overrides = json.loads((ROOT / "tools" / "jupyterlab" / "overrides.json").read_text(encoding="utf-8"))
    viewers = overrides["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers["markdown"] == "Jupytext Notebook"


@pytest.mark.parametrize("chapter", sorted(CHAPTERS))
def test_run_all_shows_tables_and_numbers_without_raw_myst(lab, chapter, browser):
    """Run All shows the chapter's tables with the book's numbers and its text with numbers filled in, no
    raw MyST, no warning for a cross-reference or citation; saving it then writes back the same bytes."""
    lab, root = lab
    tables, sentence = CHAPTERS[chapter]
    with contextlib.closing(browser.new_page(viewport={"width": 1366, "height": 900})) as page:
        page.goto(f"{lab}/lab/workspaces/{Path(chapter).stem}/tree/{chapter}?reset&token={TOKEN}")
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=60_000)  # a notebook, not an editor
        page.wait_for_function(
            "c => window.jupyterapp && window.jupyterapp.shell.currentWidget"
            " && window.jupyterapp.shell.currentWidget.context.path === c"
            " && window.jupyterapp.shell.currentWidget.sessionContext"
            " && window.jupyterapp.shell.currentWidget.sessionContext.session"
            " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel",
            arg=chapter,
            timeout=60_000,
        )
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        try:
            page.wait_for_function(
                "() => { const cells = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];"
                " return cells.length > 0 && cells.every(p => /\\[\\d+\\]/.test(p.innerText)); }",
                timeout=300_000,
            )
            page.wait_for_function(
                "s => document.querySelector('.jp-Notebook').innerText.replace(/\\s+/g, ' ').includes(s)",
                arg=sentence,
                timeout=60_000,
            )
        except Exception:
            page.screenshot(path=str(SCREENSHOTS / f"lab-{Path(chapter).stem}-failed.png"))
            raise
        shown = page.eval_on_selector_all(".jp-OutputArea table[id]", "els => els.map(e => e.id)")
        images = page.eval_on_selector_all(".jp-OutputArea img", "els => els.filter(e => e.naturalWidth > 0).length")
        errors = page.eval_on_selector_all(".jp-OutputArea-output[data-mime-type*='error']", "els => els.length")
        rendered = page.eval_on_selector_all(".jp-MarkdownCell", "els => els.map(e => e.innerText)")
        numbers = page.eval_on_selector_all(
            ".jp-OutputArea table.ridersurvey-table[id]",
            "els => Object.fromEntries(els.map(e => [e.id,"
            " (e.querySelector('caption .caption-number') || {}).textContent || '']))",
        )
        page.screenshot(path=str(SCREENSHOTS / f"lab-{Path(chapter).stem}.png"), full_page=False)
        before = (root / chapter).read_bytes()
        page.evaluate("() => { window.jupyterapp.commands.execute('docmanager:save'); }")
        page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=30_000)
        page.wait_for_timeout(500)
        page.evaluate("window.jupyterapp.serviceManager.sessions.shutdownAll()")
    saved = (root / chapter).read_bytes()
    assert saved == before == (ROOT / "chapters" / chapter).read_bytes(), f"saving the unedited {chapter} changed it"
    assert not errors, f"{errors} cells raised"
    assert set(tables) <= set(shown), f"tables {sorted(set(tables) - set(shown))} not shown (shown: {shown})"
    figures = (ROOT / "chapters" / chapter).read_text(encoding="utf-8").count("  figure:\n")
    assert images >= figures, f"{images} images shown for the chapter's {figures} figures"
    assert rendered, "no rendered Markdown cell"
    leftovers = [text[:200] for text in rendered if RAW.search(text)]
    assert not leftovers, f"raw MyST in rendered Markdown: {leftovers}"
    record = json.loads((ROOT / REFERENCES).read_text(encoding="utf-8"))
    unresolved = [
        text[max(0, m.start() - 60) : m.end() + 60]
        for text in rendered
        for m in re.finditer(r"⚠|\b(?:tbl|fig|eq|sec)-[\w-]+\b|\b[a-z]+\d{4}[a-z]*\b", text)
    ]
    assert not unresolved, f"unresolved references or citations shown: {unresolved[:5]}"
    wrong = {
        label: shown
        for label, shown in numbers.items()
        if label in tables and shown.rstrip(": ") != record["numref"][label]["text"]
    }
    assert not wrong, f"tables without the book's number: {wrong}"
