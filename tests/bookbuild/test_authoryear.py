"""The bibliography's pybtex plugins (``bookbuild.authoryear``)."""

from __future__ import annotations

from importlib.metadata import entry_points

from pybtex.plugin import find_plugin

from bookbuild import authoryear


def test_installed_plugins_are_registered_as_the_classes_their_entry_points_name():
    registered = authoryear.register_installed_plugins()
    expected = {(g, ep.name): ep.load() for g in authoryear.PYBTEX_GROUPS for ep in entry_points(group=g)}
    assert registered == expected
    assert ("pybtex.backends", "docutils") in registered and ("pybtex.style.names", "lastfirst") in registered
    assert find_plugin("pybtex.backends", "docutils") is expected["pybtex.backends", "docutils"]
    assert find_plugin("pybtex.backends", "text") is expected["pybtex.backends.aliases", "text"]
