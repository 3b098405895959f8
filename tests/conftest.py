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
    """The README's build command for ``project``: ``tools/build_book.py`` (``jupyter-book build`` reading
    chapters on both cores) with warnings as errors."""
    return [sys.executable, str(project / "tools" / "build_book.py"), str(project), "-W", "-n", "--keep-going", *extra]


def jupyter_book_build(project: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Build ``project`` exactly as the README does (warnings are errors)."""
    return subprocess.run(build_command(project, *extra), cwd=project, capture_output=True, text=True, env=env)


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built_book() -> Path:
    """Build the book from an empty execution cache once per session and return ``_build/html``.

    Set ``RIDERSURVEY_REUSE_BUILD=1`` to reuse an existing build while working on browser tests.
    """
    html = ROOT / "_build" / "html"
    if os.environ.get("RIDERSURVEY_REUSE_BUILD") and (html / "index.html").exists():
        return html
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    proc = jupyter_book_build(ROOT)
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
