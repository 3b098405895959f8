"""Page weight and speed of the HTML book against an empty Jupyter Book: ``make bench-web``.

Builds a bare book (``jupyter-book create``, the same jupyter-book and theme as this book) in a temporary
folder, serves it and this book's ``_build/html`` over HTTP on the loopback interface (no compression, as a
plain static host), and runs Lighthouse's mobile performance audit (from ``tools/npm``, an exact pin) with
Debian's Chromium on the home, audit and robustness pages and on the bare book's home page, three times
each. Prints the medians of the performance score, the transferred bytes, the largest contentful paint and
the total blocking time, and writes every run to ``_build/bench-web.json``. A benchmark, not a test: the
numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LIGHTHOUSE = ROOT / "tools" / "npm" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = Path("/usr/bin/chromium")
PAGES = {"home": "chapters/intro.html", "audit": "chapters/audit.html", "robustness": "chapters/robustness.html"}
BARE_HOME = "intro.html"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    """An HTTP server on 127.0.0.1 over ``folder`` (a thread of this process) and its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def build_bare_book(folder: Path) -> Path:
    """``jupyter-book create`` in ``folder`` and build it; return its HTML folder."""
    book = folder / "bare"
    subprocess.run([str(BIN / "jupyter-book"), "create", str(book)], check=True, capture_output=True)
    subprocess.run([str(BIN / "jupyter-book"), "build", str(book)], check=True, capture_output=True)
    return book / "_build" / "html"


def lighthouse(url: str) -> dict:
    """One mobile Lighthouse performance run of ``url``: score (0-100), bytes, LCP and TBT (ms)."""
    proc = subprocess.run(
        [
            "node",
            str(LIGHTHOUSE),
            url,
            "--output=json",
            "--quiet",
            "--only-categories=performance",
            f"--chrome-flags={CHROME_FLAGS}",
        ],  # fmt: skip
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
        check=True,
    )
    report = json.loads(proc.stdout)
    audits = report["audits"]
    return {
        "score": round(100 * report["categories"]["performance"]["score"]),
        "bytes": audits["total-byte-weight"]["numericValue"],
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per page (%(default)s); the median is reported")
    parser.add_argument("--output", type=Path, default=ROOT / "_build" / "bench-web.json")
    args = parser.parse_args(argv)
    html = ROOT / "_build" / "html"
    needs = {html / "index.html": "make book", LIGHTHOUSE: "make npm-deps", CHROMIUM: "make browser-deps"}
    for need, hint in needs.items():
        if not need.exists():
            print(f"missing {need}: run `{hint}` first", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory() as tmp:
        bare = build_bare_book(Path(tmp))
        book_server, book_url = serve(html)
        bare_server, bare_url = serve(bare)
        targets = {"bare book home": bare_url + BARE_HOME, **{name: book_url + path for name, path in PAGES.items()}}
        runs: dict[str, list[dict]] = {name: [] for name in targets}
        try:
            for _ in range(args.runs):  # interleaved, so that a change in the machine's load hits every page alike
                for name, url in targets.items():
                    runs[name].append(lighthouse(url))
        finally:
            for server in (book_server, bare_server):
                server.shutdown()
                server.server_close()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(runs, indent=2), encoding="utf-8")
    version = json.loads((LIGHTHOUSE.parents[1] / "package.json").read_text(encoding="utf-8"))["version"]
    print(f"Lighthouse {version}, mobile, medians of {args.runs} runs (every run in {args.output})")
    print(f"{'page':<16}{'score':>7}{'weight (MB)':>13}{'LCP (s)':>9}{'TBT (ms)':>10}")
    for name, results in runs.items():
        median = {key: statistics.median(r[key] for r in results) for key in results[0]}
        print(
            f"{name:<16}{median['score']:>7.0f}{median['bytes'] / 1e6:>13.2f}"
            f"{median['lcp_ms'] / 1000:>9.1f}{median['tbt_ms']:>10.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
