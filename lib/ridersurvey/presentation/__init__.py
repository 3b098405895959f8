"""The presentation layer: number formats, the book's tables and figures, and one module per chapter;
the only layer that builds a book table or figure.

Modules are imported as ``ridersurvey.presentation.<module>``. The chapter-facing names in ``__all__`` load on
first use, so that importing this layer, or ``ridersurvey``, loads no third-party library.
"""

from typing import TYPE_CHECKING

from ridersurvey.lazy import layer_api

if TYPE_CHECKING:
    from ridersurvey.presentation.plots import item_distributions, set_style, sharing_economy
    from ridersurvey.presentation.tables import (
        code_ranges_table,
        codebook_facts,
        exclusions_table,
        predictors_table,
        printed_codings_table,
        questionnaire_table,
        sample_facts,
        sample_flow_table,
        table1_table,
        table2_facts,
        table2_table,
        versions_table,
    )

_MODULES = ("chapters", "interactive", "multiplicity", "plots", "report", "tables")
_NAMES: dict[str, str] = {
    "code_ranges_table": "tables",
    "codebook_facts": "tables",
    "exclusions_table": "tables",
    "item_distributions": "plots",
    "predictors_table": "tables",
    "printed_codings_table": "tables",
    "questionnaire_table": "tables",
    "sample_facts": "tables",
    "sample_flow_table": "tables",
    "set_style": "plots",
    "sharing_economy": "plots",
    "table1_table": "tables",
    "table2_facts": "tables",
    "table2_table": "tables",
    "versions_table": "tables",
}

__all__ = [
    "chapters",
    "code_ranges_table",
    "codebook_facts",
    "exclusions_table",
    "interactive",
    "item_distributions",
    "multiplicity",
    "plots",
    "predictors_table",
    "printed_codings_table",
    "questionnaire_table",
    "report",
    "sample_facts",
    "sample_flow_table",
    "set_style",
    "sharing_economy",
    "table1_table",
    "table2_facts",
    "table2_table",
    "tables",
    "versions_table",
]

__getattr__ = layer_api(__name__, _MODULES, _NAMES)
