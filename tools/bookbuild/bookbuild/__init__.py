"""The ridersurvey book's build tooling: not part of the analysis package a reader installs.

* :mod:`bookbuild.build` (``python -m bookbuild``): ``jupyter-book build`` with Sphinx reading on several cores;
* Sphinx extensions, listed in ``_config.yml``: :mod:`~bookbuild.execute` (the ``{eval}`` role runs the
  cells above it first and records its values), :mod:`~bookbuild.notebook` (the downloadable notebooks),
  :mod:`~bookbuild.cache` (re-execution when a chapter's dependencies change), :mod:`~bookbuild.kernelfork`
  (kernels forked from a server that has imported the scientific stack), :mod:`~bookbuild.numref`
  (``{numref}`` without unpickling the target's page), :mod:`~bookbuild.parallel_safe`
  (third-party extensions that keep no per-document state, declared safe for parallel reading), and the
  page and bibliography details (:mod:`~bookbuild.authoryear`, :mod:`~bookbuild.book_numbers`,
  :mod:`~bookbuild.book_pdf`, :mod:`~bookbuild.exec_table_text`, :mod:`~bookbuild.figure_alt`,
  :mod:`~bookbuild.unique_scripts`), the pages' weight (:mod:`~bookbuild.page_weight`,
  :mod:`~bookbuild.itables_static`) and the chapters in JupyterLab (:mod:`~bookbuild.lab`, with
  :mod:`~bookbuild.table_numbers`, which the downloadable notebooks also use);
* :mod:`bookbuild.text`: the sentences the tooling writes for readers, kept in ``text.toml``;
* the ``ridersurvey-fork`` kernel provisioner (:class:`bookbuild.kernelfork.ForkingProvisioner`), an entry
  point of this distribution.
"""
