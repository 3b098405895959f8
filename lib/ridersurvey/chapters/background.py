"""The background chapter (``chapters/background.md``): reported figures on the sharing economy and the pilot."""

from __future__ import annotations

from ridersurvey import report as r


def _grouped(x: float, decimals: int = 0) -> r.Text:
    return r.Text(f"{x:,.{decimals}f}".replace("-", r.MINUS))


def facts() -> r.Facts:
    """Every number the background chapter quotes, from ``data/context/`` and the ledger.

    Returns
    -------
    Facts
    """
    from ridersurvey.context import growth_rates, pilot_fact, pilot_facts, sharing_economy_series
    from ridersurvey.published import value

    series = sharing_economy_series()
    year = series.set_index("year")
    volume = growth_rates(series, "transaction_volume_100m_yuan")
    providers = growth_rates(series, "service_providers_10k")
    reported = pilot_facts()
    fact = lambda i: pilot_fact(i, reported)
    out = {
        "se_first_year": r.Text(str(int(series["year"].min()))),
        "se_last_year": r.Text(str(int(series["year"].max()))),
        "se_participants_2020": r.number(year.loc[2020, "participants_100m"], 1),
        "se_participants_2020_persons_m": r.number(year.loc[2020, "participants_100m"] * 100, 0),
        "se_providers_2020": r.number(year.loc[2020, "service_providers_10k"], 0),
        "se_providers_2020_persons_m": r.number(year.loc[2020, "service_providers_10k"] / 100, 0),
        "se_providers_growth_2020": r.number(providers[2020], 1),
        "paper_providers_growth": r.number(value("s1.providers_growth"), 1),
        "paper_expected_growth": r.number(value("s1.expected_growth"), 0),
        "se_volume_2017": _grouped(year.loc[2017, "transaction_volume_100m_yuan"]),
        "se_volume_2018": _grouped(year.loc[2018, "transaction_volume_100m_yuan"]),
        "se_volume_2020": _grouped(year.loc[2020, "transaction_volume_100m_yuan"]),
        "se_volume_2022": _grouped(year.loc[2022, "transaction_volume_100m_yuan"]),
        "se_volume_growth_2021": r.number(volume[2021], 1),
        "se_volume_growth_2022": r.number(volume[2022], 1),
        "se_volume_2020_trn": r.number(year.loc[2020, "transaction_volume_100m_yuan"] / 1e4, 2),
        "se2020_platform_employees_m": r.number(fact("se2020.platform_employees") / 100, 2),
        "se2020_platform_employees_growth": r.number(fact("se2020.platform_employees_growth"), 1),
        "se2020_delivery_share_of_catering": r.number(fact("se2020.delivery_share_of_catering"), 1),
        "pilot_ministries": r.number(fact("pilot.ministries"), 0),
        "pilot_regions": r.number(fact("pilot.regions"), 0),
        "pilot_sectors": r.number(fact("pilot.sectors"), 0),
        "pilot_platforms": r.number(fact("pilot.platforms"), 0),
        "pilot_worker_premium": r.number(fact("pilot.worker_premium"), 0),
        "shanghai_covered_2023": _grouped(fact("shanghai.covered_2023")),
        "shanghai_confirmations_2023": _grouped(fact("shanghai.confirmations_2023")),
        "shanghai_covered_2025_m": r.number(fact("shanghai.covered_2025") / 1e6, 2),
        "national_covered_2023_m": r.number(fact("national.covered_2023") / 1e6, 2),
        "national_confirmations_2023": _grouped(fact("national.confirmations_2023")),
        "national_benefits_paid_2023": r.number(fact("national.benefits_paid_2023"), 0),
        "shanghai_share_of_national_2023": r.number(
            100 * fact("shanghai.covered_2023") / fact("national.covered_2023"), 0
        ),
        "rate2025_ride_hailing": r.number(fact("rate2025.ride_hailing"), 2),
        "rate2025_instant_delivery_low": r.number(fact("rate2025.instant_delivery_low"), 2),
        "rate2025_instant_delivery_high": r.number(fact("rate2025.instant_delivery_high"), 2),
        "rate2025_intra_city_freight": r.number(fact("rate2025.intra_city_freight"), 2),
    }
    return r.Facts(**out)


def pilot_facts_table() -> r.Table:
    """The reported figures on the pilot and the 2020 sharing economy, with their dates and scope."""
    from ridersurvey.context import pilot_facts

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
    return spec.table(
        frame,
        "Reported figures on the occupational-injury protection pilot and on the 2020 sharing economy "
        "(`data/context/pilot_facts.csv`, where the `source` column names the body that reported each). All reached "
        "us through news reports or other secondary accounts.",
        "tbl-pilot-facts",
    )
