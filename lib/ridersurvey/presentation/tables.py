"""The paper's tables recomputed from the coded data and set beside the printed values.

Each ``*_comparison`` function returns a plain DataFrame (numbers, not strings). Each ``*_table`` function
returns the :class:`ridersurvey.presentation.report.Table` a chapter shows (a numbered MyST table in the book, an HTML
table in Jupyter), and each ``*_facts`` function the numbers its prose quotes
(:class:`ridersurvey.presentation.report.Facts`).
"""

from __future__ import annotations

import re

import pandas as pd

from ridersurvey import messages
from ridersurvey.audit.precision import agrees
from ridersurvey.data import ledger_ids as ids
from ridersurvey.data.codebook import codebook_table, load_codebook
from ridersurvey.data.context import package_versions
from ridersurvey.data.ledger import load_ledger, table1, table2, table2_codings, table3, value
from ridersurvey.model.logit import SpecError
from ridersurvey.presentation.report import (
    Column,
    Facts,
    Table,
    TableSpec,
    Text,
    count_words,
    integer,
    number,
    percent,
    share_words,
)


def table1_comparison(df: pd.DataFrame) -> pd.DataFrame:
    """Table 1 recomputed: count and percent of every answer option beside the printed count and percent.

    One row per (variable, option) in the order Table 1 prints them (its marital rows list 已婚, married, before
    未婚, unlike Table 2's code order). Columns: variable, label (English item label), code,
    option_en, option_zh, count, percent (of all rows in ``df``), count_published, percent_published,
    count_diff and percent_diff (ours − printed), and ``differs`` (True when the count differs or the
    percent, rounded to the printed two decimals, does).
    """
    book = load_codebook()
    published = table1()
    ledger = load_ledger()
    printed = ledger[(ledger["location"] == "Table 1") & (ledger["statistic"] == "count") & (ledger["variable"] != "")]
    n = len(df)
    rows = []
    for var in dict.fromkeys(printed["variable"]):
        item = book[var]
        counts = df[var].value_counts()
        order = [int(c) for c in printed.loc[printed["variable"] == var, "code"]]
        for option in sorted(item.options, key=lambda o: order.index(o.code)):
            count = int(counts.get(option.code, 0))
            percent = 100.0 * count / n
            count_pub = int(published.loc[(var, option.code), "count"])
            pct_pub = float(published.loc[(var, option.code), "percent"])
            rows.append(
                {
                    "variable": var,
                    "label": item.label_en,
                    "code": option.code,
                    "option_en": option.en,
                    "option_zh": option.zh,
                    "count": count,
                    "percent": percent,
                    "count_published": count_pub,
                    "percent_published": pct_pub,
                    "count_diff": count - count_pub,
                    "percent_diff": percent - pct_pub,
                    "differs": bool(count != count_pub or not agrees(pct_pub, percent, 2)),
                }
            )
    return pd.DataFrame(rows)


def coding_text(variable: str, lang: str = "en") -> str:
    """The coding of one variable as 'label = code; ...': with the codebook's labels in the catalog's language
    (:func:`ridersurvey.messages.bilingual`), or with ``lang="zh"`` as Table 2 prints it."""
    if lang == "zh":
        rows = table2_codings()
        return "; ".join(rows.loc[rows["variable"] == variable, "printed"])
    item = load_codebook()[variable]
    return "; ".join(f"{messages.bilingual(o.en, o.zh)} = {o.code}" for o in item.options)


def table2_comparison(df: pd.DataFrame) -> pd.DataFrame:
    """Table 2 recomputed: coding, mean and SD (ddof = 1) of every variable beside the printed mean and SD.

    Indexed by variable in Table 2's order. Columns: label, coding (English), coding_zh (as printed),
    mean, sd, mean_published, sd_published, mean_diff, sd_diff, mean_agrees and sd_agrees (ours rounded to
    the printed decimals equals the printed value) and ``flag`` naming the statistics that disagree.
    """
    book = load_codebook()
    published = table2()
    ledger = load_ledger()
    rows = []
    for var in book.names:
        values = df[var].to_numpy(dtype=float)
        mean, sd = float(values.mean()), float(values.std(ddof=1))
        mean_pub, sd_pub = float(published.loc[var, "mean"]), float(published.loc[var, "sd"])
        mean_ok = agrees(mean_pub, mean, int(ledger.loc[ids.mean(var), "decimals"]))
        sd_ok = agrees(sd_pub, sd, int(ledger.loc[ids.sd(var), "decimals"]))
        rows.append(
            {
                "variable": var,
                "label": book[var].label_en,
                "coding": coding_text(var),
                "coding_zh": coding_text(var, "zh"),
                "mean": mean,
                "sd": sd,
                "mean_published": mean_pub,
                "sd_published": sd_pub,
                "mean_diff": mean - mean_pub,
                "sd_diff": sd - sd_pub,
                "mean_agrees": mean_ok,
                "sd_agrees": sd_ok,
                "flag": ", ".join(name for name, ok in (("mean", mean_ok), ("SD", sd_ok)) if not ok),
            }
        )
    return pd.DataFrame(rows).set_index("variable")


TABLE2_SPEC = TableSpec(
    [
        Column("label", "Variable"),
        Column("coding", "Coding"),
        Column("coding_zh", "编码 (as printed)"),
        Column("mean", "Mean", ".2f"),
        Column("sd", "SD", ".3f"),
        Column("mean_published", "Mean (paper)", ".2f"),
        Column("sd_published", "SD (paper)", ".3f"),
        Column("flag", "Disagrees"),
    ]
)


def table2_table(df: pd.DataFrame, caption: str, name: str) -> Table:
    """Table 2 recomputed, as the book shows it (:data:`TABLE2_SPEC`; the outcome's row says it is the outcome).

    Parameters
    ----------
    df : DataFrame
        The coded analysis file.
    caption, name : str
        The table's caption and label.

    Returns
    -------
    Table
    """
    t2 = table2_comparison(df)
    shown = t2.assign(label=t2["label"].where(t2.index != "unwilling", OUTCOME_LABEL))
    return TABLE2_SPEC.table(shown, caption, name)


def table2_facts(df: pd.DataFrame) -> Facts:
    """The numbers the model chapter quotes about Table 2, each at the paper's printed precision.

    Parameters
    ----------
    df : DataFrame
        The coded analysis file.

    Returns
    -------
    Facts
        n_rows, n_disagree (rows whose mean or SD disagrees) and n_predictors, in words; mean_unwilling,
        sd_unwilling, mean_marital and their printed counterparts (``*_printed``); mean_marital_reversed (the
        marital mean under the reverse coding, married = 1 and unmarried = 2); z_willing_code (the value of
        the model section's Z for a willing rider); coef_gender_printed and coef_education_printed (Table 3).
    """
    t2 = table2_comparison(df)
    ledger = load_ledger()
    printed3 = table3(ledger)

    def at(entry: str, x: float) -> str:
        return number(x, int(ledger.loc[entry, "decimals"]))

    codes = load_codebook()["marital_status"].codes
    reverse = dict(zip(codes, reversed(codes), strict=True))
    return Facts(
        n_rows=count_words(len(t2)),
        n_disagree=count_words(int((t2["flag"] != "").sum())),
        n_predictors=count_words(len(load_codebook().predictors)),
        mean_unwilling=at(ids.mean("unwilling"), t2.loc["unwilling", "mean"]),
        mean_unwilling_printed=at(ids.mean("unwilling"), t2.loc["unwilling", "mean_published"]),
        sd_unwilling=at(ids.sd("unwilling"), t2.loc["unwilling", "sd"]),
        sd_unwilling_printed=at(ids.sd("unwilling"), t2.loc["unwilling", "sd_published"]),
        mean_marital=at(ids.mean("marital_status"), t2.loc["marital_status", "mean"]),
        mean_marital_printed=at(ids.mean("marital_status"), t2.loc["marital_status", "mean_published"]),
        mean_marital_reversed=at(ids.mean("marital_status"), float(df["marital_status"].map(reverse).mean())),
        z_willing_code=integer(value(ids.OUTCOME_DEFINITION, ledger)),
        coef_gender_printed=at(ids.coef("gender"), printed3.loc["gender", "coef"]),
        coef_education_printed=at(ids.coef("education"), printed3.loc["education", "coef"]),
    )


def table3_comparison(fit) -> pd.DataFrame:
    """Table 3 recomputed: our Wald statistics and odds ratios beside the printed coefficient and p-value.

    Only the predictors both the paper printed and ``fit`` estimates are compared (a refit may drop some or
    add others, :class:`ridersurvey.model.logit.ModelSpec`).

    Parameters
    ----------
    fit : LogitFit
        The refit (:func:`ridersurvey.model.logit.fit_logit` or :meth:`ridersurvey.model.logit.ModelSpec.fit`).

    Returns
    -------
    DataFrame
        Rows in the paper's order; the columns of :meth:`ridersurvey.model.logit.LogitFit.coefficients` (coef, se,
        z, p, odds_ratio, or_ci_low, or_ci_high) and coef_published, p_published, coef_diff, p_diff (ours −
        printed), coef_agrees, p_agrees (:func:`ridersurvey.audit.precision.agrees` at the printed decimals) and
        ``flag`` naming the quantities that disagree ("" when both agree).

    Raises
    ------
    SpecError
        If ``fit`` models another outcome than the paper's, or none of the predictors the paper printed.
    """
    printed = table3()
    ledger = load_ledger()
    outcome = load_codebook().outcome
    if fit.spec.outcome != outcome:
        raise SpecError(messages.text("model.other_outcome", printed=outcome, outcome=fit.spec.outcome))
    shared = [v for v in printed.index if v in fit.params.index]
    if not shared:
        raise SpecError(messages.text("model.no_printed_predictor", printed=", ".join(printed.index)))
    ours = fit.coefficients().loc[shared]
    out = ours.assign(coef_published=printed["coef"], p_published=printed["p"])
    out["coef_diff"] = out["coef"] - out["coef_published"]
    out["p_diff"] = out["p"] - out["p_published"]
    out["coef_agrees"] = [
        agrees(row.coef_published, row.coef, int(ledger.loc[ids.coef(var), "decimals"])) for var, row in out.iterrows()
    ]
    out["p_agrees"] = [
        agrees(row.p_published, row.p, int(ledger.loc[ids.p_value(var), "decimals"])) for var, row in out.iterrows()
    ]
    out["flag"] = [
        ", ".join(name for name, ok in (("coef", c), ("p", p)) if not ok)
        for c, p in zip(out["coef_agrees"], out["p_agrees"], strict=True)
    ]
    return out.rename_axis("variable")


def published_sample_flow() -> pd.DataFrame:
    """Section 6.1's sample flow as printed: questionnaires collected, excluded, valid and the valid share (%)."""
    ledger = load_ledger()
    section61 = [ids.COLLECTED, ids.EXCLUDED, ids.VALID, ids.RECOVERY_RATE]
    return pd.DataFrame(
        {
            "quantity": ledger.loc[section61, "quantity"].to_list(),
            "published": ledger.loc[section61, "value"].astype(float).to_list(),
        },
        index=pd.Index(["collected", "excluded", "valid", "share_valid"], name="step"),
    )


def exclusion_summary(load_result) -> pd.DataFrame:
    """The cleaning step's sample flow beside Section 6.1's printed numbers.

    ``load_result`` is what :func:`ridersurvey.data.readers.load_responses` returns (attributes n_collected,
    n_excluded, n_valid). Rows collected, excluded, valid, share_valid (valid / collected, in %); columns
    quantity, value, published and ``agrees`` (ours rounded to the printed decimals equals the printed value).
    """
    flow = published_sample_flow()
    collected, excluded, valid = (int(load_result.n_collected), int(load_result.n_excluded), int(load_result.n_valid))
    flow.insert(1, "value", [collected, excluded, valid, 100.0 * valid / collected])
    decimals = load_ledger().loc[[ids.COLLECTED, ids.EXCLUDED, ids.VALID, ids.RECOVERY_RATE], "decimals"]
    flow["agrees"] = [agrees(p, v, int(d)) for v, p, d in zip(flow["value"], flow["published"], decimals, strict=True)]
    return flow


_MARKUP = re.compile(r"([\\`*_{}\[\]<>$|])")
_BARE_PIPE = re.compile(r"(?<!\\)\|")


def escape_markdown(text) -> str:
    """``text`` with Markdown's (and MyST's) inline markup characters backslash-escaped.

    For free text shown in a table cell (printed values such as ``0.006**``, reasons such as ``|z| ≤ 0.07``)
    that must appear literally rather than as emphasis, maths or a broken column.
    """
    return _MARKUP.sub(r"\\\1", str(text))


def to_markdown(frame: pd.DataFrame, index: bool = False) -> str:
    """A pipe table for MyST, so a table in a Markdown output becomes a real, numbered docutils table in the book.

    A pipe inside a cell is escaped (unless it already is), since it would otherwise split the cell.
    """
    cells = frame.map(lambda v: _BARE_PIPE.sub(r"\\|", v) if isinstance(v, str) else v)
    if index:
        cells.index = [_BARE_PIPE.sub(r"\\|", v) if isinstance(v, str) else v for v in cells.index]
    return cells.to_markdown(index=index, disable_numparse=True)


# ----------------------------------------------------------------------------- tables and facts of the chapters

#: How tables that show the outcome's Table 2 statistics (coded 1 = not willing) name it.
OUTCOME_LABEL = "Not willing to join (outcome)"

SAMPLE_FLOW_SPEC = TableSpec(
    [
        Column("quantity", "Step"),
        Column("value", "Cleaning step", ".4g"),
        Column("published", "Paper (Section 6.1)", "g"),
        Column("agrees", "Matches (by construction)"),
    ]
)
TABLE1_SPEC = TableSpec(
    [
        Column("label", "Item"),
        Column("option_en", "Answer"),
        Column("option_zh", "选项"),
        Column("count", "n"),
        Column("percent", "%", ".2f"),
        Column("count_published", "n (paper)"),
        Column("percent_published", "% (paper)", ".2f"),
        Column("differs", "Differs"),
    ]
)


def sample_flow_table(load_result, caption: str, name: str) -> Table:
    """The cleaning step's sample flow beside Section 6.1 (:func:`exclusion_summary`), as the book shows it.

    Parameters
    ----------
    load_result : LoadResult
        What :func:`ridersurvey.data.readers.load_responses` returns for the raw export.
    caption, name : str

    Returns
    -------
    Table
    """
    return SAMPLE_FLOW_SPEC.table(exclusion_summary(load_result), caption, name)


def table1_table(df: pd.DataFrame, caption: str, name: str) -> Table:
    """Table 1 recomputed (:func:`table1_comparison`), the item's label on its first row only.

    Parameters
    ----------
    df : DataFrame
        The coded analysis file.
    caption, name : str

    Returns
    -------
    Table
    """
    t1 = table1_comparison(df)
    shown = t1.assign(label=t1["label"].where(~t1["variable"].duplicated(), ""))
    return TABLE1_SPEC.table(shown, caption, name)


def sample_facts(df: pd.DataFrame, load_result) -> Facts:
    """The numbers the data-and-sample chapter quotes.

    Parameters
    ----------
    df : DataFrame
        The coded analysis file.
    load_result : LoadResult
        The cleaning step on the raw export (:func:`ridersurvey.data.readers.load_responses`).

    Returns
    -------
    Facts
        Printed sample flow: n_collected, n_excluded, n_valid_published, share_valid_printed (as printed, %)
        and share_valid_exact (valid / collected, %, one decimal); n_valid (rows of ``df``); flow_agree_share
        (:func:`share_words`: "all four") of the sample-flow counts agree; t1_differs_share ("none of the 33")
        of Table 1's answers across n_items items differ; whole-percent shares ``pct_*`` of the answers named in
        their names; counts ``n_*`` of single answers; n_events (answers in the smaller outcome category).
        Counts in words up to ten.
    """
    flow = exclusion_summary(load_result)
    t1 = table1_comparison(df)
    n = len(df)

    def pct(mask: pd.Series) -> Text:
        return percent(100.0 * float(mask.mean()), 0)

    def count(variable: str, code: int) -> Text:
        return count_words(int((df[variable] == code).sum()))

    collected, valid = float(flow.loc["collected", "published"]), float(flow.loc["valid", "published"])
    outcome = df["unwilling"].value_counts()
    return Facts(
        n_valid=integer(n),
        n_collected=integer(collected),
        n_excluded=integer(flow.loc["excluded", "published"]),
        n_valid_published=integer(valid),
        share_valid_printed=percent(float(flow.loc["share_valid", "published"]), 0),
        share_valid_exact=percent(100.0 * valid / collected, 1),
        flow_agree_share=share_words(int(flow["agrees"].sum()), len(flow)),
        t1_differs_share=share_words(int(t1["differs"].sum()), len(t1)),
        n_items=count_words(int(t1["variable"].nunique())),
        pct_unwilling=pct(df["unwilling"] == 1),
        pct_male=pct(df["gender"] == 1),
        pct_rural=pct(df["hukou"] == 1),
        pct_age_31_44=pct(df["age_group"] == 2),
        pct_married=pct(df["marital_status"] == 2),
        pct_below_university=pct(df["education"] <= 3),
        pct_health_poor=pct(df["health"] <= 2),
        pct_health_average=pct(df["health"] == 3),
        pct_health_good=pct(df["health"] >= 4),
        mean_health=number(float(df["health"].mean()), 2),
        pct_over_six_months=pct(df["employment_duration"] == 2),
        pct_aware_little=pct(df["policy_awareness"] <= 2),
        pct_aware_well=pct(df["policy_awareness"] >= 4),
        pct_publicity_weak=pct(df["publicity"] <= 2),
        pct_publicity_strong=pct(df["publicity"] >= 4),
        n_postgraduate=count("education", 5),
        n_health_fairly_poor=count("health", 2),
        n_health_average=count("health", 3),
        n_publicity_very_strong=count("publicity", 5),
        n_events=count_words(int(outcome.min())),
        n_predictors=count_words(len(load_codebook().predictors)),
    )


QUESTIONNAIRE_SPEC = TableSpec(
    [
        Column("variable", "Variable"),
        Column("question", "Question (as printed; English ours)"),
        Column("code", "Code"),
        Column("label_zh", "选项"),
        Column("label_en", "Option"),
    ]
)
PRINTED_CODINGS_SPEC = TableSpec(
    [Column("variable", "Variable"), Column("code", "Code"), Column("printed", "As printed in Table 2")]
)
PREDICTORS_SPEC = TableSpec(
    [
        Column("variable", "Variable"),
        Column("question_zh", "Question (as printed)"),
        Column("question_en", "Question (our translation)"),
    ]
)
VERSIONS_SPEC = TableSpec([Column("package", "Package"), Column("version", "Version")])


def questionnaire_table(caption: str, name: str, book=None) -> Table:
    """The codebook (:func:`ridersurvey.data.codebook.codebook_table`): one row per answer option, the variable and
    its question (Chinese as printed, English in brackets) on the item's first row only.

    Parameters
    ----------
    caption, name : str
        The table's caption and label, as the chapter writes them.
    book : Codebook, optional

    Returns
    -------
    Table
    """
    table = codebook_table(book)
    first = ~table["variable"].duplicated()
    shown = table.assign(
        variable=table["variable"].where(first, ""),
        question=(table["question_zh"] + " (" + table["question_en"] + ")").where(first, ""),
    )
    return QUESTIONNAIRE_SPEC.table(shown, caption, name)


def printed_codings_table(caption: str, name: str) -> Table:
    """Table 2's codings as printed (:func:`ridersurvey.data.ledger.table2_codings`), the variable on its first row.

    Parameters
    ----------
    caption, name : str

    Returns
    -------
    Table
    """
    codings = table2_codings()
    shown = codings.assign(variable=codings["variable"].where(~codings["variable"].duplicated(), ""))
    return PRINTED_CODINGS_SPEC.table(shown, caption, name)


def predictors_table(caption: str, name: str, book=None) -> Table:
    """The model's predictors with their questions as printed and in translation, in the codebook's order.

    Parameters
    ----------
    caption, name : str
        The table's caption and label, as the chapter writes them.
    book : Codebook, optional

    Returns
    -------
    Table
    """
    items = codebook_table(book).query("role == 'predictor'").drop_duplicates("variable")
    return PREDICTORS_SPEC.table(items, caption, name)


def codebook_facts(book=None) -> Facts:
    """How many items, options and predictors the codebook has (n_items, n_options, n_predictors; in words
    up to ten)."""
    book = load_codebook() if book is None else book
    return Facts(
        n_items=count_words(len(book.names)),
        n_options=count_words(len(codebook_table(book))),
        n_predictors=count_words(len(book.predictors)),
    )


def versions_table(caption: str, name: str) -> Table:
    """Python's and the book's packages' versions (:func:`ridersurvey.data.context.package_versions`).

    Parameters
    ----------
    caption, name : str

    Returns
    -------
    Table
    """
    return VERSIONS_SPEC.table(package_versions(), caption, name)


EXCLUSIONS_SPEC = TableSpec(
    [
        Column("row", "Row of the export"),
        Column("respondent_id", "Respondent"),
        Column("reason", "Why excluded", literal=True),
    ]
)
CODE_RANGES_SPEC = TableSpec(
    [
        Column("variable", "Variable"),
        Column("count", "Rows"),
        Column("min", "Lowest code"),
        Column("max", "Highest code"),
    ]
)


def exclusions_table(load_result, caption: str, name: str) -> Table:
    """The cleaning step's exclusions (``load_result.exclusions``): row, respondent and reason.

    Parameters
    ----------
    load_result : LoadResult
        What :func:`ridersurvey.data.readers.load_responses` returns.
    caption, name : str

    Returns
    -------
    Table
    """
    return EXCLUSIONS_SPEC.table(load_result.exclusions, caption, name)


def code_ranges_table(df: pd.DataFrame, caption: str, name: str) -> Table:
    """Rows, lowest and highest code of every column of the analysis file, in its column order.

    Parameters
    ----------
    df : DataFrame
        The coded analysis file.
    caption, name : str

    Returns
    -------
    Table
    """
    ranges = df.agg(["count", "min", "max"]).T.rename_axis("variable").reset_index()
    return CODE_RANGES_SPEC.table(ranges, caption, name)
