"""The figures draw the numbers they claim to: bar heights, points and intervals are read back from the artists."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import seaborn as sns
from matplotlib.collections import LineCollection
from matplotlib.patches import Rectangle

from ridersurvey import model, plots
from ridersurvey.codebook import load_codebook
from ridersurvey.published import table1_counts, table3

BOOK = load_codebook()


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return model.load_analysis_data()


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def bar_heights(ax) -> list[float]:
    return [p.get_height() for p in ax.patches if isinstance(p, Rectangle)]


def test_set_style_uses_the_colour_blind_palette():
    plots.set_style()
    cycle = [c["color"] for c in plt.rcParams["axes.prop_cycle"]]
    expected = sns.color_palette("colorblind")
    np.testing.assert_allclose(matplotlib.colors.to_rgba_array(cycle)[:, :3], np.array(expected)[: len(cycle)])


def test_item_distributions_bars_are_the_counts_and_dots_the_published_counts(data):
    altered = data.copy()
    altered.loc[altered.index[0], "education"] = 5 if altered.loc[altered.index[0], "education"] != 5 else 4
    fig = plots.item_distributions(altered)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in axes] == [BOOK[v].label_en for v in BOOK.names]
    for ax, var in zip(axes, BOOK.names):
        codes = BOOK[var].codes
        assert bar_heights(ax) == [int((altered[var] == c).sum()) for c in codes]
        dots = ax.lines[0].get_ydata()
        assert list(dots) == [table1_counts()[var][c] for c in codes]
        labels = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
        assert labels == [o.en for o in BOOK[var].options]


def test_forest_plot_draws_odds_ratios_and_their_limits_on_a_log_axis(data):
    table = model.fit_logit(data).coefficients()
    fig = plots.forest_plot(table)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    reference = [line for line in ax.lines if list(line.get_xdata()) == [1.0, 1.0]]
    assert len(reference) == 1
    points = [line for line in ax.lines if line.get_marker() == "o"][0]
    predictors = table.index.drop("const")
    np.testing.assert_allclose(points.get_xdata(), table.loc[predictors, "odds_ratio"])
    segments = [c for c in ax.collections if isinstance(c, LineCollection)][0].get_segments()
    ends = np.array([[s[0][0], s[1][0]] for s in segments])
    np.testing.assert_allclose(ends, table.loc[predictors, ["or_ci_low", "or_ci_high"]].to_numpy())
    tick_labels = [t.get_text() for t in ax.get_yticklabels()]
    assert tick_labels == [BOOK[v].label_en for v in predictors]
    top = [t.get_text() for t, y in sorted(zip(ax.get_yticklabels(), ax.get_yticks()), key=lambda z: -z[1])][0]
    assert top == BOOK[predictors[0]].label_en


def test_roc_plot_draws_the_roc_curve(data):
    res = model.fit_logit(data)
    y, p = data["unwilling"].to_numpy(), np.asarray(res.predict())
    fig = plots.roc_plot(y, p)
    ax = fig.axes[0]
    curve = model.roc_curve(y, p)
    model_line = [line for line in ax.lines if line.get_label().startswith("Model")][0]
    np.testing.assert_allclose(model_line.get_xdata(), curve["fpr"])
    np.testing.assert_allclose(model_line.get_ydata(), curve["tpr"])
    assert f"{model.auc(y, p):.3f}" in model_line.get_label()


def test_sharing_economy_marks_the_revised_basis():
    frame = pd.DataFrame(
        {
            "year": [2019, 2016, 2017, 2018],
            "transaction_volume_100m_yuan": [32828.0, 34520.0, 49205.0, 29420.0],
            "service_providers_10k": [7800.0, 6000.0, 7000.0, 7500.0],
            "participants_100m": [8.0, 6.0, 7.0, 7.6],
        }
    )
    fig = plots.sharing_economy(frame)
    left, right, twin = fig.axes
    bars = [p for p in left.patches if isinstance(p, Rectangle)]
    by_year = {round(b.get_x() + b.get_width() / 2): b for b in bars}
    assert sorted(by_year) == [2016, 2017, 2018, 2019]
    assert [by_year[y].get_height() for y in (2016, 2017, 2018, 2019)] == [34520.0, 49205.0, 29420.0, 32828.0]
    assert [bool(by_year[y].get_hatch()) for y in (2016, 2017, 2018, 2019)] == [False, False, True, True]
    breaks = [line for line in left.lines if list(line.get_xdata()) == [2017.5, 2017.5]]
    assert len(breaks) == 1
    providers = right.lines[0]
    assert list(providers.get_xdata()) == [2016, 2017, 2018, 2019]
    assert list(providers.get_ydata()) == [6000.0, 7000.0, 7500.0, 7800.0]
    assert list(twin.lines[0].get_ydata()) == [6.0, 7.0, 7.6, 8.0]
    assert "100 million yuan" in left.get_ylabel()


def test_sharing_economy_draws_lower_bounds_as_open_markers():
    frame = pd.DataFrame(
        {
            "year": [2016, 2017, 2018],
            "transaction_volume_100m_yuan": [34520.0, 49205.0, 29420.0],
            "service_providers_10k": [6000.0, 7000.0, 7500.0],
            "participants_100m": [6.0, 7.0, 7.6],
            "participants_is_lower_bound": [True, True, False],
        }
    )
    twin = plots.sharing_economy(frame).axes[2]
    bounds = [line for line in twin.lines if "lower bound" in line.get_label()]
    assert len(bounds) == 1
    assert list(bounds[0].get_xdata()) == [2016, 2017] and list(bounds[0].get_ydata()) == [6.0, 7.0]
    assert bounds[0].get_markerfacecolor() == "white"


# ---------------------------------------------------------------- audit and robustness figures

PRED = BOOK.predictors


def test_scorecard_plot_bars_are_the_findings_by_kind():
    from ridersurvey.audit import VERDICTS

    score = pd.DataFrame(
        {"identities": [0, 4, 0, 0, 0, 17], "other": [2, 1, 3, 8, 1, 0]}, index=pd.Index(VERDICTS, name="verdict")
    )
    score["findings"] = score["identities"] + score["other"]
    ax = plots.scorecard_plot(score).axes[0]
    order = list(VERDICTS)[::-1]
    solid, hatched = ax.patches[: len(order)], ax.patches[len(order) :]
    assert [p.get_width() for p in solid] == score.loc[order, "identities"].tolist()
    assert [p.get_width() for p in hatched] == score.loc[order, "other"].tolist()
    assert [p.get_x() for p in hatched] == score.loc[order, "identities"].tolist()
    assert matplotlib.colors.to_hex(solid[-1].get_facecolor()) == plots.VERDICT_COLOURS["inconsistent-pair"].lower()
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == "inconsistent pair"


def test_interval_plot_draws_the_three_intervals_and_the_published_coefficients():
    rng = np.random.default_rng(3)
    coef = pd.Series(rng.normal(size=len(PRED)), index=PRED)
    firth = pd.DataFrame(
        {
            "coef_ml": coef,
            "se_ml": rng.uniform(0.2, 0.5, len(PRED)),
            "coef_firth": 0.9 * coef,
            "ci_low_firth": 0.9 * coef - 0.7,
            "ci_high_firth": 0.9 * coef + 0.6,
        }
    )
    boot = pd.DataFrame({"coef": coef, "ci_low": coef - 0.8, "ci_high": coef + 0.9})
    ax = plots.interval_plot(firth, boot).axes[0]
    segments = [c.get_segments() for c in ax.collections if isinstance(c, LineCollection)]
    ends = [np.array([[s[0][0], s[1][0]] for s in segs]) for segs in segments]
    crit = 1.959963984540054
    np.testing.assert_allclose(ends[0], np.column_stack([coef - crit * firth["se_ml"], coef + crit * firth["se_ml"]]))
    np.testing.assert_allclose(ends[1], firth[["ci_low_firth", "ci_high_firth"]].to_numpy())
    np.testing.assert_allclose(ends[2], boot[["ci_low", "ci_high"]].to_numpy())
    crosses = [line for line in ax.lines if line.get_marker() == "x"][0]
    np.testing.assert_allclose(crosses.get_xdata(), table3()["coef"].reindex(PRED))
    assert [t.get_text() for t in ax.get_yticklabels()] == [BOOK[v].label_en for v in PRED]


def test_bootstrap_plot_histograms_hold_the_valid_replicates():
    from ridersurvey.bootstrap import BootstrapResult

    rng = np.random.default_rng(5)
    names = ["const", *PRED]
    replicates = rng.normal(size=(300, len(names)))
    valid = rng.random(300) > 0.1
    result = BootstrapResult(
        names=names,
        estimate=np.zeros(len(names)),
        replicates=replicates,
        valid=valid,
        separated=~valid,
        counts=np.ones((300, 100)),
        seed=0,
        n_boot=300,
    )
    fig = plots.bootstrap_plot(result)
    for ax, var in zip(fig.axes, PRED):
        j = names.index(var)
        assert sum(p.get_height() for p in ax.patches) == valid.sum()
        xs = {round(float(line.get_xdata()[0]), 12) for line in ax.lines}
        lo, hi = np.quantile(replicates[valid, j], [0.025, 0.975])
        assert {round(float(lo), 12), round(float(hi), 12), round(float(table3().loc[var, "coef"]), 12)} <= xs
        assert ax.get_title() == BOOK[var].label_en


def test_power_plot_draws_a_panel_per_odds_ratio_and_a_curve_per_predictor():
    rows = []
    for ratio in (1.5, 2.0):
        for j, var in enumerate(PRED):
            for n in (100, 200, 400):
                rows.append(
                    {"n": n, "odds_ratio": ratio, "variable": var, "power": min(1, 0.1 * j + n / 1000), "mcse": 0.01}
                )
    curve = pd.DataFrame(rows)
    fig = plots.power_plot(curve)
    assert len(fig.axes) == 2
    for ax, ratio in zip(fig.axes, (1.5, 2.0), strict=True):
        lines = [line for line in ax.lines if line.get_marker() == "o"]
        assert len(lines) == len(PRED) and f"{ratio:g} per code step" in ax.get_title()
        for line, var in zip(lines, PRED, strict=True):
            sub = curve[(curve["variable"] == var) & (curve["odds_ratio"] == ratio)]
            assert list(line.get_xdata()) == sub["n"].tolist()
            np.testing.assert_allclose(line.get_ydata(), sub["power"])
            assert line.get_label() == BOOK[var].label_en
        references = [line for line in ax.lines if line.get_marker() != "o"]
        assert [list(line.get_ydata()) for line in references if line.get_linestyle() == "--"] == [[0.8, 0.8]]
