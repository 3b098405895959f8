"""What each chapter of the book shows: its tables (:class:`ridersurvey.presentation.report.Table`) and the facts its prose quotes.

One module per chapter (``ridersurvey.presentation.chapters.audit`` for ``chapters/audit.md``, and so on). The functions
compute nothing of their own: they call the library's analyses and put the results in the book's house
style, so that a chapter's code cells are short calls and every number in its prose comes from here.
"""
