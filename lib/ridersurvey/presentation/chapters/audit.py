"""The reproduction audit chapter (``chapters/audit.md``): its tables and the facts its prose quotes."""

from __future__ import annotations

import inspect

import pandas as pd

from ridersurvey import messages
from ridersurvey.audit.granularity import debit, granularity_audit, grimmer
from ridersurvey.audit.inference import format_factor_floor, table3_from_print
from ridersurvey.audit.ledger_audit import findings, scorecard
from ridersurvey.audit.mechanisms import all_mechanisms, decimal_slips, outcome_coding
from ridersurvey.audit.precision import format_floor, format_p_floor, n_needed
from ridersurvey.audit.verdicts import VERDICT_NAMES, VERDICTS
from ridersurvey.data import ledger_ids as ids
from ridersurvey.data.codebook import load_codebook
from ridersurvey.data.ledger import load_ledger, most_of_sample, table1_counts, value
from ridersurvey.presentation import report as r
from ridersurvey.presentation.interactive import cite_text, interactive_table
from ridersurvey.presentation.tables import OUTCOME_LABEL
from ridersurvey.robustness.sample_size import criterion_1_break_even, design_adequacy, riley_sample_size


def heading(key: str, **fields) -> str:
    """A column heading or row label of this chapter's tables, from the message catalog."""
    return messages.text(f"chapters.audit.columns.{key}", **fields)


def _labels() -> dict[str, str]:
    return load_codebook().labels()


def _lower(variables) -> r.Text:
    labels = _labels()
    return r.names(labels[v].lower() for v in variables)


def _n_slopes() -> int:
    return len(load_codebook().predictors)


def ledger_results(audit: pd.DataFrame) -> r.Facts:
    """The size of the audit: ledger entries, findings and the sample size n.

    Parameters
    ----------
    audit : DataFrame
        :func:`ridersurvey.audit.ledger_audit.run_audit`.
    """
    return r.Facts(
        n_entries=r.integer(len(audit)),
        n_findings=r.integer(len(findings(audit))),
        n=r.integer(value(ids.N)),
    )


def scorecard_results(audit: pd.DataFrame) -> r.Facts:
    """Findings (``n_<verdict>``) and ledger entries (``entries_<verdict>``) of each verdict, with hyphens as
    underscores; ``n_problems`` counts inconsistent pairs and discrepancies, ``n_identities`` the identities."""
    score = scorecard(audit)
    out: dict[str, r.Text] = {}
    for verdict in VERDICTS:
        key = verdict.replace("-", "_")
        out[f"n_{key}"] = r.count_words(score.loc[verdict, "findings"])
        out[f"entries_{key}"] = r.integer(score.loc[verdict, "entries"])
    out["n_identities"] = r.count_words(score["identities"].sum())
    out["n_problems"] = r.count_words(score.loc[["inconsistent-pair", "discrepant"], "findings"].sum())
    return r.Facts(**out)


def pair_results(audit: pd.DataFrame) -> r.Facts:
    """Table 3 read on its own: the pairs that cannot stand (``aw_*`` for policy awareness, ``he_*`` for health:
    printed b, p, Table 2's SD, implied |z| and SE, the floors and what the printed p would need) and how many
    of the other pairs' numbers the reconstruction matches."""
    ledger = load_ledger()
    printed = table3_from_print(ledger)
    pairs = [v for v in printed.index if not printed.loc[v, "clears_floor"]]
    n = int(ledger.loc[ids.N, "value"])
    out: dict[str, r.Text] = {
        "n": r.integer(n),
        "pair_names": _lower(pairs),
        "n_pairs_words": r.count_words(len(pairs)),
        "n_pairs_standing": r.count_words(len(printed) - len(pairs)),
    }
    for var, k in (("policy_awareness", "aw"), ("health", "he")):
        row, sd = printed.loc[var], float(ledger.loc[ids.sd(var), "value"])
        out |= {
            f"{k}_b": r.number(row["b"]),
            f"{k}_p": r.number(row["p"]),
            f"{k}_sd": r.number(sd),
            f"{k}_z": r.number(row["z"], 2),
            f"{k}_se": r.number(row["se"]),
            f"{k}_se_floor": r.Text(format_floor(row["se_floor"])),
            f"{k}_p_floor": r.Text(format_p_floor(row["p_floor"])),
            f"{k}_b_needed": r.number(row["b_needed"]),
            f"{k}_ratio": r.Text(format_factor_floor(row["b_needed_ratio"])),
            f"{k}_n_needed": r.integer(n_needed(row["p"], row["b"], sd)),
        }
    t3 = audit[audit["location"] == "Table 3"]
    coefs, ps = t3[t3["id"].str.endswith(".coef")], t3[t3["id"].str.endswith(".p")]
    out |= {
        "n_predictors": r.count_words(len(coefs)),
        "t3_coef_matched": r.count_words((coefs["verdict"] == "matched-by-construction").sum()),
        "t3_p_matched": r.count_words((ps["verdict"] == "matched-by-construction").sum()),
    }
    return r.Facts(**out)


def coding_results(audit: pd.DataFrame) -> r.Facts:
    """Table 2's outcome mean (``outcome_*``), the coding of marital status (``marital_*``) and the outcome
    definition of the model section against the paper's readings of its coefficients."""
    ledger = load_ledger()
    val = lambda i: float(ledger.loc[i, "value"])
    counts = table1_counts(ledger)
    n = int(val(ids.N))
    mean_pub, sd_pub = val(ids.mean("unwilling")), val(ids.sd("unwilling"))
    readings = outcome_coding(ledger)
    return r.Facts(
        n=r.integer(n),
        outcome_mean_printed=r.number(mean_pub, 2),
        outcome_mean_counts=r.number(counts["unwilling"][1] / n, 2),
        outcome_unwilling=r.integer(counts["unwilling"][1]),
        outcome_needed=r.integer(round(mean_pub * n)),
        outcome_sd_printed=r.number(sd_pub),
        outcome_sd_counts=r.number(float(audit.loc[ids.sd("unwilling"), "computed"]), 4),
        outcome_debit_sd=r.number(debit(mean_pub, sd_pub, n)["expected_sd"]),
        married=r.integer(counts["marital_status"][2]),
        unmarried=r.integer(counts["marital_status"][1]),
        marital_mean_printed=r.number(val(ids.mean("marital_status")), 2),
        marital_mean_stated=r.number(float(audit.loc[ids.mean("marital_status"), "computed"]), 2),
        marital_sd_printed=r.number(val(ids.sd("marital_status"))),
        marital_b=r.number(val(ids.coef("marital_status"))),
        n_readings=r.count_words(len(readings)),
        n_follow_table2=r.count_words(int(readings["follows_table2"].sum())),
        n_follow_model=r.count_words(int(readings["follows_model_section"].sum()), zero="none"),
        z_willing=r.integer(val(ids.OUTCOME_DEFINITION)),
        t2_willing=r.integer(val(ids.coding("unwilling", 0))),
    )


def text_results() -> r.Facts:
    """The text's numbers: its awareness coefficient (``aw_text_*``), its uses of "most of the sample"
    (``mos_*``) and Section 6.1's counts."""
    ledger = load_ledger()
    val = lambda i: float(ledger.loc[i, "value"])
    n = int(val(ids.N))
    slips = decimal_slips(ledger)
    text = slips[slips["quoted"]].iloc[0]
    uses = most_of_sample(ledger)
    majority = uses.index[uses["majority"]]
    return r.Facts(
        aw_b=r.number(val(ids.coef("policy_awareness"))),
        aw_p=r.number(val(ids.p_value("policy_awareness"))),
        aw_text_b=r.number(float(text["b"]), 2),
        aw_text_floor=r.Text(format_p_floor(float(text["p_floor"]))),
        aw_ratio_text=r.integer(round(val(ids.quoted("policy_awareness")) / val(ids.coef("policy_awareness")))),
        health_fairly_poor=r.integer(table1_counts(ledger)["health"][2]),
        health_average=r.integer(table1_counts(ledger)["health"][3]),
        mos_n_uses=r.count_words(len(uses)),
        **{f"mos_{var}": r.integer(uses.loc[var, "count"]) for var in uses.index},
        mos_holds=_lower(uses.index[uses["holds"]]),
        mos_fails=_lower(uses.index[~uses["holds"]]),
        mos_majority=_lower(majority),
        mos_majority_pct=r.names(r.percent(100 * uses.loc[v, "count"] / n, 0) for v in majority),
        n=r.integer(n),
        collected=r.integer(val(ids.COLLECTED)),
        valid_share=r.percent(100 * val(ids.VALID) / val(ids.COLLECTED)),
        valid_share_printed=r.integer(val(ids.RECOVERY_RATE)),
    )


def granularity_results() -> r.Facts:
    """How many of Table 2's means and SDs pass GRIM, the GRIMMER-style test and DEBIT, and which fail."""
    gran = granularity_audit()
    names = _granularity_labels(outcome_suffix=False)
    multi, binary = gran[gran["debit"].isna()], gran[gran["debit"].notna()]
    return r.Facts(
        n=r.integer(value(ids.N)),
        grim_share=r.share_words(int(gran["grim"].sum()), len(gran)),
        n_vars=r.count_words(len(gran)),
        grimmer_ok=r.count_words(gran["grimmer"].sum()),
        grimmer_fail=r.names(names[v].lower() for v in gran.index[~gran["grimmer"].astype(bool)]),
        grimmer_share_lo=r.percent(100 * multi["grimmer_share"].min(), 0),
        grimmer_share_hi=r.percent(100 * multi["grimmer_share"].max(), 0),
        grimmer_window=r.Text(_grimmer_window()),
        n_binary=r.count_words(len(binary)),
        debit_ok=r.count_words(binary["debit"].astype(bool).sum()),
    )


def design_results() -> r.Facts:
    """Events per variable and Riley et al.'s criteria under their default anticipated R², with the R² at which
    n = 100 would meet criterion 1."""
    counts = table1_counts()["unwilling"]
    n, k = sum(counts.values()), _n_slopes()
    events, prevalence = min(counts.values()), counts[1] / n
    design = design_adequacy(n=n, events=events, p=k, prevalence=prevalence).iloc[0]
    riley = inspect.signature(riley_sample_size).parameters
    even = criterion_1_break_even(n, k, prevalence, riley["shrinkage"].default)
    return r.Facts(
        n=r.integer(n),
        n_predictors=r.count_words(k),
        events=r.integer(events),
        epv=r.number(events / k, 1),
        riley_shrinkage=r.number(riley["shrinkage"].default, 1),
        riley_delta=r.number(riley["delta"].default, 2),
        riley_margin=r.number(riley["margin"].default, 2),
        nagelkerke_default=r.number(design["r2_nagelkerke"], 2),
        r2_default=r.number(design["r2_cs"]),
        prevalence=r.number(prevalence, 2),
        n1=r.integer(design["n_criterion_1"]),
        n2=r.integer(design["n_criterion_2"]),
        n3=r.integer(design["n_criterion_3"]),
        n_required=r.integer(design["n_required"]),
        shrinkage_at_n=r.number(design["shrinkage_at_n"], 2),
        break_even_r2_cs=r.Text(format_floor(even["r2_cs"])),
        break_even_nagelkerke=r.Text(format_floor(even["r2_nagelkerke"], 2)),
    )


def scorecard_table(audit: pd.DataFrame, caption: str, name: str) -> r.Table:
    """The scorecard: findings per verdict, identities apart from other checks, and the ledger rows behind them."""
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
    return spec.table(score, caption, name)


def table3_alone_table(caption: str, name: str) -> r.Table:
    """Table 3 read on its own: what each printed (b, p) pair implies, as intervals over its rounding box."""
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
    frame["stands"] = [messages.label("yes" if s else "no") for s in frame["clears_floor"]]
    spec = r.TableSpec(
        [
            r.Column("label", "Predictor"),
            r.Column("b", "b (paper)", ".3f"),
            r.Column("p", "p (paper)", r.p_value),
            r.Column("z", "|z| implied", ".2f"),
            r.Column("se_range", "SE implied"),
            r.Column("se_floor", "SE floor", lambda x: format_floor(x, 4)),
            r.Column("stands", "SE clears the floor"),
            r.Column("or_range", "Odds ratio"),
            r.Column("or_ci", heading("or_ci")),
        ]
    )
    return spec.table(frame, caption, name)


def readings_table(caption: str, name: str) -> r.Table:
    """The paper's five readings of Table 3 and the outcome coding each follows."""
    frame = outcome_coding().copy()
    labels = _labels()
    frame["label"] = [labels[v] for v in frame.index]
    yes = {True: messages.label("yes"), False: messages.label("no")}
    frame["t2"] = frame["follows_table2"].map(yes)
    frame["ms"] = frame["follows_model_section"].map(yes)
    spec = r.TableSpec(
        [
            r.Column("label", "Predictor"),
            r.Column("coef", "b (Table 3)", ".3f"),
            r.Column("quote_zh", "The paper's reading", literal=True),
            r.Column("reading_en", "In English"),
            r.Column("t2", heading("follows_table2")),
            r.Column("ms", heading("follows_model_section")),
        ]
    )
    return spec.table(frame, caption, name)


def mechanisms_table(caption: str, name: str) -> r.Table:
    """Every candidate explanation of the paper's problems with its test and verdict."""
    spec = r.TableSpec(
        [
            r.Column("problem", "Problem"),
            r.Column("mechanism", "Candidate explanation"),
            r.Column("test", "Test on the printed numbers", literal=True),
            r.Column("verdict", "Verdict"),
        ]
    )
    return spec.table(all_mechanisms(), caption, name)


def _granularity_labels(outcome_suffix: bool = True) -> dict[str, str]:
    """Variable labels for the granularity results, the outcome named as Table 2 codes it (1 = not willing)."""
    label = OUTCOME_LABEL if outcome_suffix else OUTCOME_LABEL.removesuffix(" (outcome)")
    return _labels() | {load_codebook().outcome: messages.label(label)}


def _grimmer_window() -> str:
    """The window around a printed SD over which the GRIMMER-style share is taken, as text (e.g. ±0.05)."""
    return f"±{inspect.signature(grimmer).parameters['window'].default:g}"


def granularity_table(caption: str, name: str) -> r.Table:
    """GRIM, GRIMMER-style and DEBIT results for Table 2's means and SDs."""
    gran = granularity_audit().copy()
    labels = _granularity_labels()
    verdict = {True: messages.label("pass"), False: messages.label("fail")}
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
    return spec.table(gran, caption, name)


def sample_size_table(caption: str, name: str) -> r.Table:
    """Events per variable and Riley et al.'s three criteria under the conservative default R²."""
    counts = table1_counts()["unwilling"]
    n, k = sum(counts.values()), _n_slopes()
    prevalence = counts[1] / n
    row = design_adequacy(n=n, events=min(counts.values()), p=k, prevalence=prevalence).iloc[0]
    riley = inspect.signature(riley_sample_size).parameters
    shrinkage, delta, margin = (riley[key].default for key in ("shrinkage", "delta", "margin"))
    even = criterion_1_break_even(n, k, prevalence, shrinkage)
    anticipated = f"{r.number(row['r2_cs'])} ({r.number(row['r2_nagelkerke'], 2)})"
    break_even = f"{format_floor(even['r2_nagelkerke'], 2)} ({format_floor(even['r2_cs'])})"
    label = messages.label
    rows = pd.DataFrame(
        [
            (label("Anticipated R²: Cox–Snell (Nagelkerke)"), label("Riley et al.'s default"), anticipated),
            (label("Events per variable"), "", r.number(row["epv"], 1)),
            (
                label("n, criterion 1"),
                label("shrinkage ≥ {shrinkage:g}", shrinkage=shrinkage),
                r.integer(row["n_criterion_1"]),
            ),
            (label("n, criterion 2"), heading("criterion_2", delta=delta), r.integer(row["n_criterion_2"])),
            (
                label("n, criterion 3"),
                label("overall risk within ±{margin:g}", margin=margin),
                r.integer(row["n_criterion_3"]),
            ),
            (label("n required"), label("the largest"), r.integer(row["n_required"])),
            (heading("shrinkage_at_n", n=n), label("at the default R²"), r.number(row["shrinkage_at_n"], 2)),
            (label("Break-even R²: Nagelkerke (Cox–Snell)"), heading("criterion_1_at_n", n=n), break_even),
        ],
        columns=["quantity", "condition", "value"],
    )
    spec = r.TableSpec(
        [r.Column("quantity", "Quantity"), r.Column("condition", "Condition"), r.Column("value", "Value")]
    )
    return spec.table(rows, caption, name)


def findings_table(audit: pd.DataFrame, caption: str, name: str) -> r.Table:
    """Every finding with its verdict, the reason of its decisive entry and what it changes."""
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
    return spec.table(f, caption, name)


def full_audit_table(audit: pd.DataFrame, caption: str, name: str):
    """The verdict on every ledger entry: filterable and searchable on screen, opened on the problems; complete in print.

    Parameters
    ----------
    audit : DataFrame
        :func:`ridersurvey.audit.ledger_audit.run_audit`.

    Returns
    -------
    ridersurvey.presentation.interactive.InteractiveTable
    """
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
        caption=caption,
        name=name,
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

    ledger = load_ledger()
    decimals = int(ledger.loc[row["id"], "decimals"])
    source = str(ledger.loc[row["id"], "expression"]).strip()
    if row["check"] == "arithmetic" and source in ledger.index:
        decimals = max(decimals, int(ledger.loc[source, "decimals"]))
    if row["check"] in ("count", "total") and float(value).is_integer():
        return r.integer(value)
    return r.number(value, decimals + 1 if row["check"] in ("p_value", "coefficient") else decimals)
