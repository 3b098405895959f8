"""The layer packages' declared API, loaded on first use.

Each layer's ``__init__`` lists its modules and the names the chapters import, and sets
``__getattr__ = layer_api(__name__, modules, names)``: a module or name loads when it is first asked for, so
importing a layer (or ``ridersurvey``) imports no third-party library.
"""

from collections.abc import Callable, Iterable, Mapping
from importlib import import_module


def layer_api(package: str, modules: Iterable[str], names: Mapping[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``package``: its ``modules``, and each of ``names`` from the module it maps to."""
    known = frozenset(modules)

    def __getattr__(name: str) -> object:
        if name in known:
            return import_module(f"{package}.{name}")
        if name in names:
            return getattr(import_module(f"{package}.{names[name]}"), name)
        raise AttributeError(name)

    return __getattr__
