"""The audit layer: a graded verdict on every number and claim the paper prints, with the printed-precision
rules it applies and the mechanisms that could explain what fails.

Modules are imported as ``ridersurvey.audit.<module>``. The chapter-facing names in ``__all__`` load on
first use, so that importing this layer, or ``ridersurvey``, loads no third-party library.
"""

from ridersurvey.lazy import layer_api

_MODULES = ("checks", "findings", "granularity", "inference", "ledger_audit", "mechanisms", "precision", "verdicts")
_NAMES: dict[str, str] = {}

__all__ = ["checks", "findings", "granularity", "inference", "ledger_audit", "mechanisms", "precision", "verdicts"]

__getattr__ = layer_api(__name__, _MODULES, _NAMES)
