"""``python -m bookbuild``: build the book (:mod:`bookbuild.build`)."""

from bookbuild.build import main

raise SystemExit(main())
