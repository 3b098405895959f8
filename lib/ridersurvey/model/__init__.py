"""The model layer: the paper's binary logit, and its variants (many fits at once, Firth's penalised fit,
other codings of the same answers).

Modules are imported as ``ridersurvey.model.<module>``. The chapter-facing names in ``__all__`` load on
first use, so that importing this layer, or ``ridersurvey``, loads no third-party library.
"""

from typing import TYPE_CHECKING

from ridersurvey.lazy import layer_api

if TYPE_CHECKING:
    from ridersurvey.model.logit import ModelSpec, fit_logit, load_analysis_data

_MODULES = ("batch_logit", "codings", "firth", "logit")
_NAMES: dict[str, str] = {"ModelSpec": "logit", "fit_logit": "logit", "load_analysis_data": "logit"}

__all__ = ["ModelSpec", "batch_logit", "codings", "firth", "fit_logit", "load_analysis_data", "logit"]

__getattr__ = layer_api(__name__, _MODULES, _NAMES)
