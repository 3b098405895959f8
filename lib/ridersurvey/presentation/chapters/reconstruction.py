"""The reconstruction appendix (``chapters/reconstruction.md``): the targets, why two p-values are out of reach,
the search, the raw file, regeneration, the exact ensemble, the envelope and the other reading."""

from __future__ import annotations

import statistics

import numpy as np
import pandas as pd

from ridersurvey import messages
from ridersurvey.audit.inference import table3_from_print
from ridersurvey.audit.precision import agrees, format_ceiling, format_floor, format_p_floor, half_width, max_abs_z
from ridersurvey.data import ledger_ids as ids
from ridersurvey.data.codebook import load_codebook
from ridersurvey.data.ledger import load_ledger, numbers, table2, value
from ridersurvey.data.paths import DATA_DIR
from ridersurvey.data.readers import load_responses
from ridersurvey.model.logit import load_analysis_data
from ridersurvey.presentation import report as r
from ridersurvey.presentation.interactive import interactive_table
from ridersurvey.presentation.tables import sample_flow_table
from ridersurvey.reconstruction import alternative as A
from ridersurvey.reconstruction import ensemble as E
from ridersurvey.reconstruction import envelope as EV
from ridersurvey.reconstruction.endgame import typical_swap_effect
from ridersurvey.reconstruction.outputs import cell_counts as cells
from ridersurvey.reconstruction.outputs import load_provenance, provenance_table
from ridersurvey.reconstruction.search import Schedule
from ridersurvey.reconstruction.targets import target_arrays, targets_from_published
from ridersurvey.reconstruction.unpublished import CATALOGUE, objectives
from ridersurvey.robustness.finding_robustness import DATA_GROUPS, IMPLIED, MODEL_GROUPS


def _labels() -> dict[str, str]:
    return load_codebook().labels() | {"const": messages.label("Intercept")}


def _lower(variables) -> r.Text:
    labels = _labels()
    return r.names(labels[v].lower() for v in variables)


def targets_results(prov: dict | None = None) -> r.Facts:
    """How many of Table 1's cells and Table 3's targets the committed data meet, and the tolerance aimed at.

    Parameters
    ----------
    prov : dict, optional
        A provenance record; by default ``data/provenance.json``
        (:func:`ridersurvey.reconstruction.outputs.load_provenance`).

    Raises ``ValueError`` if the provenance does not record success, which the appendix states.
    """
    from ridersurvey.reconstruction.outputs import cell_counts  # this module defines its own counts_table

    prov = load_provenance() if prov is None else prov
    if not prov["success"]:
        raise ValueError(messages.text("chapters.reconstruction.unmet_targets", failures=prov["failures"]))
    table = provenance_table(prov)
    counts = cell_counts(prov)
    coef_rows = table[table["statistic"] == "coef"]
    p_rows = table[(table["statistic"] == "p") & table["targeted"]]
    unattainable = [u["variable"] for u in prov["unattainable"]]
    tolerance = prov["tolerance"]
    return r.Facts(
        n=r.integer(prov["n"]),
        k=r.integer(len(coef_rows)),
        p_targeted=r.integer(len(p_rows)),
        p_met=r.integer(int(p_rows["met"].sum())),
        n_unattainable=r.count_words(len(unattainable)),
        unattainable_names=_lower(unattainable),
        cells_share=r.share_words(int(counts["met"].sum()), len(counts)),
        coef_share=r.share_words(int(coef_rows["met"].sum()), len(coef_rows)),
        p_share=r.share_words(int(p_rows["met"].sum()), len(p_rows)),
        half_width=r.number(float(tolerance["printed_half_width"]), 4),
        aimed=r.number(float(tolerance["aimed_half_width"]), 5),
        margin=r.percent(100 * float(tolerance["margin"]), 0),
    )


def floor_results() -> r.Facts:
    """Per predictor of Table 3 (suffix ``_<variable>``): the printed b and p, the tops of the rounding intervals of
    |b| and Table 2's SD, and the SE floor, largest |z| and p floor they give (:func:`floors`)."""
    out: dict[str, r.Text] = {"n": r.integer(value(ids.N)), "half_width": r.number(half_width(3), 4)}
    for var, row in floors().iterrows():
        out |= {
            f"b_{var}": r.number(float(row["b"]), 3),
            f"b_top_{var}": r.number(float(row["b_top"]), 4),
            f"sd_top_{var}": r.number(float(row["sd_top"]), 4),
            f"se_floor_{var}": r.Text(format_floor(float(row["se_floor"]))),
            f"z_max_{var}": r.Text(format_ceiling(float(row["z_max"]))),
            f"p_floor_{var}": r.Text(format_p_floor(float(row["p_floor"]))),
            f"p_printed_{var}": r.number(float(row["p"]), 3),
        }
    return r.Facts(**out)


def search_results() -> r.Facts:
    """The search's default schedule, the schedule and run the committed data came from, its provenance, and
    ``k``, the model's parameters (the predictors and the intercept), which sets the cost of scoring a proposal."""
    prov = load_provenance()
    default = Schedule()
    committed = Schedule.from_dict(prov["budget"]["schedule"])
    return r.Facts(
        k=r.integer(len(load_codebook().predictors) + 1),
        T0=r.number(default.T0, 0),
        T1=r.number(default.T1, 3),
        hinge=r.number(default.hinge, 2),
        p_outcome=r.number(default.p_outcome, 2),
        cycle=r.integer(default.proposals_per_cycle),
        n_stages=r.count_words(len(default.stages)),
        scale0=r.number(float(default.stages[0][0]), 0),
        small=r.number(default.endgame.small, 0),
        partners=r.integer(default.endgame.partners),
        radius=r.number(default.endgame.radius, 0),
        candidates=r.integer(default.endgame.candidates),
        reheats=r.count_words(default.reheats),
        reheat_proposals=r.integer(default.reheat_proposals),
        slow_aim=r.percent(100 * default.slow_aim, 0),
        n_errors=r.integer(len(target_arrays(targets_from_published()).names)),
        swap_effect=r.number(typical_swap_effect(load_analysis_data()), 0),
        committed_step=r.Text(committed.final_step),
        committed_cycle=r.integer(committed.proposals_per_cycle),
        beam_width=r.integer(committed.beam_width),
        beam_depth=r.count_words(committed.beam_depth),
        seed=r.Text(str(prov["seed"])),
        version=r.Text(str(prov["ridersurvey_version"])),
        proposals=r.integer(prov["proposals"]),
        cycles=r.count_words(int(prov["cycles"])),
        rate=r.integer(round(float(prov["proposals_per_second"]))),
        wall=r.number(float(prov["wall_seconds"]), 1),
        replay=r.integer(prov["budget"]["replay_max_proposals"]),
    )


def raw_results() -> r.Facts:
    """The raw file's responses collected, excluded and valid, beside Section 6.1's counts."""
    result = load_responses(DATA_DIR / "raw" / "responses.csv")
    return r.Facts(
        collected=r.integer(result.n_collected),
        excluded=r.count_words(result.n_excluded),
        valid=r.integer(result.n_valid),
        paper_collected=r.integer(value(ids.COLLECTED)),
        paper_excluded=r.integer(value(ids.EXCLUDED)),
        paper_valid=r.integer(value(ids.VALID)),
    )


def ensemble_results() -> r.Facts:
    """How the exact ensemble was drawn (searches and walks), what it holds and what it cost."""
    ens = E.load_ensemble()
    meta = E.load_meta()
    exact = E.exact_members(ens)
    walk = E.WalkSettings(**meta["walk"])
    wall = lambda method: r.number(float(ens.loc[ens["method"] == method, "wall_seconds"].median()), 0)
    return r.Facts(
        k=r.integer(meta["k"]),
        seed=r.Text(str(meta["base_seed"])),
        walks=r.count_words(meta["walks_per_member"]),
        members=r.integer(meta["n_members"]),
        exact=r.integer(len(exact)),
        search_exact=r.integer(int((exact["method"] == "search").sum())),
        walk_exact=r.integer(int((exact["method"] == "walk").sum())),
        returned=r.count_words(returned_walks(ens)),
        walk_proposals=r.integer(walk.proposals),
        walk_T0=r.number(walk.T0, 0),
        walk_T1=r.number(walk.T1, 2),
        search_wall=wall("search"),
        walk_wall=wall("walk"),
        walk_rows=r.number(float(E.rows_moved(ens).median()), 0),
    )


def envelope_results() -> r.Facts:
    """The envelope's catalogue, its directed searches' settings and what they cost (``timed_*``: the last run
    whose wall time was recorded; ``untimed_*``: the runs before it whose searches were kept without a wall
    time; ``mech_*``: the rows of :func:`ridersurvey.reconstruction.envelope.mechanism_results` and in how many
    of them a data set printing the paper's p-value was found or not)."""
    searches = EV.load_searches()
    meta = EV.load_meta()
    settings = EV.EnvelopeSettings.from_dict(meta["settings"])
    seconds = [float(s["seconds"]) for s in searches]
    timed = [run for run in meta["runs"] if run.get("wall_seconds")][-1]
    untimed = [run for run in meta["runs"] if not run.get("wall_seconds")]
    found = EV.mechanism_results(searches)["witness_found"]
    return r.Facts(
        statistics=r.integer(len(CATALOGUE)),
        objectives=r.integer(len(objectives())),
        searched_share=r.share_words(len({s["objective"] for s in searches}), len(objectives())),
        searches=r.integer(len(searches)),
        seed=r.Text(str(meta["base_seed"])),
        rounds=r.count_words(settings.rounds),
        patience=r.count_words(settings.patience),
        push=r.integer(settings.push_proposals),
        weight=r.number(settings.weight, 0),
        grow=r.number(settings.grow, 0),
        ascent=r.count_words(settings.ascent_steps),
        cpu_hours=r.number(sum(seconds) / 3600, 2),
        timed_searches=r.integer(timed["searches"]),
        timed_seconds=r.integer(round(timed["wall_seconds"])),
        timed_jobs=r.integer(timed["jobs"]),
        untimed_searches=r.integer(sum(run["searches"] for run in untimed)),
        untimed_jobs=r.names(r.count_words(j) for j in sorted({run["jobs"] for run in untimed})),
        one_worker_minutes=r.integer(round(meta["cost_estimate"]["one_worker_wall_seconds_all_searches"] / 60)),
        search_median=r.number(statistics.median(seconds), 0),
        search_max=r.number(max(seconds), 0),
        improved=r.integer(sum(s["best_round"] >= 0 for s in searches)),
        mech_rows=r.count_words(len(found)),
        mech_found=r.share_words(int(found.sum()), len(found)),
        mech_not_found=r.share_words(int((~found).sum()), len(found)),
    )


def alternative_results() -> r.Facts:
    """The other reading: its seed, how many targets it missed, and per freed coefficient (suffix ``_<variable>``)
    its b, SE, p and odds ratio beside the printed coefficient's, the floor the printed p-value sets on its size
    (``floor``), whether it has the printed sign (``sign``: "the same sign" or "opposite sign") and how many times
    as large it is (``ratio``)."""
    alt = A.load_alternative_provenance()
    read = A.readings(alt)
    targets = targets_from_published()
    out: dict[str, r.Text] = {
        "seed": r.Text(str(alt["seed"])),
        "n_missed": r.count_words(len(alt["failures"]), zero="none"),
    }
    for var in A.FREE:
        got = alt["achieved"][var]
        same, ratio = A.relative_size(float(got["coef"]), targets.coef(var))
        out |= {
            f"floor_{var}": r.Text(format_floor(float(read.loc[var, "b_needed"]))),
            f"sign_{var}": r.Text(messages.label("the same sign" if same else "opposite sign")),
            f"ratio_{var}": r.Text(ratio),
            f"b_{var}": r.number(float(got["coef"]), 3),
            f"se_{var}": r.number(float(got["se"]), 3),
            f"p_{var}": r.number(float(got["p"]), 4),
            f"or_{var}": r.number(float(read.loc[var, "odds_ratio"]), 2),
            f"or_printed_{var}": r.number(float(np.exp(targets.coef(var))), 2),
        }
    return r.Facts(**out)


def returned_walks(summary) -> int:
    """How many exact walk members of the ensemble are the very data set of the search member they started from
    (same fingerprint as their ``base_seed`` member).

    Parameters
    ----------
    summary : DataFrame
        :func:`ridersurvey.reconstruction.ensemble.load_ensemble`.

    Returns
    -------
    int
    """
    fingerprint = dict(zip(summary["seed"].astype("int64"), summary["fingerprint"].astype(str), strict=True))
    walks = summary[(summary["method"] == "walk") & summary["success"].astype(bool)]
    return int(
        sum(fingerprint[int(b)] == str(f) for b, f in zip(walks["base_seed"], walks["fingerprint"], strict=True))
    )


def floors() -> pd.DataFrame:
    """The SE and p floors of every printed (b, p) pair of Table 3, with b and Table 2's SD each at the top of its
    rounding interval (:func:`ridersurvey.audit.inference.table3_from_print`), in the paper's row order.

    Returns
    -------
    DataFrame
        Index ``variable``; columns b, p, sd (Table 2, printed), b_top and sd_top (the tops of the rounding
        intervals), se_floor, z_max (the largest Wald |z| and square root of the largest LR statistic at b_top and
        sd_top), p_floor and attainable.
    """
    ledger = load_ledger()
    frame = table3_from_print(ledger)
    n = int(ledger.loc[ids.N, "value"])
    sd = table2(ledger)["sd"].reindex(frame.index).astype(float)
    dec = lambda var, stat: int(ledger.loc[f"t{3 if stat == 'coef' else 2}.{var}.{stat}", "decimals"])
    b_top = [abs(b) + half_width(dec(v, "coef")) for v, b in frame["b"].items()]
    sd_top = [s + half_width(dec(v, "sd")) for v, s in sd.items()]
    return pd.DataFrame(
        {
            "b": frame["b"],
            "p": frame["p"],
            "sd": sd,
            "b_top": b_top,
            "sd_top": sd_top,
            "se_floor": frame["se_floor"],
            "z_max": [max_abs_z(b, s, n) for b, s in zip(b_top, sd_top, strict=True)],
            "p_floor": frame["p_floor"],
            "attainable": frame["clears_floor"],
        },
        index=frame.index,
    )


def unreproduced_table2() -> pd.DataFrame:
    """Table 2's printed means and SDs that the reconstructed data do not give at the printed precision.

    Returns
    -------
    DataFrame
        Index: ledger id (``t2.<variable>.<statistic>``); columns variable, statistic, printed, data (the committed
        data's mean or sample SD); ``attrs["n_checked"]`` is the number of Table 2 means and SDs compared.
    """
    ledger = numbers(load_ledger())
    data = load_analysis_data()
    rows = ledger[(ledger["location"] == "Table 2") & ledger["statistic"].isin(["mean", "sd"])]
    out = []
    for key, row in rows.iterrows():
        column = data[row["variable"]]
        got = float(column.mean() if row["statistic"] == "mean" else column.std(ddof=1))
        if not agrees(float(row["value"]), got, int(row["decimals"])):
            out.append(
                {
                    "id": key,
                    "variable": row["variable"],
                    "statistic": row["statistic"],
                    "printed": float(row["value"]),
                    "data": got,
                }
            )
    frame = pd.DataFrame(out, columns=["id", "variable", "statistic", "printed", "data"]).set_index("id")
    frame.attrs["n_checked"] = len(rows)
    return frame


def unreproduced_results() -> r.Facts:
    """What the reconstruction does not reproduce: Table 2's outcome and marital means (``mean_printed_*``,
    ``mean_data_*``), beside how many of Table 2's means and SDs it does."""
    missed = unreproduced_table2()
    out: dict[str, object] = {
        "t2_checked": r.integer(missed.attrs["n_checked"]),
        "t2_agree": r.integer(missed.attrs["n_checked"] - len(missed)),
        "t2_missed": r.count_words(len(missed)),
    }
    for var in ("unwilling", "marital_status"):
        key = ids.mean(var)
        if key not in missed.index:
            raise ValueError(messages.text("chapters.reconstruction.mean_agrees", key=key))
        out[f"mean_printed_{var}"] = r.number(missed.loc[key, "printed"], 2)
        out[f"mean_data_{var}"] = r.number(missed.loc[key, "data"], 2)
    if len(missed) != 2:
        raise ValueError(messages.text("chapters.reconstruction.misses", n=len(missed), ids=", ".join(missed.index)))
    return r.Facts(**out)


def counts_table(caption: str, name: str) -> r.Table:
    """The paper's Table 1 counts beside the reconstruction's, one row per item."""
    labels = _labels()
    frame = cells(load_provenance())
    per_var = frame.groupby("variable", sort=False).agg(
        codes=("code", lambda c: " / ".join(map(str, c))),
        published=("published", lambda c: " / ".join(map(str, c))),
        achieved=("achieved", lambda c: " / ".join(map(str, c))),
        met=("met", "all"),
    )
    per_var = per_var.reindex(load_codebook().names)
    per_var["label"] = [labels[v] for v in per_var.index]
    spec = r.TableSpec(
        [
            r.Column("label", "Variable"),
            r.Column("codes", "Codes"),
            r.Column("published", "Table 1 counts"),
            r.Column("achieved", "Reconstruction"),
            r.Column("met", "Equal", lambda m: "yes" if m else "no"),
        ]
    )
    return spec.table(per_var, caption, name)


def targets_table(caption: str, name: str) -> r.Table:
    """Table 3's coefficients and p-values beside the reconstruction's."""
    labels = _labels()
    frame = provenance_table(load_provenance())
    frame = frame.assign(
        label=[labels[v] for v in frame["variable"]],
        stat=frame["statistic"].map({"coef": "b", "p": "p"}),
        targeted_text=frame["targeted"].map({True: "yes", False: "no (unattainable)"}),
        met_text=frame["met"].map({True: "yes", False: "no"}),
    )
    spec = r.TableSpec(
        [
            r.Column("label", "Predictor"),
            r.Column("stat", "Statistic"),
            r.Column("published", "Table 3", ".3f"),
            r.Column("achieved", "Reconstruction", ".5f"),
            r.Column("targeted_text", "Targeted"),
            r.Column("met_text", "Met"),
        ]
    )
    return spec.table(frame, caption, name)


def floors_table(caption: str, name: str) -> r.Table:
    """The smallest SE and p-value each printed coefficient allows under Table 2's SDs."""
    labels = _labels()
    frame = floors()
    frame = frame.assign(label=[labels[v] for v in frame.index])
    spec = r.TableSpec(
        [
            r.Column("label", "Predictor"),
            r.Column("b", "b (Table 3)", ".3f"),
            r.Column("p", "p (Table 3)", ".3f"),
            r.Column("sd", "SD (Table 2)", ".3f"),
            r.Column("se_floor", "SE floor", format_floor),
            r.Column("z_max", "Largest |z|", format_ceiling),
            r.Column("p_floor", "p floor", format_p_floor),
            r.Column("attainable", "Attainable", lambda a: "yes" if a else "no"),
        ]
    )
    return spec.table(frame, caption, name)


def flow_table(caption: str, name: str) -> r.Table:
    """The cleaning step's sample flow on the raw file beside Section 6.1 of the paper."""
    return sample_flow_table(load_responses(DATA_DIR / "raw" / "responses.csv"), caption, name)


def _envelope_rows(table: pd.DataFrame, groups) -> pd.DataFrame:
    """The envelope's rows of ``groups`` with their ranges as text, one decimal more for implied ranges."""
    frame = pd.concat([table[table["group"] == g] for g in groups])
    d = frame["decimals"]
    return pd.DataFrame(
        {
            "group": frame["group"].to_numpy(),
            "label": frame["label"],
            "envelope": [r.interval(a, b, k) for a, b, k in zip(frame["min"], frame["max"], d, strict=True)],
            "book": [r.number(v, k) for v, k in zip(frame["committed"], d, strict=True)],
            "ensemble": [
                r.interval(a, b, k) for a, b, k in zip(frame["ensemble_min"], frame["ensemble_max"], d, strict=True)
            ],
            "state": frame["state"].to_numpy(),
            "implied": [
                r.bounds(a, b, k + 1) if s == IMPLIED else ""
                for s, a, b, k in zip(frame["state"], frame["implied_min"], frame["implied_max"], d, strict=True)
            ],
        }
    )


def envelope_catalogue(table: pd.DataFrame, caption: str, name: str, groups=MODEL_GROUPS + DATA_GROUPS):
    """Every statistic of the envelope's catalogue as one interactive table, filterable by group and state.

    Parameters
    ----------
    table : DataFrame
        :func:`ridersurvey.robustness.finding_robustness.envelope`.
    caption, name : str
    groups : sequence of str
        The catalogue groups to show, in this order.

    Returns
    -------
    ridersurvey.presentation.interactive.InteractiveTable
    """
    return interactive_table(
        _envelope_rows(table, groups),
        caption=caption,
        name=name,
        filter_columns=["group", "state"],
        rename={
            "group": "Group",
            "label": "Statistic",
            "envelope": "Envelope (at least this wide)",
            "book": "The book's reconstruction",
            "ensemble": messages.label("Exact ensemble ({members:,})", members=table.attrs["n_ensemble"]),
            "state": "At the printed precision",
            "implied": f"Range {IMPLIED}",
        },
    )


def sign_search_facts(record: dict, committed: dict) -> r.Facts:
    """The sign search of the other reading, by combination of the free coefficients' signs
    (:func:`ridersurvey.reconstruction.alternative.attainable_signs`).

    Returns
    -------
    Facts
        searches (further searches run), seeds, cpu (their CPU minutes), failed (how many of them did not meet every
        target), combinations (how many sign combinations there are), n_found (how many some data set meeting
        every target has, the committed one included), found (those combinations with their witness, "(+, −)
        (seed 17)"), not_found (the combinations none has; "none" when every one was found).
    """
    table = A.attainable_signs(record, committed).reset_index()
    mark = {1: "+", -1: "−"}
    combo = [f"({', '.join(mark[row[v]] for v in A.FREE)})" for _, row in table.iterrows()]
    witness = [
        messages.label("committed") if w == -1 else messages.label("seed {seed}", seed=w) for w in table["witness_seed"]
    ]
    found = table["found"].to_numpy()
    searches = record["searches"]
    return r.Facts(
        searches=r.count_words(len(searches)),
        seeds=r.names(str(s["seed"]) for s in searches),
        cpu=r.number(sum(s["cpu_seconds"] for s in searches) / 60, 1),
        failed=r.count_words(sum(not s["success"] for s in searches)),
        combinations=r.count_words(len(table)),
        n_found=r.count_words(int(found.sum())),
        found=r.names(f"{c} ({w})" for c, w, ok in zip(combo, witness, found, strict=True) if ok),
        not_found=r.names(c for c, ok in zip(combo, found, strict=True) if not ok),
    )


def comparison_table(main: dict, alternative: dict, caption: str, name: str) -> r.Table:
    """:func:`ridersurvey.reconstruction.alternative.comparison` as a numbered table with the chapter's caption and label."""
    frame = A.comparison(main, alternative)
    book = load_codebook()
    frame = frame.assign(
        label=[book[v].label_en + (" (freed)" if frame.loc[v, "free"] else "") for v in frame.index]
    )  # fmt: skip
    spec = r.TableSpec(
        [
            r.Column("label", "Predictor"),
            r.Column("b_printed", "b (Table 3)", ".3f"),
            r.Column("p_printed", "p (Table 3)", ".3f"),
            r.Column("b_main", "b (main)", ".4f"),
            r.Column("p_main", "p (main)", ".4f"),
            r.Column("b_alt", "b (other reading)", ".4f"),
            r.Column("se_alt", "SE (other reading)", ".4f"),
            r.Column("p_alt", "p (other reading)", ".4f"),
        ]
    )
    return spec.table(frame, caption, name)


def alternative_readings_table(alternative: dict, caption: str, name: str) -> r.Table:
    """:func:`ridersurvey.reconstruction.alternative.readings` as a numbered table with the chapter's caption and label."""
    frame = A.readings(alternative)
    book = load_codebook()
    word = {1: "more willing", -1: "less willing", 0: "no reading"}
    frame = frame.assign(
        label=[book[v].label_en for v in frame.index],
        paper=[word[d] for d in frame["paper_direction"]],
        fixed=[
            messages.text("reconstruction.alternative.floor_cell", floor=format_floor(b)) for b in frame["b_needed"]
        ],
        now=[word[d] for d in frame["direction"]],
        ci=[r.interval(lo, hi, 2) for lo, hi in zip(frame["or_low"], frame["or_high"], strict=True)],
        p_shown=[r.p_value(p) for p in frame["p"]],
    )
    spec = r.TableSpec(
        [
            r.Column("label", "Predictor"),
            r.Column("reading", "The paper's reading", literal=True),
            r.Column("paper", "Paper: a higher code is"),
            r.Column("fixed", "What the printed p-value fixes"),
            r.Column("b", "b (this data set)", ".3f"),
            r.Column("odds_ratio", "Odds ratio per code step", ".2f"),
            r.Column("ci", "95% interval"),
            r.Column("p_shown", "p"),
            r.Column("now", messages.text("reconstruction.alternative.direction_column")),
        ]
    )
    return spec.table(frame, caption, name)


def signs_table(record: dict, committed: dict, caption: str, name: str) -> r.Table:
    """:func:`ridersurvey.reconstruction.alternative.attainable_signs` as a numbered table with the chapter's caption and label."""
    free = A.FREE
    frame = A.attainable_signs(record, committed, free).reset_index()
    labels = load_codebook().labels(free)
    mark = {1: "+", -1: "−"}
    label = messages.label
    frame = frame.assign(
        **{f"sign_{v}": [mark[s] for s in frame[v]] for v in free},
        witness=[
            (label("committed (seed {seed})", seed=committed["seed"]) if w == -1 else label("seed {seed}", seed=w))
            if ok
            else label("not found")
            for ok, w in zip(frame["found"], frame["witness_seed"], strict=True)
        ],
        **{
            f"b_{v}_shown": [r.number(b, 3) if ok else "–" for ok, b in zip(frame["found"], frame[f"b_{v}"], strict=True)]
            for v in free
        },
        failed_shown=[r.integer(k) for k in frame["failed"]],
    )  # fmt: skip
    spec = r.TableSpec(
        [
            *(r.Column(f"sign_{v}", label("Sign of {item}", item=labels[v].lower())) for v in free),
            r.Column("searches", "Searches started at it"),
            r.Column("failed_shown", "Of which failed"),
            r.Column("witness", "Data set meeting every target"),
            *(r.Column(f"b_{v}_shown", label("b, {item}", item=labels[v].lower())) for v in free),
        ]
    )
    return spec.table(frame, caption, name)


def mechanism_table(records: list[dict], caption: str, name: str) -> r.Table:
    """:func:`ridersurvey.reconstruction.envelope.mechanism_results` as a numbered table with the chapter's caption and label."""
    frame = EV.mechanism_results(records)
    book = load_codebook()
    say = lambda key, **fields: messages.text(f"reconstruction.envelope.mechanisms.{key}", **fields)
    frame = frame.assign(
        label=[book[v].label_en for v in frame["variable"]],
        test_label=[say(t, categories=len(book[v].codes)) for t, v in zip(frame["test"], frame["variable"])],
        range=[r.p_interval(lo, hi, 3) for lo, hi in zip(frame["min"], frame["max"], strict=True)],
        verdict=[
            say("found", p=r.p_value(p)) if found else say("not_found")
            for found, p in zip(frame["witness_found"], frame["witness_p"], strict=True)
        ],
    )
    spec = r.TableSpec(
        [
            r.Column("label", "Predictor"),
            r.Column("test_label", "Test"),
            r.Column("printed", "Printed p", ".3f"),
            r.Column("range", say("range_column")),
            r.Column("verdict", say("verdict_column")),
        ]
    )
    return spec.table(frame, caption, name)
