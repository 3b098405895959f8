"""Where the project's data live: ``data/`` beside ``lib/``, or ``$RIDERSURVEY_DATA`` if set."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]
DATA_DIR = Path(os.environ.get("RIDERSURVEY_DATA", PROJECT_ROOT / "data")).resolve()
