"""The figures draw the numbers they claim to: bar heights, points and intervals are read back from the artists."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection
from matplotlib.patches import Rectangle

from ridersurvey.data.codebook import load_codebook
from ridersurvey.data.ledger import table1_counts, table3
from ridersurvey.model import logit as model
from ridersurvey.presentation import plots

BOOK = load_codebook()


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def bar_heights(ax) -> list[float]:
    return [p.get_height() for p in ax.patches if isinstance(p, Rectangle)]


def test_set_style_uses_the_books_palette():
    plots.set_style()
    cycle = [c["color"] for c in plt.rcParams["axes.prop_cycle"]]
    assert [matplotlib.colors.to_hex(c) for c in cycle] == [c.lower() for c in plots.PALETTE]
    assert plt.rcParams["figure.dpi"] == plots.FIGURE_DPI


# Machado, Oliveira and Fernandes (2009): simulated dichromacy at severity 1, on linear RGB.
DICHROMACY = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}


def cielab(hex_colour: str, vision=None) -> np.ndarray:
    """CIE L*a*b* (D65) of an sRGB colour, as seen with normal vision or through a dichromacy matrix."""
    rgb = np.asarray(matplotlib.colors.to_rgb(hex_colour))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    if vision is not None:
        linear = np.clip(np.asarray(vision) @ linear, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    f = [np.cbrt(t) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz / [0.95047, 1.0, 1.08883]]
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_palette_colours_stay_apart_for_colour_blind_readers_and_none_is_pale():
    """Rule: every pair of palette colours differs by ΔE*ab ≥ 15 with normal vision and with each simulated
    dichromacy, and every colour has L* ≤ 75 (no pale yellow or pink that vanishes on white). Seaborn's
    "colorblind" palette, which the book used before, fails both (ΔE 10.8 under deuteranopia; L* 88)."""
    pale = {c: round(cielab(c)[0]) for c in plots.PALETTE if cielab(c)[0] > 75}
    assert not pale, f"colours too pale on white (L*): {pale}"
    for vision, matrix in {"normal": None, **DICHROMACY}.items():
        seen = [cielab(c, matrix) for c in plots.PALETTE]
        close = [
            (plots.PALETTE[i], plots.PALETTE[j], round(float(np.linalg.norm(seen[i] - seen[j])), 1))
            for i in range(len(seen))
            for j in range(i + 1, len(seen))
            if np.linalg.norm(seen[i] - seen[j]) < 15
        ]
        assert not close, f"{vision}: colours too alike (ΔE < 15): {close}"


def test_item_distributions_bars_are_the_counts_and_dots_the_published_counts(data):
    altered = data.copy()
    altered.loc[altered.index[0], "education"] = 5 if altered.loc[altered.index[0], "education"] != 5 else 4
    fig = plots.item_distributions(altered)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in axes] == [BOOK[v].label_en for v in BOOK.names]
    for ax, var in zip(axes, BOOK.names):
        codes = BOOK[var].codes
        assert [p.get_width() for p in ax.patches if isinstance(p, Rectangle)] == [
            int((altered[var] == c).sum()) for c in codes
        ]
        dots = ax.lines[0].get_xdata()
        assert list(dots) == [table1_counts()[var][c] for c in codes]
        labels = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
        assert labels == [o.en for o in BOOK[var].options]
        assert ax.yaxis_inverted(), "the first answer option is drawn on top"


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
    from ridersurvey.audit.ledger_audit import VERDICTS

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
    from ridersurvey.robustness.bootstrap import BootstrapResult

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
        lines = [line for line in ax.lines if not line.get_label().startswith("_")]
        assert len(lines) == len(PRED) and f"OR {ratio:g} per step" in ax.get_title()
        for line, var in zip(lines, PRED, strict=True):
            sub = curve[(curve["variable"] == var) & (curve["odds_ratio"] == ratio)]
            assert list(line.get_xdata()) == sub["n"].tolist()
            np.testing.assert_allclose(line.get_ydata(), sub["power"])
            assert line.get_label() == BOOK[var].label_en
        references = [line for line in ax.lines if line.get_label().startswith("_")]
        assert [list(line.get_ydata()) for line in references if line.get_linestyle() == "--"] == [[0.8, 0.8]]
        looks = {
            (matplotlib.colors.to_hex(line.get_color()), line.get_marker(), line.get_linestyle()) for line in lines
        }
        assert len({look[:2] for look in looks}) == len(lines), "two curves differ only in line style"


# ---------------------------------------------------------------- legibility of every figure


def _gallery(data) -> dict:
    """Every figure function of the module, drawn from the analysis data or small synthetic inputs."""
    from ridersurvey.reconstruction.envelope import envelope_table
    from ridersurvey.robustness.bootstrap import BootstrapResult

    rng = np.random.default_rng(11)
    res = model.fit_logit(data)
    coef = pd.Series(rng.normal(size=len(PRED)), index=PRED)
    firth = pd.DataFrame(
        {"coef_ml": coef, "se_ml": 0.3, "coef_firth": coef, "ci_low_firth": coef - 1, "ci_high_firth": coef + 1}
    )
    names = ["const", *PRED]
    boot = BootstrapResult(
        names=names,
        estimate=np.zeros(len(names)),
        replicates=rng.normal(size=(200, len(names))),
        valid=np.ones(200, bool),
        separated=np.zeros(200, bool),
        counts=np.ones((200, 100)),
        seed=0,
        n_boot=200,
    )
    sizes = [100, 200, 500, 1000]
    curve = pd.DataFrame(
        [
            {"n": n, "odds_ratio": ratio, "variable": var, "power": min(1.0, n / 1000 + 0.05 * j), "mcse": 0.01}
            for ratio in (1.5, 2.0, 3.0)
            for j, var in enumerate(PRED)
            for n in sizes
        ]
    )
    from ridersurvey.audit.ledger_audit import VERDICTS

    score = pd.DataFrame({"identities": [0, 4, 0, 0, 0, 17], "other": [2, 1, 3, 8, 1, 0]}, index=list(VERDICTS))
    sharing = pd.DataFrame(
        {
            "year": [2016, 2017, 2018, 2019],
            "transaction_volume_100m_yuan": [34520.0, 49205.0, 29420.0, 32828.0],
            "service_providers_10k": [6000.0, 7000.0, 7500.0, 7800.0],
            "participants_100m": [6.0, 7.0, 7.6, 8.0],
        }
    )
    return {
        "item_distributions": lambda: plots.item_distributions(data),
        "forest_plot": lambda: plots.forest_plot(res.coefficients()),
        "roc_plot": lambda: plots.roc_plot(data["unwilling"].to_numpy(), np.asarray(res.predict())),
        "sharing_economy": lambda: plots.sharing_economy(sharing),
        "scorecard_plot": lambda: plots.scorecard_plot(score),
        "interval_plot": lambda: plots.interval_plot(firth, firth.assign(coef=coef, ci_low=coef - 1, ci_high=coef + 1)),
        "bootstrap_plot": lambda: plots.bootstrap_plot(boot),
        "power_plot": lambda: plots.power_plot(curve),
        "envelope_plot": lambda: plots.envelope_plot(envelope_table()),
    }


FIGURES = [
    "item_distributions",
    "forest_plot",
    "roc_plot",
    "sharing_economy",
    "scorecard_plot",
    "interval_plot",
    "bootstrap_plot",
    "power_plot",
    "envelope_plot",
]


def test_the_gallery_covers_every_figure_function():
    drawn = {name for name in dir(plots) if name in FIGURES}
    public = {
        name
        for name, obj in vars(plots).items()
        if callable(obj) and getattr(obj, "__module__", "") == plots.__name__ and not name.startswith("_")
    }
    assert public - {"colours", "set_style"} == set(FIGURES) == drawn


@pytest.mark.parametrize("name", FIGURES)
def test_figure_text_is_large_enough_and_every_panel_is_labelled(data, name):
    """Rule (see the module docstring): the figure is at most MAX_WIDTH_IN wide, drawn at FIGURE_DPI, and no
    text is below MIN_FONT_PT, so at the desktop's 741-px column no text is below 10 px. Every visible panel
    has a y-axis label and an x-axis label (a twin axis shares its partner's x label)."""
    fig = _gallery(data)[name]()
    assert fig.get_dpi() == plots.FIGURE_DPI
    assert fig.get_figwidth() <= plots.MAX_WIDTH_IN + 1e-9
    assert plots.MIN_FONT_PT * 741 / (72 * plots.MAX_WIDTH_IN) >= 10
    small = [
        (t.get_text()[:30], t.get_fontsize())
        for t in fig.findobj(matplotlib.text.Text)
        if t.get_visible() and t.get_text().strip() and t.get_fontsize() < plots.MIN_FONT_PT
    ]
    assert not small, f"{name}: text below {plots.MIN_FONT_PT} pt: {small}"
    panels = [ax for ax in fig.axes if ax.get_visible()]
    for ax in panels:
        twin = any(other is not ax and ax.get_shared_x_axes().joined(ax, other) for other in panels)
        assert ax.get_ylabel(), f"{name}: a panel without a y label ({ax.get_title()!r})"
        assert ax.get_xlabel() or twin, f"{name}: a panel without an x label ({ax.get_title()!r})"


def test_envelope_plot_draws_each_range_and_the_books_value():
    table = pd.DataFrame(
        {
            "statistic": ["se_a", "se_b", "auc", "corr"],
            "label": ["A", "B", "AUC", "A × B"],
            "group": ["standard errors", "standard errors", "fit measures", "correlations"],
            "min": [0.4, 0.5, 0.70, -0.3],
            "max": [0.6, 0.55, 0.85, 0.3],
            "ensemble_min": [0.45, 0.51, 0.74, -0.1],
            "ensemble_max": [0.55, 0.54, 0.80, 0.1],
            "committed": [0.5, 0.52, 0.77, 0.0],
        }
    )
    fig = plots.envelope_plot(table)
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["Standard errors", "Fit measures"]  # no correlations
    se = fig.axes[0]
    envelope, ensemble = [c for c in se.collections if isinstance(c, LineCollection)]
    # rows are drawn top to bottom: the first statistic at y = 1
    assert [tuple(seg[:, 0]) for seg in envelope.get_segments()] == [(0.4, 0.6), (0.5, 0.55)]
    assert [tuple(seg[:, 0]) for seg in ensemble.get_segments()] == [(0.45, 0.55), (0.51, 0.54)]
    assert [seg[0, 1] for seg in envelope.get_segments()] == [1, 0]
    dots = se.lines[0]
    assert list(dots.get_xdata()) == [0.5, 0.52] and list(dots.get_ydata()) == [1, 0]
    assert [t.get_text() for t in se.get_yticklabels()] == ["A", "B"]


def test_chinese_figures_label_in_chinese_with_the_same_numbers(monkeypatch, data):
    from ridersurvey import messages
    from ridersurvey.audit.ledger_audit import VERDICTS

    monkeypatch.setenv(messages.LANGUAGE_VARIABLE, "zh_CN")
    score = pd.DataFrame(
        {"identities": [0, 4, 0, 0, 0, 17], "other": [2, 1, 3, 8, 1, 0]}, index=pd.Index(VERDICTS, name="verdict")
    )
    ax = plots.scorecard_plot(score).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == "不相容的系数–p值对"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("发现数", "判定")
    res = model.fit_logit(data)
    y, p = data["unwilling"].to_numpy(), np.asarray(res.predict())
    roc = plots.roc_plot(y, p).axes[0]
    assert [line.get_label() for line in roc.lines] == ["随机猜测", f"模型（AUC = {model.auc(y, p):.3f}）"]
    assert (roc.get_xlabel(), roc.get_ylabel()) == ("假阳性率（1 − 特异度）", "真阳性率（灵敏度）")


def test_wrap_breaks_chinese_by_column_width():
    label = "对职业伤害保障的了解程度：作为分类变量的联合似然比检验"
    lines = plots._wrap(label, 26).split("\n")
    assert "".join(lines) == label and len(lines) == 3
    assert all(len(line) <= 13 for line in lines)  # 13 wide characters fill 26 columns
    assert [len(line) for line in lines] == [9, 9, 9]  # balanced, not 13 + 13 + 1


def test_wrap_keeps_latin_words_and_punctuation_with_their_neighbours():
    lines = plots._wrap("灵活就业总时间：Firth 惩罚似然比检验", 26).split("\n")
    assert lines == ["灵活就业总时间：", "Firth 惩罚似然比检验"]
    wrapped = plots._wrap("线性编码对分类编码（似然比检验）", 8).split("\n")
    assert len(wrapped) > 1 and not any(line.startswith(("：", "）")) for line in wrapped)


def test_wrap_leaves_text_without_wide_characters_to_textwrap():
    text = "Policy awareness: joint LR test, as categories"
    assert plots._wrap(text, 26) == "Policy awareness: joint LR\ntest, as categories"
