"""The build command (``bookbuild.build``) and the parallel-safety declarations (``bookbuild.parallel_safe``)."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import pytest
from sphinx.errors import ExtensionError

from bookbuild import build, parallel_safe


def test_jobs_default_to_the_cores_at_most_two_and_the_variable_overrides(monkeypatch):
    monkeypatch.delenv("RIDERSURVEY_BUILD_JOBS", raising=False)
    args = build.parse_args([".", "-W", "-n", "--keep-going"])
    assert args.path_source == Path(".") and args.warningiserror and args.nitpick and args.keep_going
    assert 1 <= args.jobs <= 2 and args.builder == "html" and not args.freshenv
    assert build.parse_args([".", "-j", "3"]).jobs == 3
    assert build.parse_args([".", "--jobs=0"]).jobs == 1
    monkeypatch.setenv("RIDERSURVEY_BUILD_JOBS", "1")
    assert build.parse_args(["."]).jobs == 1


def test_only_builders_that_write_html_are_offered():
    assert build.parse_args([".", "--builder", "singlehtml"]).builder == "singlehtml"
    with pytest.raises(SystemExit):
        build.parse_args([".", "--builder", "latex"])


@pytest.mark.parametrize("module_name", sorted(parallel_safe.CHECKED))
def test_the_extensions_declared_safe_are_the_versions_read(module_name):
    distribution, checked = parallel_safe.CHECKED[module_name]
    # a new version of the extension must be read before it is declared safe again
    assert version(distribution) == checked


def test_another_version_is_refused(monkeypatch):
    monkeypatch.setattr(parallel_safe, "version", lambda distribution: "99.0")
    with pytest.raises(ExtensionError, match="unchecked sphinx-mathjax-offline 99.0"):
        parallel_safe.setup(object())  # type: ignore[arg-type]


def test_multitoc_numbering_is_declared_safe_without_replacing_its_setup(tmp_path):
    import sphinx_multitoc_numbering
    from sphinx.application import Sphinx

    setup = sphinx_multitoc_numbering.setup
    (tmp_path / "conf.py").write_text("extensions = ['sphinx_external_toc', 'bookbuild.parallel_safe']\n")
    (tmp_path / "_toc.yml").write_text("root: index\n")
    (tmp_path / "index.rst").write_text("Title\n=====\n")
    app = Sphinx(tmp_path, tmp_path, tmp_path / "_build", tmp_path / "_doctrees", "html", status=None, parallel=2)
    assert sphinx_multitoc_numbering.setup is setup
    assert app.extensions["sphinx_multitoc_numbering"].parallel_read_safe is True
    assert app.is_parallel_allowed("read")
