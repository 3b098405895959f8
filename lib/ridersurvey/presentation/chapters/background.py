"""The background chapter (``chapters/background.md``): reported figures on the sharing economy and the pilot."""

from __future__ import annotations

from ridersurvey.data import ledger_ids as ids
from ridersurvey.data.context import growth_rates, pilot_fact, pilot_facts, sharing_economy_series
from ridersurvey.data.ledger import value
from ridersurvey.presentation import report as r


def _grouped(x: float, decimals: int = 0) -> r.Text:
    return r.Text(f"{x:,.{decimals}f}".replace("-", r.MINUS))


def sharing_economy_results() -> r.Facts:
    """The sharing economy's reported size and growth (``data/context/sharing_economy.csv`` and the 2020
    figures of ``pilot_facts.csv``), beside the paper's figures."""
    series = sharing_economy_series()
    year = series.set_index("year")
    volume = growth_rates(series, "transaction_volume_100m_yuan")
    providers = growth_rates(series, "service_providers_10k")
    return r.Facts(
        se_first_year=str(int(series["year"].min())),
        se_last_year=str(int(series["year"].max())),
        se_participants_2020=r.number(year.loc[2020, "participants_100m"], 1),
        se_participants_2020_persons_m=r.number(year.loc[2020, "participants_100m"] * 100, 0),
        se_providers_2020=r.number(year.loc[2020, "service_providers_10k"], 0),
        se_providers_2020_persons_m=r.number(year.loc[2020, "service_providers_10k"] / 100, 0),
        se_providers_growth_2020=r.number(providers[2020], 1),
        paper_providers_growth=r.number(value(ids.PROVIDERS_GROWTH), 1),
        paper_expected_growth=r.number(value(ids.EXPECTED_GROWTH), 0),
        **{f"se_volume_{y}": _grouped(year.loc[y, "transaction_volume_100m_yuan"]) for y in (2017, 2018, 2020, 2022)},
        se_volume_growth_2021=r.number(volume[2021], 1),
        se_volume_growth_2022=r.number(volume[2022], 1),
        se_volume_2020_trn=r.number(year.loc[2020, "transaction_volume_100m_yuan"] / 1e4, 2),
        se2020_platform_employees_m=r.number(pilot_fact("se2020.platform_employees") / 100, 2),
        se2020_platform_employees_growth=r.number(pilot_fact("se2020.platform_employees_growth"), 1),
        se2020_delivery_share_of_catering=r.number(pilot_fact("se2020.delivery_share_of_catering"), 1),
    )


def pilot_results() -> r.Facts:
    """The pilot's reported scope, coverage and per-order rates (``data/context/pilot_facts.csv``)."""
    reported = pilot_facts()
    fact = lambda i: pilot_fact(i, reported)
    return r.Facts(
        **{f"pilot_{k}": r.number(fact(f"pilot.{k}"), 0) for k in ("ministries", "regions", "sectors", "platforms")},
        pilot_worker_premium=r.number(fact("pilot.worker_premium"), 0),
        shanghai_covered_2023=_grouped(fact("shanghai.covered_2023")),
        shanghai_confirmations_2023=_grouped(fact("shanghai.confirmations_2023")),
        shanghai_covered_2025_m=r.number(fact("shanghai.covered_2025") / 1e6, 2),
        national_covered_2023_m=r.number(fact("national.covered_2023") / 1e6, 2),
        national_confirmations_2023=_grouped(fact("national.confirmations_2023")),
        national_benefits_paid_2023=r.number(fact("national.benefits_paid_2023"), 0),
        shanghai_share_of_national_2023=r.number(
            100 * fact("shanghai.covered_2023") / fact("national.covered_2023"), 0
        ),
        **{
            f"rate2025_{k}": r.number(fact(f"rate2025.{k}"), 2)
            for k in ("ride_hailing", "instant_delivery_low", "instant_delivery_high", "intra_city_freight")
        },
    )


def pilot_facts_table(caption: str, name: str) -> r.Table:
    """The reported figures on the pilot and the 2020 sharing economy, with their dates and scope."""
    frame = pilot_facts()
    spec = r.TableSpec(
        [
            r.Column("description", "Figure"),
            r.Column("value", "Value", lambda v: f"{v:,.10g}".replace("-", r.MINUS)),
            r.Column("unit", "Unit"),
            r.Column("as_of", "As of"),
            r.Column("scope", "Scope"),
        ]
    )
    return spec.table(frame, caption, name)
