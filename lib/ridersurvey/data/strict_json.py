"""Strict JSON for every file the project writes: a non-finite number is written as ``null``.

Python's :mod:`json` writes ``NaN`` and ``Infinity`` bare, which the JSON standard (RFC 8259) does not
allow and strict readers (R's ``jsonlite``, ``JSON.parse`` in a browser) reject. Every writer in the
package goes through :func:`dumps`, which writes a non-finite float as ``null`` and refuses anything else
JSON cannot hold. A reader that needs the number back maps ``null`` to NaN where the field is numeric
(:func:`nan_for_null`); an infinity comes back as NaN too, because ``null`` does not keep its sign.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any


def finite(obj: Any) -> Any:
    """``obj`` with every non-finite float, in any nesting of dicts, lists and tuples, replaced by None."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, Mapping):
        return {k: finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [finite(v) for v in obj]
    return obj


def dumps(obj: Any, **kwargs: Any) -> str:
    """:func:`json.dumps` of ``finite(obj)`` with ``allow_nan=False``: strict JSON or a ValueError."""
    return json.dumps(finite(obj), allow_nan=False, **kwargs)


def dump(obj: Any, path: str | os.PathLike) -> None:
    """Write ``obj`` to ``path`` as sorted, indented, strict UTF-8 JSON with a final newline."""
    Path(path).write_text(dumps(obj, sort_keys=True, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON (strict JSON has no NaN or Infinity; write null)")


def loads(text: str) -> Any:
    """Parse strict JSON: :func:`json.loads` that raises ValueError on a bare NaN, Infinity or -Infinity."""
    return json.loads(text, parse_constant=_reject_constant)


def nan_for_null(values: Mapping[str, Any], keep_null: Collection[str] = ()) -> dict[str, Any]:
    """A copy of a mapping of numbers with every None (a non-finite number written as ``null``) read as NaN,
    except under the keys ``keep_null``, whose None means no value."""
    return {k: math.nan if v is None and k not in keep_null else v for k, v in values.items()}
