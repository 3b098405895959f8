"""``python -m tablecheck``: see :mod:`tablecheck.cli`."""

import sys

from tablecheck.cli import main

sys.exit(main())
