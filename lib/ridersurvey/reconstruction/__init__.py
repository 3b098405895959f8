"""Reconstructed survey responses consistent with the published tables of Wu (2023).

The paper publishes Table 1 (the frequency of every coded answer) and Table 3 (logit coefficients and
p-values of ``unwilling`` on nine predictors entered as codes), not its data. This package searches for
respondent-level data sets that reproduce those tables at the printed precision, and uses such data sets to
bound what the paper leaves open. One concern per module:

:mod:`~ridersurvey.reconstruction.targets`
    what must be reproduced, and which printed p-values any data set can reproduce at all;
:mod:`~ridersurvey.reconstruction.kernel`
    the compiled (numba) scoring of data sets and moves;
:mod:`~ridersurvey.reconstruction.endgame`
    the exact final step: combinations of swaps that land in the target box;
:mod:`~ridersurvey.reconstruction.search`
    annealing and the final step: :func:`reconstruct`;
:mod:`~ridersurvey.reconstruction.outputs`
    the files of ``data/``, the provenance record, the appendix's tables and replay;
:mod:`~ridersurvey.reconstruction.tasks`
    running independent searches on local processes or a Dask cluster;
:mod:`~ridersurvey.reconstruction.ensemble`
    many exact reconstructions from derived seeds;
:mod:`~ridersurvey.reconstruction.unpublished`
    the statistics the paper did not publish;
:mod:`~ridersurvey.reconstruction.envelope`
    directed searches for the smallest and largest value of each (inner bounds);
:mod:`~ridersurvey.reconstruction.alternative`
    the other reading: the printed p-values of health and awareness kept, their coefficients freed.

Every data set produced here is a reconstruction consistent with the published tables, never the survey's
answers.
"""

from ridersurvey.reconstruction.outputs import (
    cell_counts,
    load_provenance,
    provenance,
    provenance_table,
    regenerate,
    summary_lines,
    write_outputs,
)
from ridersurvey.reconstruction.search import LEGACY_SCHEDULE, Reconstruction, Schedule, reconstruct, verify
from ridersurvey.reconstruction.targets import Targets, targets_from_published, unattainable_targets

__all__ = [
    "LEGACY_SCHEDULE",
    "Reconstruction",
    "Schedule",
    "Targets",
    "cell_counts",
    "load_provenance",
    "provenance",
    "provenance_table",
    "reconstruct",
    "regenerate",
    "summary_lines",
    "targets_from_published",
    "unattainable_targets",
    "verify",
    "write_outputs",
]
