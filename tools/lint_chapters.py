"""Lint the chapters' code cells with ruff (``make lint``): check, and format check unless ``--no-format``.

Each MyST chapter is converted to a notebook in a temporary folder (jupytext) and ruff checks its code cells
(not its prose) with the project's configuration; problems are reported against ``chapters/<name>.md`` and
the cell's number. ``--fix`` writes ruff's fixes and formatting back to the chapters through jupytext.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parents[1]
RUFF = Path(sys.executable).parent / "ruff"


def chapters() -> list[Path]:
    """The MyST notebooks under ``chapters/`` (pages without code cells are skipped)."""
    return sorted(p for p in (ROOT / "chapters").glob("*.md") if "```{code-cell}" in p.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fix", action="store_true", help="write ruff's fixes and formatting")
    parser.add_argument("--no-format", action="store_true", help="skip the format check")
    args = parser.parse_args(argv)
    config = ["--config", str(ROOT / "pyproject.toml")]
    with tempfile.TemporaryDirectory(prefix="lint_chapters_") as tmp:
        notebooks = {}
        for chapter in chapters():
            target = Path(tmp) / f"{chapter.stem}.ipynb"
            jupytext.write(jupytext.read(chapter, fmt="md:myst"), target)
            notebooks[target] = chapter
        files = [str(n) for n in notebooks]
        runs = [[str(RUFF), "check", *config, *(["--fix"] if args.fix else [])]]
        if not args.no_format:
            runs.append([str(RUFF), "format", *config, *([] if args.fix else ["--check", "--diff"])])
        status = 0
        for command in runs:
            proc = subprocess.run([*command, *files], capture_output=True, text=True)
            report = (proc.stdout + proc.stderr).replace(tmp + "/", "chapters/").replace(".ipynb", ".md")
            if proc.returncode:
                sys.stdout.write(report)
            status = status or proc.returncode
        if args.fix:
            for notebook, chapter in notebooks.items():
                fixed = jupytext.read(notebook)
                original = jupytext.read(chapter, fmt="md:myst")
                if [c.source for c in fixed.cells] == [c.source for c in original.cells]:
                    continue
                for new, old in zip(fixed.cells, original.cells, strict=True):
                    old.source = new.source
                text = jupytext.writes(original, fmt="md:myst")
                # keep the header as written (chapters/jupytext.toml): no jupytext version stamp
                text = re.sub(r"\n\s+jupytext_version: [^\n]*", "", text)
                Path(chapter).write_text(text, encoding="utf-8")
    if status == 0:
        print(f"ruff passes: {len(notebooks)} chapters")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
