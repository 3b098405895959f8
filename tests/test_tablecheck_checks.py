"""tablecheck.checks: every check on both sides and at the rounding edge, against formulas and grid searches
over the printed numbers' rounding intervals (written without the package's interval logic)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import stats

from tablecheck import checks as K
from tablecheck.printed import exact, parse_printed
from tablecheck.verdicts import Check, Verdict

P = parse_printed
OK, BAD, UNV = Verdict.CONSISTENT, Verdict.INCONSISTENT, Verdict.UNVERIFIABLE
Z95 = stats.norm.ppf(0.975)


def grid(text: str, k: int = 41) -> np.ndarray:
    """Points across a printed number's rounding interval, ends included."""
    v = float(text.replace("\u2212", "-"))
    d = len(text.split(".")[1]) if "." in text else 0
    h = 0.5 * 10.0**-d
    return np.linspace(v - h, v + h, k)


def inside(x, text: str, tol: float = 1e-12) -> bool:
    v = float(text.replace("\u2212", "-"))
    d = len(text.split(".")[1]) if "." in text else 0
    return abs(x - v) <= 0.5 * 10.0**-d + tol


# ------------------------------------------------------------------------------------------- OR and exp(b)


@pytest.mark.parametrize(
    ("b", "odds", "expected"),
    [
        ("1.671", "5.317", OK),  # exp(1.671) = 5.3172
        ("0.35", "1.43", OK),  # exp(0.35) = 1.419 prints as 1.42, but exp(0.355) = 1.4262 prints as 1.43
        ("0.35", "1.44", BAD),  # exp(0.355) = 1.4262 < 1.435
        ("\u22120.766", "2.152", BAD),  # exp(-0.766) = 0.4649: the sign is flipped
        ("\u22120.766", "0.465", OK),
    ],
)
def test_or_against_exp_b(b, odds, expected):
    finding = K.check_or_vs_b("x", P(b), P(odds))
    brute = any(inside(math.exp(x), odds) for x in grid(b, 2001))
    assert finding.verdict is expected and (expected is OK) == brute
    assert finding.check is Check.OR_VS_B


def test_a_flipped_sign_is_named():
    assert "sign is flipped" in K.check_or_vs_b("x", P("-0.766"), P("2.152")).detail
    assert "sign" not in K.check_or_vs_b("x", P("0.35"), P("1.44")).detail


# ------------------------------------------------------------------------------------------- CI and b, SE


def brute_ci(b, se, lo, hi, k=161):
    """Some (b, SE) on a grid over their rounding intervals give both printed CI limits."""
    for bb, ss in itertools.product(grid(b, k), grid(se, k)):
        if inside(math.exp(bb - Z95 * ss), lo, 1e-9) and inside(math.exp(bb + Z95 * ss), hi, 1e-9):
            return True
    return False


@pytest.mark.parametrize(
    ("b", "se", "lo", "hi", "expected"),
    [
        ("1.671", "0.421", "2.331", "12.130", OK),
        ("0.537", "0.400", "0.781", "3.750", OK),
        ("0.537", "0.400", "0.781", "3.800", BAD),  # the upper limit is off
        ("0.537", "0.300", "0.781", "3.750", BAD),  # a CI of another SE
        ("0.54", "0.40", "0.78", "3.76", OK),  # two decimals: exp(0.54 + 1.96 0.40) = 3.757 within 3.755-3.765
        ("\u22120.766", "0.357", "1.068", "4.335", BAD),  # fits +0.766
    ],
)
def test_ci_against_b_and_se(b, se, lo, hi, expected):
    finding = K.check_ci_vs_b_se("x", P(b), P(se), P(lo), P(hi))
    assert finding.verdict is expected
    assert brute_ci(b, se, lo, hi) == (expected is OK)


def test_ci_rounding_edge_needs_b_and_se_together():
    # b = 0.500, SE = 0.200: the lower limit 1.116 needs b high and SE low, the upper 2.437 needs b low and SE
    # low; each limit alone is attainable, both together are not (b - 1.96 SE >= log 1.1155 and
    # b + 1.96 SE <= log 2.4375 need SE <= 0.19940, below 0.1995)
    b, se = grid("0.500", 201), grid("0.200", 201)
    lows = [math.exp(x - Z95 * y) for x in b for y in se]
    highs = [math.exp(x + Z95 * y) for x in b for y in se]
    assert any(inside(v, "1.116") for v in lows) and any(inside(v, "2.437") for v in highs)
    assert not brute_ci("0.500", "0.200", "1.116", "2.437", 201)
    assert K.check_ci_vs_b_se("x", P("0.500"), P("0.200"), P("1.116"), P("2.437")).verdict is BAD
    assert K.check_ci_vs_b_se("x", P("0.500"), P("0.200"), P("1.115"), P("2.437")).verdict is OK


def test_ci_level_changes_the_multiplier():
    b, se = 0.4, 0.2
    z90 = stats.norm.ppf(0.95)
    lo, hi = f"{math.exp(b - z90 * se):.3f}", f"{math.exp(b + z90 * se):.3f}"
    assert K.check_ci_vs_b_se("x", P("0.400"), P("0.200"), P(lo), P(hi), level=0.90).verdict is OK
    assert K.check_ci_vs_b_se("x", P("0.400"), P("0.200"), P(lo), P(hi), level=0.95).verdict is BAD


def test_ci_from_the_or_when_b_is_not_printed():
    finding = K.check_ci_vs_b_se("x", None, P("0.421"), P("2.331"), P("12.130"), odds_ratio=P("5.317"))
    assert finding.verdict is OK


# ------------------------------------------------------------------------------------------- CI contains OR


@pytest.mark.parametrize(
    ("odds", "lo", "hi", "expected"),
    [
        ("2.152", "1.068", "4.335", OK),
        ("0.90", "1.01", "1.60", BAD),
        ("1.00", "1.00", "1.02", OK),  # the OR printed equal to a limit
        ("0.995", "1.00", "1.60", OK),  # 0.9955 and 0.995 meet at the rounding edge
        ("0.994", "1.00", "1.60", BAD),  # 0.9945 < 0.995
    ],
)
def test_ci_contains_its_or(odds, lo, hi, expected):
    finding = K.check_ci_contains_or("x", P(odds), P(lo), P(hi))
    brute = any(o >= x - 1e-12 for o in grid(odds) for x in grid(lo)) and any(
        o <= x + 1e-12 for o in grid(odds) for x in grid(hi)
    )
    assert finding.verdict is expected and brute == (expected is OK)


# ------------------------------------------------------------------------------------------- z and b / SE


@pytest.mark.parametrize(
    ("b", "se", "z", "wald", "expected"),
    [
        ("1.671", "0.421", None, "15.769", OK),
        ("0.112", "0.508", None, "0.048", OK),  # sqrt(0.0475..0.0485) meets 0.112/0.508 = 0.2205 at the edge
        ("0.112", "0.508", None, "0.060", BAD),
        ("-0.817", "0.240", "-3.40", None, OK),
        ("-0.817", "0.240", "3.40", None, BAD),  # opposite signs
        ("-0.817", "0.240", "-3.50", None, BAD),
    ],
)
def test_z_or_wald_against_b_over_se(b, se, z, wald, expected):
    finding = K.check_z_vs_b_se("x", P(b), P(se), P(z) if z else None, P(wald) if wald else None)
    assert finding.verdict is expected
    ratios = [abs(x) / s for x in grid(b) for s in grid(se)]
    if wald:
        brute = any(inside(r * r, wald, 1e-9) for r in np.linspace(min(ratios), max(ratios), 4001))
    else:
        brute = float(b) * float(z) > 0 and any(
            inside(r, z.lstrip("-"), 1e-9) for r in np.linspace(min(ratios), max(ratios), 4001)
        )
    assert brute == (expected is OK)


# ------------------------------------------------------------------------------------------- p and z


@pytest.mark.parametrize(
    ("p", "z", "expected"),
    [
        ("0.024", "2.255", OK),
        ("0.025", "2.255", BAD),  # 2 Phi(-2.2555..2.2545) = 0.02409..0.02415
        ("0.000", "3.971", OK),  # SPSS's 0.000 means below 0.0005
        ("<0.001", "3.971", OK),
        ("<0.001", "3.00", BAD),
        ("0.05", "1.96", OK),
    ],
)
def test_p_against_z(p, z, expected):
    finding = K.check_p_vs_z("x", P(p), K.z_source(P(z), None, None, None)[0])
    pr = P(p).clipped(0, 1)
    brute = any(pr[0] - 1e-12 <= 2 * stats.norm.sf(x) <= pr[1] + 1e-12 for x in grid(z, 2001))
    assert finding.verdict is expected and brute == (expected is OK)


def test_p_from_b_and_se_when_no_z_is_printed():
    z_abs, source = K.z_source(None, None, P("0.537"), P("0.400"))
    assert source == "b/SE" and z_abs == pytest.approx((0.5365 / 0.4005, 0.5375 / 0.3995))
    assert K.check_p_vs_z("x", P("0.180"), z_abs, source).verdict is OK
    assert K.check_p_vs_z("x", P("0.080"), z_abs, source).verdict is BAD


# ------------------------------------------------------------------------------------------- stars


def test_legend_is_read_and_checked():
    legend = K.parse_legend("*=0.05,**=0.01")
    assert legend.thresholds == (0.05, 0.01) and legend.stars(0.003) == 2 and legend.stars(0.05) == 0
    for bad in ("*=0.01,**=0.05", "**=0.01", "a=0.05", "*0.05"):
        with pytest.raises(ValueError):
            K.parse_legend(bad)


@pytest.mark.parametrize(
    ("stars", "p", "expected"),
    [
        (1, "0.013", OK),
        (2, "0.013", BAD),
        (2, "0.000", OK),
        (0, "0.050", OK),  # 0.0495..0.0505: zero or one star
        (1, "0.050", OK),
        (1, "0.05", OK),
        (0, "0.04", BAD),
    ],
)
def test_stars_against_p(stars, p, expected):
    legend = K.Legend((0.05, 0.01))
    finding = K.check_stars_vs_p("x", stars, P(p).clipped(0, 1), legend)
    pts = np.clip(grid(p, 2001), 0, 1)
    brute = any(sum(x < t for t in (0.05, 0.01)) == stars for x in pts)
    assert finding.verdict is expected and brute == (expected is OK)


def test_stars_the_legend_does_not_define_are_inconsistent():
    finding = K.check_stars_vs_p("x", 3, P("0.003").clipped(0, 1), K.Legend((0.05, 0.01)))
    assert finding.verdict is BAD and "at most 2" in finding.detail


# ------------------------------------------------------------------------------------------- SE and p floors


def test_se_against_its_floor():
    # floor = 2 / (sd sqrt(n - 1)) with the SD at the top of its interval
    floor = 2 / (0.5005 * math.sqrt(99))
    assert K.check_se_vs_floor("x", P(f"{floor + 0.001:.3f}"), P("0.500"), 100).verdict is OK
    assert K.check_se_vs_floor("x", P(f"{floor - 0.002:.3f}"), P("0.500"), 100).verdict is BAD
    edge = f"{floor - 0.0004:.3f}"  # prints below the floor, but its interval reaches it
    expected = OK if float(edge) + 0.0005 >= floor else BAD
    assert K.check_se_vs_floor("x", P(edge), P("0.500"), 100).verdict is expected


def p_floor_oracle(b: str, p: str, sd: str, n: int) -> tuple[float, bool]:
    """The smallest p over the box and whether the printed p's interval reaches it (formula, no package)."""
    b_top = abs(float(b.replace("\u2212", "-"))) + 0.5 * 10.0 ** -len(b.split(".")[1])
    sd_top = float(sd) + 0.5 * 10.0 ** -len(sd.split(".")[1])
    z = b_top * sd_top * math.sqrt(n - 1) / 2
    floor = 2 * stats.norm.sf(z)
    return floor, float(p) + 0.5 * 10.0 ** -len(p.split(".")[1]) >= floor


@pytest.mark.parametrize(
    ("b", "p", "sd", "expected"),
    [
        ("\u22120.011", "0.006", "1.248", BAD),  # Wu's policy awareness: p >= 0.89 for any data
        ("0.031", "0.019", "0.502", BAD),
        ("0.900", "0.006", "1.248", OK),
        ("0.500", "0.212", "0.600", OK),
    ],
)
def test_p_against_b_alone(b, p, sd, expected):
    finding = K.check_p_vs_b("x", P(b), P(p), P(sd), 100)
    floor, ok = p_floor_oracle(b, p, sd, 100)
    assert finding.verdict is expected and ok == (expected is OK)
    assert finding.values["p_floor"] == pytest.approx(floor)
    assert "one linearly entered predictor" in finding.detail and "SD with denominator n - 1" in finding.detail
    assert ("not ruled out by the floor" in finding.detail) is (expected is OK)
    assert "can stand" not in finding.detail


def test_p_against_b_at_the_rounding_edge():
    # the floor of b = 0.100, SD = 1.000, n = 101 is 0.6151...; a p printed as 0.615 lies below it, but its
    # interval reaches 0.6155, so the floor allows it; 0.614 (up to 0.6145) cannot
    floor = 2 * stats.norm.sf(0.1005 * 1.0005 * 10 / 2)
    edge = math.floor(floor * 1000) / 1000
    assert edge < floor <= edge + 0.0005
    assert K.check_p_vs_b("x", P("0.100"), P(f"{edge:.3f}"), P("1.000"), 101).verdict is OK
    assert K.check_p_vs_b("x", P("0.100"), P(f"{edge - 0.001:.3f}"), P("1.000"), 101).verdict is BAD


def test_p_against_b_reports_what_would_rescue_the_pair():
    finding = K.check_p_vs_b("x", P("-0.011"), P("0.006"), P("1.248"), 100)
    z = stats.norm.isf(0.0065 / 2)
    assert finding.values["b_needed"] == pytest.approx(z * 2 / (1.2485 * math.sqrt(99)))
    assert finding.values["n_needed"] == math.ceil(1 + (2 * z / (0.0115 * 1.2485)) ** 2)
    assert finding.values["se_floor"] == pytest.approx(2 / (1.2485 * math.sqrt(99)))


def test_p_against_b_with_a_frequency_table_and_without_an_sd():
    sd = K.sd_exact_from_counts([(1, 40), (2, 60)])
    assert sd.interval[0] == sd.interval[1] == pytest.approx(np.repeat([1, 2], [40, 60]).std(ddof=1))
    assert K.check_p_vs_b("x", P("0.500"), P("0.500"), sd, 100).verdict is OK
    assert K.check_p_vs_b("x", P("0.100"), P("0.500"), sd, 100).verdict is BAD
    assert K.check_p_vs_b("x", P("0.100"), P("0.500"), None, 100).verdict is UNV
    assert K.check_p_vs_b("x", P("0.100"), P("0.500"), P("0.5"), None).verdict is UNV


def test_p_bound_is_read_as_its_top():
    # <0.001 beside b = 0.2 with SD 0.5 and n = 100: the floor is 2 Phi(-0.2005 0.5005 sqrt(99) / 2) = 0.52
    assert K.check_p_vs_b("x", P("0.200"), P("<0.001"), P("0.500"), 100).verdict is BAD
    assert K.check_p_vs_b("x", P("2.000"), P("<0.001"), P("0.500"), 100).verdict is OK


# ------------------------------------------------------------------------------------------- granularity


def test_granularity_findings_on_both_sides():
    assert K.check_grim("m", P("1.08"), 17).verdict is BAD
    assert K.check_grim("m", P("1.06"), 17).verdict is OK
    assert K.check_grim("m", P("1.08"), 100).verdict is UNV
    assert K.check_grimmer("m", P("3.00"), P("2.500"), 12, 1, 5).verdict is BAD
    assert K.check_debit("m", P("0.30"), P("0.502"), 100).verdict is BAD
    assert K.check_debit("m", P("0.30"), P("0.461"), 100).verdict is OK
    assert K.check_count_vs_percent("c", 12, 37, P("32.4")).verdict is OK  # 32.43
    finding = K.check_count_vs_percent("c", 12, 37, P("32.5"))
    assert finding.verdict is BAD and "counts that print so: none" in finding.detail
    assert K.check_count_vs_percent("c", 1, 8, P("12.5")).verdict is OK  # exact half at the edge of 12 and 13
    assert K.check_count_vs_percent("c", 1, 8, P("13")).verdict is OK
    assert K.check_count_vs_percent("c", 1, 8, P("12")).verdict is OK


def test_every_check_is_registered():
    assert set(K.REGISTRY) == set(Check)


def test_exact_values_have_a_point_interval():
    assert exact(0.25).interval == (0.25, 0.25)
