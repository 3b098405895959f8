"""The data layer: the codebook, the published-numbers ledger, and the readers of survey exports and of
the project's data files.

Modules are imported as ``ridersurvey.data.<module>``. The chapter-facing names in ``__all__`` load on
first use, so that importing this layer, or ``ridersurvey``, loads no third-party library.
"""

from typing import TYPE_CHECKING

from ridersurvey.lazy import layer_api

if TYPE_CHECKING:
    from ridersurvey.data.codebook import load_codebook
    from ridersurvey.data.context import sharing_economy_series
    from ridersurvey.data.paths import DATA_DIR
    from ridersurvey.data.readers import exclusion_report, load_responses

_MODULES = ("codebook", "context", "csvnotes", "ledger", "ledger_ids", "paths", "readers", "strict_json")
_NAMES: dict[str, str] = {
    "DATA_DIR": "paths",
    "exclusion_report": "readers",
    "load_codebook": "codebook",
    "load_responses": "readers",
    "sharing_economy_series": "context",
}

__all__ = [
    "DATA_DIR",
    "codebook",
    "context",
    "csvnotes",
    "exclusion_report",
    "ledger",
    "ledger_ids",
    "load_codebook",
    "load_responses",
    "paths",
    "readers",
    "sharing_economy_series",
    "strict_json",
]

__getattr__ = layer_api(__name__, _MODULES, _NAMES)
