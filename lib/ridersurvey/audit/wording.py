"""Counts and lists for the library's sentences: small counts as words, parts of a set, lists of names.

The reasons that analysis modules fill into catalog templates and the prose of the presentation layer word
counts and lists alike through these functions (:mod:`ridersurvey.presentation.report` returns them as
:class:`~ridersurvey.presentation.report.Text`). Counts above ten print as
:func:`ridersurvey.audit.precision.integer` prints them.
"""

from __future__ import annotations

from collections.abc import Iterable

from ridersurvey import messages
from ridersurvey.audit.precision import integer

_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def count_words(n: int, zero: str = "zero") -> str:
    """A count for running text: words for zero to ten, digits above (digits throughout in other editions).

    Parameters
    ----------
    n : int
    zero : str
        The word for 0 ("none" reads better as a subject).

    Returns
    -------
    str
    """
    n = int(n)
    if messages.language() != messages.DEFAULT_LANGUAGE:
        return integer(n)
    if n == 0:
        return zero
    return _WORDS[n] if 0 < n <= 10 else integer(n)


def share_words(k: int, n: int) -> str:
    """How many of a counted set, for running text: "all four", "both", "none of the 33", "three of the nine".

    The counts print as :func:`count_words` does (words up to ten, digits above); the phrase is a subject
    or an object before a plural noun ("all ten means pass", "none of the 33 answers").

    Parameters
    ----------
    k : int
        How many of the set.
    n : int
        The size of the set, at least ``k``.

    Returns
    -------
    str
    """
    k, n = int(k), int(n)
    if not 0 <= k <= n:
        raise ValueError(messages.text("report.share.out_of_range", k=k, n=n))
    if k == n == 2:
        return messages.text("report.share.both")
    if k == n:
        return messages.text("report.share.all", n=count_words(n))
    if k == 0:
        return messages.text("report.share.none", n=count_words(n))
    return messages.text("report.share.some", k=count_words(k), n=count_words(n))


def names(items: Iterable[str], conjunction: str = "and") -> str:
    """A list for running text: "a", "a and b", "a, b and c" (in the catalog's language: "a、b和c").

    Parameters
    ----------
    items : iterable of str
    conjunction : str
        The word before the last item.

    Returns
    -------
    str
    """
    items = [str(i) for i in items]
    if not items:
        return messages.text("lists.none")
    if len(items) == 1:
        return items[0]
    return messages.text("lists.separator").join(items[:-1]) + messages.text(f"lists.{conjunction}") + items[-1]
