"""Sphinx extension: ``{numref}`` resolved from what the standard domain recorded while reading each page.

Sphinx 7.4 resolves each ``{numref}`` by unpickling the whole doctree of the page that holds the target
(``env.get_doctree``), only to read the type of the labelled node (table, figure, section, ...) and its
first id. The audit chapter's doctree is about 2.7 MB and the book has dozens of numbered references to
it and to the other chapters, so this took seconds of the build's serial writing phase.

This extension installs, through Sphinx's public ``add_domain(..., override=True)``, a subclass of the
standard domain that records those two facts for every labelled node while it processes a page
(:meth:`~NumrefStandardDomain.process_doc`, kept per page like the domain's other data: cleared with the
page, merged from parallel readers) and resolves ``{numref}`` from them with the domain's public methods
(:meth:`get_fignumber`, :meth:`build_reference_node`), formatting the title as Sphinx 7.4 does. A target
it has no record of is resolved by the standard domain itself. The pages are the same.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains.std import StandardDomain
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

__all__ = ["NumrefStandardDomain", "setup"]

logger = logging.getLogger(__name__)

_KEY = "bookbuild_enumerable"  # (docname, labelid) -> (figtype, the node's first id)


class NumrefStandardDomain(StandardDomain):
    """The standard domain, resolving ``{numref}`` without unpickling the target's page."""

    @property
    def enumerable(self) -> dict[tuple[str, str], tuple[str, str]]:
        """(docname, node id) -> (enumerable type, the node's first id), for every enumerable node with an id."""
        return self.data.setdefault(_KEY, {})

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        super().process_doc(env, docname, document)
        for labelid, node in document.ids.items():
            figtype = self.get_enumerable_node_type(node)
            if figtype is not None and node["ids"]:
                self.enumerable[docname, labelid] = (figtype, node["ids"][0])

    def clear_doc(self, docname: str) -> None:
        super().clear_doc(docname)
        for key in [key for key in self.enumerable if key[0] == docname]:
            del self.enumerable[key]

    def merge_domaindata(self, docnames: list[str], otherdata: dict[str, Any]) -> None:
        super().merge_domaindata(docnames, otherdata)
        wanted = set(docnames)
        self.enumerable.update({k: v for k, v in otherdata.get(_KEY, {}).items() if k[0] in wanted})

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Any,
        typ: str,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> nodes.Element | None:
        if typ == "numref":
            figname: str | None
            if target in self.labels:
                docname, labelid, figname = self.labels[target]
            else:
                docname, labelid = self.anonlabels.get(target, ("", ""))
                figname = None
            record = self.enumerable.get((docname, labelid)) if docname else None
            if record is not None and env.config.numfig:
                found = self._numbered_reference(
                    env, fromdocname, builder, docname, labelid, figname, record, node, contnode
                )
                if found is not None:
                    return found
        return super().resolve_xref(env, fromdocname, builder, typ, target, node, contnode)

    def _numbered_reference(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Any,
        docname: str,
        labelid: str,
        figname: str | None,
        record: tuple[str, str],
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> nodes.Element | None:
        """The reference node Sphinx 7.4 builds for a numbered target; ``None`` (the standard domain decides)
        for anything unusual: no number assigned, a format naming a caption the target lacks, a bad format."""
        figtype, first_id = record
        try:
            fignumber = self.get_fignumber(env, builder, figtype, docname, nodes.Element(ids=[first_id]))
        except ValueError:
            return None
        if fignumber is None:
            return None
        title = contnode.astext() if node["refexplicit"] else env.config.numfig_format.get(figtype, "")
        fignum = ".".join(map(str, fignumber))
        try:
            if "{name}" in title or "number" in title:
                if figname is None and "{name}" in title:
                    return None
                newtitle = title.format(name=figname, number=fignum) if figname else title.format(number=fignum)
            else:
                newtitle = title % fignum
        except (KeyError, TypeError, ValueError):
            return None
        return self.build_reference_node(
            fromdocname, builder, docname, labelid, newtitle, "numref", nodeclass=addnodes.number_reference, title=title
        )


def setup(app: Sphinx) -> dict[str, Any]:
    """Install the domain in place of Sphinx's standard domain."""
    app.add_domain(NumrefStandardDomain, override=True)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
