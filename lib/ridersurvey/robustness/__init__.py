"""The robustness layer: one verdict per finding, the design's power and sample size, and the bootstrap.

Modules are imported as ``ridersurvey.robustness.<module>``. The chapter-facing names in ``__all__`` load on
first use, so that importing this layer, or ``ridersurvey``, loads no third-party library.
"""

from ridersurvey.lazy import layer_api

_MODULES = ("bootstrap", "finding_robustness", "power", "sample_size")
_NAMES: dict[str, str] = {}

__all__ = ["bootstrap", "finding_robustness", "power", "sample_size"]

__getattr__ = layer_api(__name__, _MODULES, _NAMES)
