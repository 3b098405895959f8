"""Shared fixtures: the project root and one full book build per test session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def build_command(project: Path, *extra: str) -> list[str]:
    """The README's build command for ``project``: ``python -m bookbuild`` (``jupyter-book build``'s build reading
    chapters on both cores) with warnings as errors."""
    return [sys.executable, "-m", "bookbuild", str(project), "-W", "-n", "--keep-going", *extra]


def jupyter_book_build(project: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Build ``project`` exactly as the README does (warnings are errors)."""
    return subprocess.run(build_command(project, *extra), cwd=project, capture_output=True, text=True, env=env)


def set_number(ledger, entry: str, **columns) -> None:
    """Give one printed number new ``columns`` (value, printed, ...) in ``ledger``: on the number's own row and
    on every further check of it (``entry:check``), as the ledger's row model requires."""
    from ridersurvey.data.ledger import rows_of

    where = rows_of(entry, ledger)
    for column, new in columns.items():
        ledger.loc[where, column] = new


@pytest.fixture(scope="module")
def data():
    """The committed analysis file (reconstructed responses), read once per test module."""
    from ridersurvey.model.logit import load_analysis_data

    return load_analysis_data()


@pytest.fixture(scope="module")
def toy():
    """A small simulated survey with known coefficients (:func:`oracles.toy_survey`), once per test module."""
    from oracles import toy_survey

    return toy_survey()


@pytest.fixture(scope="module")
def result():
    """The audit of the committed ledger and data (:func:`ridersurvey.audit.ledger_audit.run_audit`), once per test
    module."""
    from ridersurvey.audit.ledger_audit import run_audit

    return run_audit()


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def forked_kernels():
    """The kernels this session's tests start with nbclient, forked from one server.

    As in ``make book`` (``bookbuild.kernelfork``; a build starts a server of its own): each kernel is a
    fork of a process that has imported the scientific stack, so a test that runs a chapter does not wait
    seconds for imports. The variables stay set for the rest of the session, so later subprocesses with
    the same environment (a process pool) ask the same server; one whose environment differs gets new
    processes. tests/bookbuild/test_kernelfork.py checks that forked kernels behave as new processes.
    ``RIDERSURVEY_KERNEL_FORK=off`` starts every kernel as a new process instead.
    """
    from jupyter_client.provisioning.factory import KernelProvisionerFactory

    from bookbuild import kernelfork

    if os.environ.get(kernelfork.ENV) or not sys.platform.startswith("linux"):
        yield
        return
    process, value = kernelfork.start_server()
    os.environ[kernelfork.ENV] = value
    os.environ["JUPYTER_DEFAULT_PROVISIONER_NAME"] = kernelfork.PROVISIONER
    factory = KernelProvisionerFactory.instance()
    default = factory.default_provisioner_name
    factory.default_provisioner_name = kernelfork.PROVISIONER
    try:
        yield
    finally:
        factory.default_provisioner_name = default
        os.environ.pop("JUPYTER_DEFAULT_PROVISIONER_NAME", None)
        kernelfork.stop_server(process, value)


@pytest.fixture(scope="session")
def built_book(forked_kernels) -> Path:
    """Build both editions from an empty execution cache once per session (``make book``) and return
    ``_build/html`` (the Chinese edition is ``_build/html/zh_CN``).

    Set ``RIDERSURVEY_REUSE_BUILD=1`` to reuse an existing build while working on browser tests.
    """
    html = ROOT / "_build" / "html"
    if os.environ.get("RIDERSURVEY_REUSE_BUILD") and (html / "zh_CN" / "index.html").exists():
        return html
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    proc = jupyter_book_build(ROOT, "--language", "all")
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-60:])
        pytest.fail(f"book build failed (exit {proc.returncode}):\n{tail}")
    return html


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, one instance for the whole session.

    Playwright's sync API allows one running instance per thread: every module that drives a browser uses
    this fixture rather than starting its own.
    """
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (make browser-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
