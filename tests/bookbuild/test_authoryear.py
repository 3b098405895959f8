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


def _article(**fields: str) -> str:
    from pybtex.database import Entry, Person

    entry = Entry("article", fields={"title": "T", "journal": "J", "year": "2023", **fields})
    entry.persons["author"] = [Person("Wu, Chengzhuo")]
    entry.key = "k"
    authoryear.setup(None)  # registers the style's label and sorting plugins, as the build does
    return authoryear.AuthorYearStyle().format_entry("k", entry).text.render_as("text")


def test_an_article_shows_volume_and_issue_with_or_without_pages():
    assert "J, 12(10):4509–4520." in _article(volume="12", number="10", pages="4509--4520")
    assert "J, 12(10)." in _article(volume="12", number="10")
    assert "J, pages 1–2." in _article(pages="1--2")
