"""The reproduction audit: a graded verdict on every number and claim Wu (2023) publishes.

Every entry of the published-numbers ledger (``data/published/ledger.csv``) names, in its ``check`` column,
the check that judges it; :data:`CHECKS` maps those names to functions, and :func:`run_audit` applies them.
The verdicts say how a number was checked:

``consistent``
    follows from other published numbers by an identity (a percentage from its count, a mean or SD from
    Table 1's frequencies, the Section 6.1 arithmetic, a quotation of a table);
``corroborated``
    agrees with secondary reports of an external source, which the reason names (the source itself was not
    consulted);
``matched-by-construction``
    a target the book's reconstructed data were built to hit (Table 1's counts, Table 3's coefficients and
    attainable p-values); shown, never counted as verification;
``discrepant``
    contradicts another published number or the stated coding;
``inconsistent-pair``
    two printed numbers that no data set can produce together: a coefficient and its p-value whose implied
    standard error is below the floor of :mod:`ridersurvey.audit.precision` (which covers model-based Wald and
    likelihood-ratio tests of one linearly entered predictor in a model with an intercept);
``unverifiable``
    nothing published can check it.

Ledger entries are grouped into *findings* (column ``finding``; titles in ``data/published/findings.csv``):
the three entries on marital status's coding are one finding. :func:`findings` and :func:`scorecard` count
findings, and keep identities apart from the other checks.
"""

from __future__ import annotations

import ast
import json
import math
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from ridersurvey.audit.checks import (
    BY_CONSTRUCTION,
    CONSISTENT,
    CORROBORATED,
    INCONSISTENT_PAIR,
    UNVERIFIABLE,
    VERDICTS,
    Quoted,
    Verdict,
    check_arithmetic,
    check_claim,
    check_coding,
    check_coefficient,
    check_count,
    check_external,
    check_less_than,
    check_mode_claim,
    check_more_than,
    check_outcome_definition,
    check_p_value,
    check_significance_list,
    check_table2_mean,
    check_table2_sd,
    check_total,
)
from ridersurvey.audit.inference import format_factor_floor, table3_from_print
from ridersurvey.audit.mechanisms import outcome_coding
from ridersurvey.audit.precision import fixed, format_floor, p_attainable, p_floor
from ridersurvey.data import ledger_ids as ids
from ridersurvey.data.codebook import load_codebook
from ridersurvey.data.ledger import Check, load_ledger, table1_counts, table3, value
from ridersurvey.data.paths import DATA_DIR
from ridersurvey.messages import label, text
from ridersurvey.model.logit import fit_logit, load_analysis_data

AUDIT_COLUMNS = [
    "id",
    "location",
    "quantity",
    "published",
    "printed",
    "computed",
    "verdict",
    "reason",
    "check",
    "finding",
]


# ----------------------------------------------------------------------------------------- expressions

_ID = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+")
_OPS: dict[type, Callable[..., float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.USub: operator.neg,
}


def evaluate(expression: str, ledger: pd.DataFrame) -> tuple[float, str]:
    """Evaluate an arithmetic expression over ledger ids (``100 * t1.gender.1.count / t1.total.count``).

    Parameters
    ----------
    expression : str
        Ledger ids, numbers, ``+ - * /`` and parentheses.
    ledger : DataFrame
        The ledger, indexed by id.

    Returns
    -------
    tuple
        The value and the expression with each id replaced by its printed value, for a reason string.
    """
    values: dict[str, float] = {}

    def name(match: re.Match) -> str:
        key = match.group(0)
        if key not in ledger.index:
            raise KeyError(text("audit.unknown_id", expression=expression, key=key))
        values[f"_v{len(values)}"] = float(ledger.loc[key, "value"])
        return f"_v{len(values) - 1}"

    code = _ID.sub(name, expression)

    def ev(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        if isinstance(node, ast.Name) and node.id in values:
            return values[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.operand))
        raise ValueError(text("audit.bad_expression", expression=expression))

    value = ev(ast.parse(code, mode="eval"))
    if _ID.fullmatch(expression.strip()):
        ref = ledger.loc[expression.strip()]
        quantity = label(str(ref["quantity"]))
        lowered = quantity[:1].lower() + quantity[1:]
        location = label(str(ref["location"]))
        return value, Quoted(text("audit.quotes", location=location, printed=ref["printed"], quantity=lowered))
    shown = _ID.sub(lambda m: f"{float(ledger.loc[m.group(0), 'value']):g}", expression)
    return value, shown.replace("*", "×").replace("-", "\u2212")


def load_external_checks(path: str | Path | None = None) -> pd.DataFrame:
    """The external values the book holds for the paper's headline figures (``data/published/external_checks.csv``)."""
    path = Path(path) if path else DATA_DIR / "published" / "external_checks.csv"
    return pd.read_csv(path, dtype={"id": str, "source": str}).set_index("id")


def load_findings(path: str | Path | None = None) -> pd.DataFrame:
    """Titles of the audit's findings (``data/published/findings.csv``), indexed by finding id."""
    path = Path(path) if path else DATA_DIR / "published" / "findings.csv"
    return pd.read_csv(path, dtype=str).set_index("finding")


# ------------------------------------------------------------------------------------------ refit


def refit(data: pd.DataFrame | str | Path | None = None) -> dict:
    """Refit the paper's logit on the coded data: coefficients and p-values, or empty Series if it cannot be fitted.

    Parameters
    ----------
    data : DataFrame, path or None
        The coded analysis file (default: ``data/riders_survey.csv``, reconstructed responses).

    Returns
    -------
    dict
        ``params``, ``pvalues`` (Series by term), ``n``, ``r2_cs`` and ``error`` ("" on success).
    """
    frame = data if isinstance(data, pd.DataFrame) else load_analysis_data(data)
    try:
        res = fit_logit(frame)
    except Exception as exc:  # separation or a singular design: nothing to compare against
        empty = pd.Series(dtype=float)
        return {"params": empty, "pvalues": empty, "r2_cs": float("nan"), "n": len(frame), "error": str(exc)}
    return {
        "params": res.params,
        "pvalues": res.pvalues,
        "n": res.n,
        "r2_cs": res.pseudo_r2["cox_snell_r2"],
        "error": "",
    }


# ------------------------------------------------------------------------------------------ the checks


@dataclass
class Context:
    """What the checks read: the ledger, Table 1's counts, Table 2's labels, the refit and the sources."""

    ledger: pd.DataFrame
    counts: dict[str, dict[int, int]]
    labels: dict[str, dict[int, str]]
    fit: dict
    external: pd.DataFrame
    readings: Mapping[str, int]
    n_table3: int

    def value(self, entry: ids.NumberId) -> float:
        """The printed value of a ledger entry."""
        return float(self.ledger.loc[entry, "value"])

    @property
    def n(self) -> int:
        """Valid responses (Table 1's total)."""
        return int(self.value(ids.N))


def _code(row: pd.Series) -> int | None:
    return None if pd.isna(row["code"]) else int(row["code"])


def _arithmetic(row: pd.Series, ctx: Context) -> Verdict:
    computed, shown = evaluate(str(row["expression"]), ctx.ledger)
    return check_arithmetic(float(row["value"]), computed, int(row["decimals"]), shown)


def _share(row: pd.Series, ctx: Context) -> tuple[float, str]:
    computed, shown = evaluate(str(row["expression"]), ctx.ledger)
    return computed, shown if isinstance(shown, Quoted) else f"{shown} = {computed:g}"


def _more_than(row: pd.Series, ctx: Context) -> Verdict:
    return check_more_than(float(row["value"]), *_share(row, ctx))


def _less_than(row: pd.Series, ctx: Context) -> Verdict:
    return check_less_than(float(row["value"]), *_share(row, ctx))


def _significance_list(row: pd.Series, ctx: Context) -> Verdict:
    book = load_codebook()
    printed = {v: ctx.value(ids.p_value(v)) for v in book.predictors}
    labels = {v: label.lower() for v, label in book.labels(book.predictors).items()}
    listed = str(row["expression"]).split()
    return check_significance_list(listed, printed, row["statistic"] == "significant", labels)


def _total(row: pd.Series, ctx: Context) -> Verdict:
    if row["statistic"] == "count":
        return check_total(float(row["value"]), {v: sum(c.values()) for v, c in ctx.counts.items()}, 0, label("counts"))
    pct = {v: sum(ctx.value(ids.table1(v, c, ids.Part.PCT)) for c in cs) for v, cs in ctx.counts.items()}
    return check_total(float(row["value"]), pct, int(row["decimals"]), label("percentages"))


def _count(row: pd.Series, ctx: Context) -> Verdict:
    code = _code(row)
    return check_count(float(row["value"]), [x for c, x in ctx.counts[row["variable"]].items() if c != code], ctx.n)


def _table2_mean(row: pd.Series, ctx: Context) -> Verdict:
    var = row["variable"]
    return check_table2_mean(
        float(row["value"]), ctx.counts[var], int(row["decimals"]), ctx.labels[var], ctx.value(ids.sd(var))
    )


def _table2_sd(row: pd.Series, ctx: Context) -> Verdict:
    var = row["variable"]
    return check_table2_sd(float(row["value"]), ctx.counts[var], int(row["decimals"]), ctx.value(ids.mean(var)))


def _coding(row: pd.Series, ctx: Context) -> Verdict:
    var = row["variable"]
    return check_coding(
        float(row["value"]),
        _code(row),  # type: ignore[arg-type]  # Table 2 coding rows always carry a code
        ctx.counts[var],
        ctx.value(ids.mean(var)),
        2,
        ctx.labels[var],
    )


def _p_args(var: str, ctx: Context) -> tuple[float, float, float, int]:
    return ctx.value(ids.p_value(var)), ctx.value(ids.coef(var)), ctx.value(ids.sd(var)), ctx.n


def _coefficient(row: pd.Series, ctx: Context) -> Verdict:
    var = row["variable"]
    p, b, sd, n = _p_args(var, ctx)
    return check_coefficient(
        float(row["value"]),
        float(ctx.fit["params"].get(var, float("nan"))),
        int(row["decimals"]),
        p_attainable(p, b, sd, n),
        p_floor(b, sd, n),
    )


def _p_value(row: pd.Series, ctx: Context) -> Verdict:
    var = row["variable"]
    p, b, sd, n = _p_args(var, ctx)
    return check_p_value(
        p,
        b,
        sd,
        n,
        int(row["decimals"]),
        str(row["printed"]).count("*"),
        float(ctx.fit["pvalues"].get(var, float("nan"))),
    )


def _mode_claim(row: pd.Series, ctx: Context) -> Verdict:
    var, code = row["variable"], _code(row)
    part: Literal[ids.Part.COUNT, ids.Part.PCT] = ids.Part.PCT if row["statistic"] == "percent" else ids.Part.COUNT
    values = {c: ctx.value(ids.table1(var, c, part)) for c in ctx.counts[var]}
    return check_mode_claim(float(row["value"]), values, code, int(row["decimals"]), ctx.labels[var])  # type: ignore[arg-type]


def _table3_rows(row: pd.Series, ctx: Context) -> Verdict:
    return check_arithmetic(float(row["value"]), float(ctx.n_table3), 0, text("audit.table3_rows"))


def _outcome_definition(row: pd.Series, ctx: Context) -> Verdict:
    return check_outcome_definition(float(row["value"]), ctx.value(ids.coding("unwilling", 0)), ctx.readings)


def _external(row: pd.Series, ctx: Context) -> Verdict:
    eid = row["id"]
    known = eid in ctx.external.index
    return check_external(
        float(row["value"]),
        float(ctx.external.loc[eid, "value"]) if known else None,
        int(row["decimals"]),
        label(str(ctx.external.loc[eid, "source"])) if known else "",
    )


def _claim(row: pd.Series, ctx: Context) -> Verdict:
    return check_claim(label(str(row["note"])))


@dataclass(frozen=True)
class Registered:
    """One check as the audit runs it: the function that judges a ledger row, the :class:`Context` fields it
    reads besides the row, and whether it tests an identity between published numbers (the others need a
    model argument, data or a source)."""

    function: Callable[[pd.Series, Context], Verdict]
    reads: frozenset[str]
    identity: bool


def _entry(function: Callable[[pd.Series, Context], Verdict], *reads: str, identity: bool) -> Registered:
    return Registered(function, frozenset(reads), identity)


#: Each check the ledger's ``check`` column can name (:class:`~ridersurvey.data.ledger.Check`), declared once.
REGISTRY: dict[Check, Registered] = {
    Check.ARITHMETIC: _entry(_arithmetic, "ledger", identity=True),
    Check.MORE_THAN: _entry(_more_than, "ledger", identity=True),
    Check.LESS_THAN: _entry(_less_than, "ledger", identity=True),
    Check.TOTAL: _entry(_total, "ledger", "counts", identity=True),
    Check.COUNT: _entry(_count, "ledger", "counts", identity=False),
    Check.TABLE2_MEAN: _entry(_table2_mean, "ledger", "counts", "labels", identity=True),
    Check.TABLE2_SD: _entry(_table2_sd, "ledger", "counts", identity=True),
    Check.CODING: _entry(_coding, "ledger", "counts", "labels", identity=True),
    Check.COEFFICIENT: _entry(_coefficient, "ledger", "fit", identity=False),
    Check.P_VALUE: _entry(_p_value, "ledger", "fit", identity=False),
    Check.MODE_CLAIM: _entry(_mode_claim, "ledger", "counts", "labels", identity=True),
    Check.TABLE3_ROWS: _entry(_table3_rows, "n_table3", identity=True),
    Check.OUTCOME_DEFINITION: _entry(_outcome_definition, "ledger", "readings", identity=False),
    Check.EXTERNAL: _entry(_external, "external", identity=False),
    Check.CLAIM: _entry(_claim, identity=False),
    Check.SIGNIFICANCE_LIST: _entry(_significance_list, "ledger", identity=True),
}
#: The checks that test an identity between published numbers.
IDENTITY_CHECKS = frozenset(check for check, entry in REGISTRY.items() if entry.identity)


def _labels_from_table2(ledger: pd.DataFrame) -> dict[str, dict[int, str]]:
    rows = ledger[(ledger["location"] == "Table 2") & (ledger["statistic"] == "coding")]
    out: dict[str, dict[int, str]] = {}
    for _, r in rows.iterrows():
        out.setdefault(r["variable"], {})[int(r["code"])] = r["printed"].split(" = ")[0].strip()
    return out


def context(data: pd.DataFrame | str | Path | None = None, ledger: pd.DataFrame | None = None) -> Context:
    """Everything the checks read, built once.

    Parameters
    ----------
    data : DataFrame, path or None
        The coded analysis file for the Table 3 refit.
    ledger : DataFrame, optional

    Returns
    -------
    Context
    """
    ledger = load_ledger() if ledger is None else ledger
    readings = outcome_coding(ledger)
    return Context(
        ledger=ledger,
        counts=table1_counts(ledger),
        labels=_labels_from_table2(ledger),
        fit=refit(data),
        external=load_external_checks(),
        readings={
            "table2": int(readings["follows_table2"].sum()),
            "model": int(readings["follows_model_section"].sum()),
            "readings": len(readings),
        },
        n_table3=len(table3(ledger)),
    )


def run_audit(data: pd.DataFrame | str | Path | None = None, ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Give every ledger entry a verdict with the check its ``check`` column names.

    Parameters
    ----------
    data : DataFrame, path or None
        The coded analysis file (default ``data/riders_survey.csv``), used only for the Table 3 refit.
    ledger : DataFrame, optional
        The published-numbers ledger.

    Returns
    -------
    DataFrame
        One row per ledger entry, indexed by id: the columns of :data:`AUDIT_COLUMNS`.
    """
    ctx = context(data, ledger)
    rows = []
    for _, row in ctx.ledger.iterrows():
        if row["check"] not in REGISTRY:
            raise ValueError(text("audit.unknown_check", id=row["id"], check=row["check"]))
        check = Check(row["check"])
        v = REGISTRY[check].function(row, ctx)
        rows.append(
            {
                "id": row["id"],
                "location": row["location"],
                "quantity": row["quantity"],
                "published": float(row["value"]),
                "printed": row["printed"],
                "computed": v.computed,
                "verdict": v.verdict,
                "reason": v.reason,
                "check": check,
                "finding": row["finding"],
            }
        )
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS).set_index("id", drop=False)


# ------------------------------------------------------------------------------------------ findings


def _worst(verdicts: Sequence[str]) -> str:
    return min(verdicts, key=VERDICTS.index)


def findings(audit: pd.DataFrame) -> pd.DataFrame:
    """One row per finding: its verdict (the most serious of its entries'), kind, reason and consequence.

    Parameters
    ----------
    audit : DataFrame
        From :func:`run_audit`.

    Returns
    -------
    DataFrame
        Index ``finding`` in ledger order; columns title, part (where in the paper), verdict, kind
        ("identity" when every entry is checked by an identity, else "other"), entries (how many ledger
        entries), ids, reason (of the entry that decides the verdict) and consequence.
    """
    titles = load_findings()
    rows = []
    for fid, group in audit.groupby("finding", sort=False):
        verdict = _worst(list(group["verdict"]))
        decisive = group[group["verdict"] == verdict].iloc[0]
        rows.append(
            {
                "finding": fid,
                "title": titles.loc[fid, "title"],
                "part": group["location"].iloc[0],
                "verdict": verdict,
                "kind": "identity" if set(group["check"]) <= IDENTITY_CHECKS else "other",
                "entries": len(group),
                "ids": ", ".join(group["id"]),
                "reason": decisive["reason"],
            }
        )
    out = pd.DataFrame(rows).set_index("finding")
    out["consequence"] = [consequence(fid, audit) for fid in out.index]
    return out


def scorecard(audit: pd.DataFrame) -> pd.DataFrame:
    """Findings per verdict, identities apart from the other checks, and the ledger entries behind them.

    Parameters
    ----------
    audit : DataFrame
        From :func:`run_audit`.

    Returns
    -------
    DataFrame
        Index: the verdicts in :data:`VERDICTS` order; columns findings, identities, other (findings by kind)
        and entries (ledger rows).
    """
    f = findings(audit)
    table = pd.DataFrame(index=pd.Index(VERDICTS, name="verdict"))
    table["findings"] = f["verdict"].value_counts().reindex(VERDICTS, fill_value=0)
    table["identities"] = f.loc[f["kind"] == "identity", "verdict"].value_counts().reindex(VERDICTS, fill_value=0)
    table["other"] = table["findings"] - table["identities"]
    table["entries"] = audit["verdict"].value_counts().reindex(VERDICTS, fill_value=0)
    return table.astype(int)


def consequence(finding: str, audit: pd.DataFrame) -> str:
    """What a finding changes in the paper's conclusions, with its numbers computed from the ledger.

    Parameters
    ----------
    finding : str
        A finding id.
    audit : DataFrame
        From :func:`run_audit`.

    Returns
    -------
    str
        Empty for findings that change nothing (consistent, corroborated, matched by construction).
    """
    group = audit[audit["finding"] == finding]
    verdict = _worst(list(group["verdict"]))
    if verdict in (CONSISTENT, CORROBORATED, BY_CONSTRUCTION):
        return ""
    ledger = load_ledger()
    val = lambda i: value(i, ledger)
    if verdict == INCONSISTENT_PAIR:
        var = str(ledger.loc[group["id"].iloc[0], "variable"])
        row = table3_from_print(ledger).loc[var]
        return text(
            "audit.consequence.inconsistent_pair",
            b=fixed(row["b"]),
            floor=format_floor(row["p_floor"]),
            p=fixed(row["p"]),
            b_needed=fixed(row["b_needed"]),
            factor=format_factor_floor(row["b_needed_ratio"]),
        )
    fields: dict[str, dict[str, str]] = {
        "t2-unwilling": {
            "mean_pct": f"{val(ids.mean('unwilling')) * 100:.0f}",
            "table1_pct": f"{val(ids.table1('unwilling', 1, ids.Part.PCT)):.0f}",
        },
        "t2-marital_status": {
            "b": fixed(val(ids.coef("marital_status"))),
            "mean": fixed(val(ids.mean("marital_status")), 2),
        },
        "s7-outcome-definition": {},
        "s7p-awareness-quote": {
            "ratio": f"{val(ids.quoted('policy_awareness')) / val(ids.coef('policy_awareness')):.0f}",
        },
        "s6p-mode-health": {},
    }
    if finding in fields:
        return text(f"audit.consequence.{finding}", **fields[finding])
    return text("audit.consequence.unverifiable" if verdict == UNVERIFIABLE else "audit.consequence.other")


# ------------------------------------------------------------------------------------------ output


def format_table(audit: pd.DataFrame, reason_width: int = 90) -> str:
    """The audit as a fixed-width text table followed by the findings' scorecard line.

    Parameters
    ----------
    audit : DataFrame
    reason_width : int

    Returns
    -------
    str
    """

    def num(x: float) -> str:
        return "" if pd.isna(x) else f"{x:.4g}"

    head = f"{'id':<34} {'verdict':<24} {'published':>10} {'computed':>10}  reason"
    lines = [head, "-" * len(head)]
    for _, r in audit.iterrows():
        reason = r["reason"] if len(r["reason"]) <= reason_width else r["reason"][: reason_width - 1] + "…"
        lines.append(f"{r['id']:<34} {r['verdict']:<24} {num(r['published']):>10} {num(r['computed']):>10}  {reason}")
    score = scorecard(audit)
    lines.append("")
    by_verdict = ", ".join(f"{k} {v}" for k, v in score["findings"].items())
    lines.append(
        text("audit.scorecard_line", entries=len(audit), findings=int(score["findings"].sum()), by_verdict=by_verdict)
    )
    return "\n".join(lines)


def to_json(audit: pd.DataFrame) -> str:
    """The audit as a JSON list of objects (NaN becomes null).

    Parameters
    ----------
    audit : DataFrame

    Returns
    -------
    str
    """
    records = []
    for rec in audit.to_dict(orient="records"):
        records.append({k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()})
    return json.dumps(records, ensure_ascii=False, indent=1)
