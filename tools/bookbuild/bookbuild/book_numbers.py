"""Sphinx extension: the root page's tables and figures are numbered "0.1", "0.2", ..., never "1", "2", "3".

Sphinx never gives the root page (the introduction) a section number, so its tables and figures are
numbered 1, 2, ... with no chapter prefix, and "Table 1" of the book would read as the paper's Table 1.
The numbered chapters get their chapter number ("Table 4.2") and the appendices, numbered A, B, ... by
``style: alphaupper`` in ``_toc.yml``, their letter ("Table A.1"). This handler runs after Sphinx has
assigned the numbers (``env-get-updated``, after the toctree collector) and puts the prefix
``ridersurvey_root_number`` (default "0") in front of the root page's.
"""

from __future__ import annotations


def prefix_root_numbers(app, env) -> list[str]:
    """Prefix the root document's figure and table numbers; return it for rewriting when any changed."""
    root = env.config.root_doc
    prefix = env.config.ridersurvey_root_number
    changed = False
    for numbers in env.toc_fignumbers.get(root, {}).values():
        for figure_id, number in numbers.items():
            if number and number[0] != prefix:
                numbers[figure_id] = (prefix, *number)
                changed = True
    return [root] if changed else []


def setup(app):
    app.add_config_value("ridersurvey_root_number", "0", "env")
    app.connect("env-get-updated", prefix_root_numbers, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}
