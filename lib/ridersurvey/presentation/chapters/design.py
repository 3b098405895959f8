"""The research-design chapter (``chapters/design.md``): the sample flow and the design's adequacy."""

from __future__ import annotations

import inspect

from ridersurvey.audit.precision import format_floor
from ridersurvey.data import ledger_ids as ids
from ridersurvey.data.codebook import load_codebook
from ridersurvey.data.ledger import load_ledger, table1_counts, value
from ridersurvey.presentation import report as r
from ridersurvey.robustness.sample_size import criterion_1_break_even, design_adequacy, riley_sample_size


def sample_results() -> r.Facts:
    """The sample as the paper's Section 6.1 reports it, and the number of items and predictors analysed."""
    ledger = load_ledger()
    book = load_codebook()
    section61 = (ids.COLLECTED, ids.EXCLUDED, ids.VALID, ids.RECOVERY_RATE)
    out = {f"s6_{i.rpartition('.')[2]}": r.integer(value(i, ledger)) for i in section61}
    return r.Facts(
        **out,
        valid_over_collected=r.number(100 * value(ids.VALID, ledger) / value(ids.COLLECTED, ledger), 1),
        n_items=r.count_words(len(book.names)),
        n_predictors=r.count_words(len(book.predictors)),
    )


def adequacy_results() -> r.Facts:
    """Events per predictor and Riley et al.'s criteria under their conservative default anticipated R²
    (:func:`ridersurvey.robustness.sample_size.design_adequacy`), with the R² at which n would meet the shrinkage target."""
    ledger = load_ledger()
    book = load_codebook()
    outcome = table1_counts(ledger)[book.outcome]
    n_valid = int(value(ids.VALID, ledger))
    events = min(outcome.values())
    design = design_adequacy(n=n_valid, events=events, p=len(book.predictors), prevalence=outcome[1] / n_valid).iloc[-1]
    shrinkage = inspect.signature(riley_sample_size).parameters["shrinkage"].default
    even = criterion_1_break_even(n_valid, len(book.predictors), outcome[1] / n_valid, shrinkage)
    return r.Facts(
        n_events=r.integer(events),
        n_predictors=r.count_words(len(book.predictors)),
        epv=r.number(design["epv"], 1),
        n_required_conservative=r.integer(design["n_required"]),
        r2_nagelkerke_conservative=r.number(design["r2_nagelkerke"], 2),
        shrinkage_conservative=r.number(design["shrinkage_at_n"], 2),
        shrinkage_target=r.number(shrinkage, 1),
        nagelkerke_break_even=r.Text(format_floor(even["r2_nagelkerke"], 2)),
    )
