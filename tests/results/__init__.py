"""Reference numbers for the tests, one module per source (statsmodels' ``tests/results`` style).

:mod:`results.book` holds the book-level numbers several tests compare against: what the paper prints and the
headline counts of the audit, each typed from its source and none computed by the code under test.
"""
