"""Sphinx extension: every image gets a text alternative, taken from its figure's caption.

A figure made by a notebook cell (myst-nb's ``mystnb: figure: caption``) has an image whose only name is
its hashed file name, and Sphinx writes that file name as the ``alt`` text. This post-transform sets
``alt`` to the caption of the enclosing figure wherever the image has no alt text or one that is just a
file name. An image with neither alt text nor a caption is reported as a warning (so ``-W`` fails).
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)
FILE_NAME = re.compile(r"^[^\s]*\.(png|jpe?g|gif|svg|webp)$", re.IGNORECASE)


def needs_alt(image: nodes.image) -> bool:
    """Whether ``image`` has no alt text, or only a file name (or the image's own address) as alt text."""
    alt = (image.get("alt") or "").strip()
    return not alt or alt == image.get("uri") or bool(FILE_NAME.match(alt))


def caption_of(image: nodes.image) -> str:
    """The caption text of the figure that holds ``image``, or ``""``."""
    parent = image.parent
    while parent is not None and not isinstance(parent, nodes.figure):
        parent = parent.parent
    if parent is None:
        return ""
    captions = [child for child in parent.children if isinstance(child, nodes.caption)]
    return " ".join(captions[0].astext().split()) if captions else ""


class AltTextFromCaption(SphinxPostTransform):
    """Set each image's alt text from its figure caption where it has none of its own."""

    default_priority = 200

    def run(self, **kwargs) -> None:
        for image in self.document.findall(nodes.image):
            if not needs_alt(image):
                continue
            caption = caption_of(image)
            if caption:
                image["alt"] = caption
            else:
                logger.warning("no alt or caption: %s", image.get("uri"), location=image)


def setup(app):
    app.add_post_transform(AltTextFromCaption)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
