"""The reproduction audit chapter (``chapters/audit.md``): its tables and the facts its prose quotes."""

from __future__ import annotations

import inspect

import pandas as pd

from ridersurvey import report as r
from ridersurvey.precision import format_floor, format_p_floor, n_needed
from ridersurvey.verdicts import VERDICT_NAMES, VERDICTS


def _labels() -> dict[str, str]:
    from ridersurvey.codebook import load_codebook

    book = load_codebook()
    return {v: book[v].label_en for v in book.names}


def facts(audit: pd.DataFrame) -> r.Facts:
    """Every number the audit chapter's prose quotes.

    Parameters
    ----------
    audit : DataFrame
        :func:`ridersurvey.audit.run_audit`.

    Returns
    -------
    Facts
    """
    from ridersurvey.audit import findings, scorecard
    from ridersurvey.granularity import debit, granularity_audit
    from ridersurvey.inference import format_factor_floor, table3_from_print
    from ridersurvey.mechanisms import decimal_slips, outcome_coding
    from ridersurvey.published import load_ledger, most_of_sample, table1_counts
    from ridersurvey.sample_size import criterion_1_break_even, design_adequacy, riley_sample_size

    ledger = load_ledger()
    val = lambda i: float(ledger.loc[i, "value"])
    counts = table1_counts(ledger)
    n = int(val("t1.total.count"))
    score = scorecard(audit)
    found = findings(audit)
    labels = _labels()
    out: dict[str, str] = {
        "n_entries": r.integer(len(audit)),
        "n_findings": r.integer(len(found)),
        "n": r.integer(n),
    }
    for verdict in VERDICTS:
        key = verdict.replace("-", "_")
        out[f"n_{key}"] = r.count_words(score.loc[verdict, "findings"])
        out[f"entries_{key}"] = r.integer(score.loc[verdict, "entries"])
    out["n_identities"] = r.count_words(score["identities"].sum())
    out["n_problems"] = r.count_words(score.loc[["inconsistent-pair", "discrepant"], "findings"].sum())

    out |= {
        "collected": r.integer(val("s6.collected")),
        "excluded": r.integer(val("s6.excluded")),
        "valid_share": r.percent(100 * val("s6.valid") / val("s6.collected")),
        "valid_share_printed": r.integer(val("s6.recovery_rate")),
    }

    mean_pub, sd_pub = val("t2.unwilling.mean"), val("t2.unwilling.sd")
    out |= {
        "outcome_mean_printed": r.number(mean_pub, 2),
        "outcome_mean_counts": r.number(counts["unwilling"][1] / n, 2),
        "outcome_unwilling": r.integer(counts["unwilling"][1]),
        "outcome_needed": r.integer(round(mean_pub * n)),
        "outcome_sd_printed": r.number(sd_pub),
        "outcome_sd_counts": r.number(float(audit.loc["t2.unwilling.sd", "computed"]), 4),
        "outcome_debit_sd": r.number(debit(mean_pub, sd_pub, n)["expected_sd"]),
    }

    marital = counts["marital_status"]
    out |= {
        "married": r.integer(marital[2]),
        "unmarried": r.integer(marital[1]),
        "marital_mean_printed": r.number(val("t2.marital_status.mean"), 2),
        "marital_mean_stated": r.number(float(audit.loc["t2.marital_status.mean", "computed"]), 2),
        "marital_sd_printed": r.number(val("t2.marital_status.sd")),
        "marital_b": r.number(val("t3.marital_status.coef")),
    }

    printed = table3_from_print(ledger)
    pairs = [v for v in printed.index if not printed.loc[v, "clears_floor"]]
    out["pair_names"] = r.names(labels[v].lower() for v in pairs)
    out["n_pairs_words"] = r.count_words(len(pairs))
    out["n_pairs_standing"] = r.count_words(len(printed) - len(pairs))
    short = {"policy_awareness": "aw", "health": "he"}
    for var in pairs:
        row = printed.loc[var]
        k = short.get(var, var)
        out |= {
            f"{k}_b": r.number(row["b"]),
            f"{k}_p": r.number(row["p"]),
            f"{k}_sd": r.number(val(f"t2.{var}.sd")),
            f"{k}_z": r.number(row["z"], 2),
            f"{k}_se": r.number(row["se"]),
            f"{k}_se_max": r.number(row["se_max"]),
            f"{k}_se_floor": r.Text(format_floor(row["se_floor"])),
            f"{k}_p_floor": r.Text(format_p_floor(row["p_floor"])),
            f"{k}_b_needed": r.number(row["b_needed"]),
            f"{k}_ratio": r.Text(format_factor_floor(row["b_needed_ratio"])),
        }
    for var in pairs:
        row = printed.loc[var]
        out[f"{short.get(var, var)}_n_needed"] = r.integer(n_needed(row["p"], row["b"], val(f"t2.{var}.sd")))
    slips = decimal_slips(ledger)
    text = slips[slips["mechanism"].str.contains("the text's value")]
    if len(text):
        out["aw_text_b"] = r.number(float(text.iloc[0]["b"]), 2)
        out["aw_text_floor"] = r.Text(format_p_floor(float(text.iloc[0]["p_floor"])))
    out["aw_ratio_text"] = r.integer(round(val("s7p.policy_awareness.coef") / val("t3.policy_awareness.coef")))

    health = counts["health"]
    out |= {"health_fairly_poor": r.integer(health[2]), "health_average": r.integer(health[3])}
    uses = most_of_sample(ledger)
    out |= {f"mos_{var}": r.integer(uses.loc[var, "count"]) for var in uses.index}
    out |= {
        "mos_n_uses": r.count_words(len(uses)),
        "mos_holds": r.names(labels[v].lower() for v in uses.index[uses["holds"]]),
        "mos_fails": r.names(labels[v].lower() for v in uses.index[~uses["holds"]]),
        "mos_majority": r.names(labels[v].lower() for v in uses.index[uses["majority"]]),
        "mos_majority_pct": r.names(r.percent(100 * uses.loc[v, "count"] / n, 0) for v in uses.index[uses["majority"]]),
    }

    readings = outcome_coding(ledger)
    out |= {
        "n_readings": r.count_words(len(readings)),
        "n_follow_table2": r.count_words(int(readings["follows_table2"].sum())),
        "n_follow_model": r.count_words(int(readings["follows_model_section"].sum()), zero="none"),
        "z_willing": r.integer(val("s7p.outcome_definition")),
        "t2_willing": r.integer(val("t2.unwilling.coding.0")),
    }

    t3 = audit[audit["location"] == "Table 3"]
    coefs = t3[t3["id"].str.endswith(".coef")]
    ps = t3[t3["id"].str.endswith(".p")]
    out |= {
        "n_predictors": r.count_words(len(coefs)),
        "t3_coef_matched": r.count_words((coefs["verdict"] == "matched-by-construction").sum()),
        "t3_p_attainable": r.count_words((ps["verdict"] != "inconsistent-pair").sum()),
        "t3_p_matched": r.count_words((ps["verdict"] == "matched-by-construction").sum()),
    }

    gran = granularity_audit(ledger)
    gran_names = _granularity_labels(outcome_suffix=False)
    multi = gran[gran["debit"].isna()]
    binary = gran[gran["debit"].notna()]
    out |= {
        "grim_ok": r.count_words(gran["grim"].sum()),
        "n_vars": r.count_words(len(gran)),
        "grimmer_ok": r.count_words(gran["grimmer"].sum()),
        "grimmer_fail": r.names(gran_names[v].lower() for v in gran.index[~gran["grimmer"].astype(bool)]),
        "grimmer_share_lo": r.percent(100 * multi["grimmer_share"].min(), 0),
        "grimmer_share_hi": r.percent(100 * multi["grimmer_share"].max(), 0),
        "grimmer_window": r.Text(_grimmer_window()),
        "n_binary": r.count_words(len(binary)),
        "debit_ok": r.count_words(binary["debit"].astype(bool).sum()),
        "debit_fail": r.names(gran_names[v].lower() for v in binary.index[~binary["debit"].astype(bool)]),
    }

    events = min(counts["unwilling"].values())
    k = len(coefs)
    design = design_adequacy(n=n, events=events, p=k, prevalence=counts["unwilling"][1] / n).iloc[0]
    riley = inspect.signature(riley_sample_size).parameters
    out |= {
        "events": r.integer(events),
        "epv": r.number(events / k, 1),
        "riley_shrinkage": r.number(riley["shrinkage"].default, 1),
        "riley_delta": r.number(riley["delta"].default, 2),
        "riley_margin": r.number(riley["margin"].default, 2),
        "nagelkerke_default": r.number(design["r2_nagelkerke"], 2),
        "r2_default": r.number(design["r2_cs"]),
        "prevalence": r.number(counts["unwilling"][1] / n, 2),
        "n1": r.integer(design["n_criterion_1"]),
        "n2": r.integer(design["n_criterion_2"]),
        "n3": r.integer(design["n_criterion_3"]),
        "n_required": r.integer(design["n_required"]),
        "shrinkage_at_n": r.number(design["shrinkage_at_n"], 2),
    }
    even = criterion_1_break_even(n, k, counts["unwilling"][1] / n, riley["shrinkage"].default)
    out |= {
        "break_even_r2_cs": r.Text(format_floor(even["r2_cs"])),
        "break_even_nagelkerke": r.Text(format_floor(even["r2_nagelkerke"], 2)),
    }
    return r.Facts(**out)


def scorecard_table(audit: pd.DataFrame) -> r.Table:
    """The scorecard: findings per verdict, identities apart from other checks, and the ledger rows behind them."""
    from ridersurvey.audit import scorecard

    score = scorecard(audit).reset_index()
    score["verdict"] = score["verdict"].map(VERDICT_NAMES)
    spec = r.TableSpec(
        [
            r.Column("verdict", "Verdict"),
            r.Column("findings", "Findings", r.integer),
            r.Column("identities", "of which identities", r.integer),
            r.Column("other", "of which other checks", r.integer),
            r.Column("entries", "Ledger entries", r.integer),
        ]
    )
    return spec.table(
        score,
        "The audit's scorecard: findings of each verdict (a finding groups the ledger entries that make one point, "
        "such as the four on marital status's coding), split into identities between published numbers and other "
        "checks, with the ledger entries behind them. Matched-by-construction findings are shown, not counted as "
        "verification.",
        "tbl-audit-scorecard",
    )


def table3_alone_table() -> r.Table:
    """Table 3 read on its own: what each printed (b, p) pair implies, as intervals over its rounding box."""
    from ridersurvey.inference import table3_from_print

    frame = table3_from_print().copy()
    labels = _labels()
    frame["label"] = [labels[v] for v in frame.index]
    frame["se_range"] = [r.bounds(a, b, 4) for a, b in zip(frame["se_min"], frame["se_max"], strict=True)]
    frame["or_range"] = [
        r.bounds(a, b, 3) if s else "–"
        for a, b, s in zip(frame["odds_ratio_min"], frame["odds_ratio_max"], frame["clears_floor"], strict=True)
    ]
    frame["or_ci"] = [
        r.bounds(a, b, 2) if s else "–"
        for a, b, s in zip(frame["ci_low_min"], frame["ci_high_max"], frame["clears_floor"], strict=True)
    ]
    frame["stands"] = ["yes" if s else "no" for s in frame["clears_floor"]]
    spec = r.TableSpec(
        [
            r.Column("label", "Predictor"),
            r.Column("b", "b (paper)", ".3f"),
            r.Column("p", "p (paper)", r.p_value),
            r.Column("z", "|z| implied", ".2f"),
            r.Column("se_range", "SE implied"),
            r.Column("se_floor", "SE floor", lambda x: format_floor(x, 4)),
            r.Column("stands", "Pair can stand"),
            r.Column("or_range", "Odds ratio"),
            r.Column("or_ci", "95% CI of the odds ratio"),
        ]
    )
    return spec.table(
        frame,
        "Table 3 of the paper read on its own, in the paper's row order. Every derived number is an interval over "
        "the rounding box of the printed b and p (each ± 0.0005): the |z| that p implies for a two-sided Wald test "
        "(at the printed p), the standard error |b|/|z|, the smallest standard error any data set allows (the floor, "
        "with the SD of the paper's Table 2), whether the pair can stand, the odds ratio exp(b) and the 95% Wald interval "
        "exp(b ± 1.96 SE) with its outermost limits over the box.",
        "tbl-audit-table3-alone",
    )


def readings_table() -> r.Table:
    """The paper's five readings of Table 3 and the outcome coding each follows."""
    from ridersurvey.mechanisms import outcome_coding

    frame = outcome_coding().copy()
    labels = _labels()
    frame["label"] = [labels[v] for v in frame.index]
    yes = {True: "yes", False: "no"}
    frame["t2"] = frame["follows_table2"].map(yes)
    frame["ms"] = frame["follows_model_section"].map(yes)
    spec = r.TableSpec(
        [
            r.Column("label", "Predictor"),
            r.Column("coef", "b (Table 3)", ".3f"),
            r.Column("quote_zh", "The paper's reading", literal=True),
            r.Column("reading_en", "In English"),
            r.Column("t2", "Follows unwilling = 1 (Table 2)"),
            r.Column("ms", "Follows Z = 1 if willing (model section)"),
        ]
    )
    return spec.table(
        frame,
        "The paper's readings of the five coefficients it calls significant (Sections 7.2 and 8.1), and whether the "
        "sign of each coefficient gives that reading when the outcome is coded as the paper's Table 2 states it or as the model "
        "section defines it.",
        "tbl-audit-readings",
    )


def mechanisms_table() -> r.Table:
    """Every candidate explanation of the paper's problems with its test and verdict."""
    from ridersurvey.mechanisms import all_mechanisms

    spec = r.TableSpec(
        [
            r.Column("problem", "Problem"),
            r.Column("mechanism", "Candidate explanation"),
            r.Column("test", "Test on the printed numbers", literal=True),
            r.Column("verdict", "Verdict"),
        ]
    )
    return spec.table(
        all_mechanisms(),
        "How the problems could have arisen: each candidate explanation, the arithmetic that tests it on the paper's "
        "printed numbers, and its verdict (fits: consistent with every printed number and explains the problem; "
        "possible: not excluded, not confirmed; ruled out: contradicted by printed numbers).",
        "tbl-audit-mechanisms",
    )


def _granularity_labels(outcome_suffix: bool = True) -> dict[str, str]:
    """Variable labels for the granularity results, the outcome named as Table 2 codes it (1 = not willing)."""
    from ridersurvey.codebook import load_codebook
    from ridersurvey.tables import OUTCOME_LABEL

    label = OUTCOME_LABEL if outcome_suffix else OUTCOME_LABEL.removesuffix(" (outcome)")
    return _labels() | {load_codebook().outcome: label}


def _grimmer_window() -> str:
    """The window around a printed SD over which the GRIMMER-style share is taken, as text (e.g. ±0.05)."""
    from ridersurvey.granularity import grimmer

    return f"±{inspect.signature(grimmer).parameters['window'].default:g}"


def granularity_table() -> r.Table:
    """GRIM, GRIMMER-style and DEBIT results for Table 2's means and SDs."""
    from ridersurvey.granularity import granularity_audit

    gran = granularity_audit().copy()
    labels = _granularity_labels()
    verdict = {True: "pass", False: "fail"}
    gran["label"] = [labels[v] for v in gran.index]
    gran["grim_text"] = [
        verdict[bool(ok)] + ("" if informative else "*")
        for ok, informative in zip(gran["grim"], gran["grim_informative"], strict=True)
    ]
    gran["grimmer_text"] = gran["grimmer"].map(lambda x: verdict[bool(x)])
    gran["debit_text"] = gran["debit"].map(lambda x: "" if pd.isna(x) else verdict[bool(x)])
    spec = r.TableSpec(
        [
            r.Column("label", "Variable"),
            r.Column("mean", "Mean", ".2f"),
            r.Column("sd", "SD", ".3f"),
            r.Column("grim_text", "GRIM", literal=True),
            r.Column("grimmer_text", "GRIMMER"),
            r.Column("grimmer_share", "SD share", ".3f"),
            r.Column("debit_text", "DEBIT"),
            r.Column("debit_sd", "DEBIT SD", ".3f"),
        ]
    )
    return spec.table(
        gran,
        "Granularity tests on the printed means and SDs of the paper's Table 2: GRIM (mean; * marks a pass that is uninformative "
        "because at this n every mean printed with two decimals passes), a GRIMMER-style exhaustive search (SD; "
        f'"SD share" is the share of the SDs printable within {_grimmer_window()} of the printed one that some data '
        "attain) and DEBIT "
        '(two-category variables; "DEBIT SD" is the SD the printed mean implies).',
        "tbl-audit-granularity",
    )


def sample_size_table() -> r.Table:
    """Events per variable and Riley et al.'s three criteria under the conservative default R²."""
    from ridersurvey.published import table1_counts
    from ridersurvey.sample_size import criterion_1_break_even, design_adequacy, riley_sample_size

    counts = table1_counts()
    n = sum(counts["unwilling"].values())
    prevalence = counts["unwilling"][1] / n
    row = design_adequacy(n=n, events=min(counts["unwilling"].values()), p=9, prevalence=prevalence)
    row = row.iloc[0]
    riley = inspect.signature(riley_sample_size).parameters
    shrinkage, delta, margin = (riley[k].default for k in ("shrinkage", "delta", "margin"))
    even = criterion_1_break_even(n, 9, prevalence, shrinkage)
    nagelkerke = f"Nagelkerke R² = {r.number(row['r2_nagelkerke'], 2)}"
    rows = pd.DataFrame(
        {
            "quantity": [
                f"Anticipated Cox–Snell R² (Riley et al.'s default, {nagelkerke})",
                "Events per variable",
                f"n for criterion 1 (expected shrinkage ≥ {shrinkage:g}), at the default R²",
                f"n for criterion 2 (optimism in Nagelkerke R² ≤ {delta:g}), at the default R²",
                f"n for criterion 3 (overall risk within ±{margin:g}), whatever the R²",
                "n required (the largest)",
                f"Expected shrinkage at n = {n}, at the default R²",
                f"Smallest R² at which n = {n} meets criterion 1: Nagelkerke (Cox–Snell)",
            ],
            "value": [
                r.number(row["r2_cs"]),
                r.number(row["epv"], 1),
                r.integer(row["n_criterion_1"]),
                r.integer(row["n_criterion_2"]),
                r.integer(row["n_criterion_3"]),
                r.integer(row["n_required"]),
                r.number(row["shrinkage_at_n"], 2),
                f"{format_floor(even['r2_nagelkerke'], 2)} ({format_floor(even['r2_cs'])})",
            ],
        }
    )
    spec = r.TableSpec([r.Column("quantity", "Quantity"), r.Column("value", "Value")])
    return spec.table(
        rows,
        "Is n = 100 enough for the paper's nine-slope logit? Events per variable and the minimum sample size of each "
        "of Riley et al.'s three criteria, with the conservative anticipated R² they recommend when nothing is known, "
        "and the smallest anticipated R² at which this sample would meet the shrinkage criterion (criterion 3 does "
        "not depend on R²); only the design and the assumed R² enter, not the book's data.",
        "tbl-audit-design",
    )


def findings_table(audit: pd.DataFrame) -> r.Table:
    """Every finding with its verdict, the reason of its decisive entry and what it changes."""
    from ridersurvey.audit import findings
    from ridersurvey.interactive import cite_text

    f = findings(audit).copy()
    f["verdict_name"] = f["verdict"].map(VERDICT_NAMES)
    f["reason"] = f["reason"].map(cite_text)
    order = {v: i for i, v in enumerate(VERDICTS)}
    f = f.sort_values("verdict", key=lambda s: s.map(order), kind="stable")
    spec = r.TableSpec(
        [
            r.Column("title", "Finding", literal=True),
            r.Column("verdict_name", "Verdict"),
            r.Column("entries", "Entries", r.integer),
            r.Column("reason", "Reason", literal=True),
            r.Column("consequence", "What it changes", literal=True),
        ]
    )
    return spec.table(
        f,
        "Every finding of the audit, the most serious first: its verdict, how many ledger entries it groups, the "
        "reason of the entry that decides the verdict and what it changes in the paper's conclusions.",
        "tbl-audit-findings",
    )


def full_audit_table(audit: pd.DataFrame):
    """The verdict on every ledger entry: filterable and searchable on screen, opened on the problems; complete in print.

    Parameters
    ----------
    audit : DataFrame
        :func:`ridersurvey.audit.run_audit`.

    Returns
    -------
    ridersurvey.interactive.InteractiveTable
    """
    from ridersurvey.interactive import interactive_table

    frame = pd.DataFrame(
        {
            "location": audit["location"],
            "quantity": audit["quantity"],
            "printed": audit["printed"],
            "computed": [_computed(row) for _, row in audit.iterrows()],
            "verdict": audit["verdict"].map(VERDICT_NAMES),
            "reason": audit["reason"],
        }
    )
    problems = [
        VERDICT_NAMES[v] for v in ("inconsistent-pair", "discrepant", "unverifiable") if v in set(audit["verdict"])
    ]
    return interactive_table(
        frame,
        caption="The reproduction audit: one row per published number or claim, where the paper prints it, as printed, "
        "what the book computed for it (from the paper's other numbers, a source or the refit) and the verdict with "
        "its reason. On screen the table opens on the problems; clear the verdict filter to see every row.",
        name="tbl-audit-table",
        filter_columns=["verdict", "location"],
        show_only={"verdict": problems},
        rename={
            "location": "Where",
            "quantity": "Published number",
            "printed": "As printed",
            "computed": "Computed",
            "verdict": "Verdict",
            "reason": "Reason",
        },
    )


def _computed(row: pd.Series) -> str:
    """The computed value at the printed precision (one more decimal for refitted estimates; counts as integers;
    a number restated from another entry at that entry's precision, so that −0.011 is not shown as −0.01)."""
    value = row["computed"]
    if pd.isna(value):
        return ""
    from ridersurvey.published import load_ledger

    ledger = load_ledger()
    decimals = int(ledger.loc[row["id"], "decimals"])
    source = str(ledger.loc[row["id"], "expression"]).strip()
    if row["check"] == "arithmetic" and source in ledger.index:
        decimals = max(decimals, int(ledger.loc[source, "decimals"]))
    if row["check"] in ("count", "total") and float(value).is_integer():
        return r.integer(value)
    return r.number(value, decimals + 1 if row["check"] in ("p_value", "coefficient") else decimals)
