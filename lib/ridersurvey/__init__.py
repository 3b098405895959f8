"""ridersurvey: data, model and audit behind the book reproducing Wu (2023).

The respondent-level data this package ships are a reconstruction consistent with the paper's published
tables, not the survey's original answers.
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

try:
    __version__ = _version("ridersurvey")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

from ridersurvey.data.paths import DATA_DIR, PROJECT_ROOT


def load_responses(path, **kwargs):
    """Load and validate a survey export; see :func:`ridersurvey.data.readers.load_responses`."""
    from ridersurvey.data.readers import load_responses as _load  # pandas and pandera load only when a survey is read

    return _load(path, **kwargs)


__all__ = ["DATA_DIR", "PROJECT_ROOT", "__version__", "load_responses"]
