"""Flights are priced from the patient's home region to each destination: a Spanish patient flies long-haul
to China and inside Europe to Germany, a Mexican patient very long-haul to China; the line says from which
region, the fare is the pack's labelled estimate for that band, and the coordinator's change to it counts.

Runs on the shipped pack (its ``flight_return_<band>`` defaults); the frozen fixture pack has none, and its
one fare from anywhere still applies (tests/planning/test_estimate.py)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from babel import Locale

from planning.estimate import Item, estimate
from planning.travel_regions import BANDS, REGION_OF, REGIONS, band_item, distance_km, flight_band, region_of
from tests.planning.test_costs_follow_patient import PACK, RAW_COSTS, lines, patient
from tests.planning.test_estimate import SHIPPED, expected

NOT_COUNTRIES = {"AC", "AQ", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
"""Babel territories that are no country a patient holds the nationality of (or have no flights to price):
Antarctica, Clipperton, the EU and UN, Babel's pseudo-regions, ..."""


@pytest.mark.parametrize(
    ("home", "destination", "band"),
    [
        ("ES", "DE", "regional"),  # inside Europe
        ("RU", "DE", "regional"),
        ("GB", "DE", "regional"),
        ("CA", "US", "regional"),
        ("JP", "CN", "regional"),
        ("MX", "US", "neighbouring"),
        ("SA", "DE", "neighbouring"),
        ("KZ", "CN", "neighbouring"),
        ("IN", "CN", "neighbouring"),
        ("ES", "CN", "long_haul"),
        ("GB", "US", "long_haul"),
        ("BR", "DE", "long_haul"),
        ("MX", "CN", "very_long_haul"),
        ("US", "CN", "very_long_haul"),
        ("SA", "US", "very_long_haul"),
    ],
)
def test_the_band_of_a_journey(home: str, destination: str, band: str) -> None:
    assert flight_band(home, destination) == band


def test_spain_and_mexico_to_china_are_different_bands_and_spain_to_germany_stays_in_europe() -> None:
    assert flight_band("ES", "CN") != flight_band("MX", "CN")
    assert region_of("ES").area == region_of("DE").area == "europe"  # type: ignore[union-attr]
    assert region_of("ES").key != region_of("DE").key  # type: ignore[union-attr]  # M49: Southern, Western


def test_every_country_has_one_region_and_bands_are_symmetric() -> None:
    territories = {code for code in Locale("en").territories if len(code) == 2 and code.isalpha()}
    assert territories - NOT_COUNTRIES <= set(REGION_OF)
    listed = [code for region in REGIONS for code in region.countries.split()]
    assert len(listed) == len(set(listed))  # no country in two regions
    for a in REGIONS:
        for b in REGIONS:
            assert distance_km(a, b) == pytest.approx(distance_km(b, a))
    assert flight_band(None, "CN") is None and flight_band("AQ", "CN") is None
    assert flight_band("es", "CN") == "long_haul"


def flights(nationality: str | None, destination: str, companions: int = 1, currency: str = "USD") -> Item:
    case = patient(nationality, "en", destination, companions, currency)
    (option, *_rest) = estimate(case, PACK).options
    return lines(option)["flights"]


@pytest.mark.parametrize("destination", ["CN", "DE", "US", "GB"])
def test_every_destination_has_a_labelled_estimate_per_band(destination: str) -> None:
    for band in BANDS:
        cost = RAW_COSTS[(destination, band_item(band))]
        assert cost["estimate"] is True and cost["source"] == "careplan_defaults"  # no sourced fare by route
        assert "estimate" in cost["label"]["en"]
    fares = [Decimal(RAW_COSTS[(destination, band_item(band))]["high"]) for band in BANDS]
    assert fares == sorted(fares) and len(set(fares)) == len(fares)  # farther costs more


@pytest.mark.parametrize("currency", ["USD", "EUR"])
def test_a_spanish_and_a_mexican_patient_pay_different_flights_to_china(currency: str) -> None:
    spain, mexico = flights("ES", "CN", 1, currency), flights("MX", "CN", 1, currency)
    assert (spain.low, spain.high) != (mexico.low, mexico.high)
    assert spain.high < mexico.high
    for item, country, band in ((spain, "CN", "long_haul"), (mexico, "CN", "very_long_haul")):
        cost = RAW_COSTS[(country, band_item(band))]
        assert (item.low, item.high) == (
            expected(Decimal(cost["low"]) * 2, cost["currency"], currency, SHIPPED),
            expected(Decimal(cost["high"]) * 2, cost["currency"], currency, SHIPPED),
        )
        assert item.estimate
    assert spain.label == "Return flights for 2 people from Southern Europe"
    assert (spain.origin, mexico.origin) == ("Southern Europe", "Central America")
    assert mexico.label == "Return flights for 2 people from Central America"
    assert "Southern Europe to Eastern Asia: long-haul" in spain.basis and "Spain" in spain.basis
    assert "Central America to Eastern Asia: very long-haul" in mexico.basis


def test_spain_to_germany_is_a_flight_inside_europe() -> None:
    item = flights("ES", "DE", 0)
    cost = RAW_COSTS[("DE", "flight_return_regional")]
    assert (item.low, item.high) == (Decimal(cost["low"]), Decimal(cost["high"]))
    assert item.label == "Return flights for 1 person from Southern Europe"
    assert "within the region" in item.basis
    assert item.high < flights("ES", "CN", 0).high


def test_without_a_known_home_region_the_one_fare_from_anywhere_applies() -> None:
    cost = RAW_COSTS[("CN", "flight_return")]
    for nationality in (None, "AQ"):
        item = flights(nationality, "CN", 0)
        assert (item.low, item.high) == (Decimal(cost["low"]), Decimal(cost["high"]))
        assert item.label == "Return flights for 1 person" and item.estimate
    assert "nationality not recorded" in flights(None, "CN").basis
    assert "one fare from anywhere" in flights("AQ", "CN").basis
    assert flights(None, "CN").origin == ""  # the table's row then just says "Flights"


def test_the_coordinators_fare_for_a_band_is_used() -> None:
    """Coordinator edits reach the estimate as changed assumptions (db.knowledge_reader.costs_in_force)."""
    costs = [
        dataclasses.replace(c, low=Decimal(2000), high=Decimal(2500))
        if (c.country, c.item) == ("CN", "flight_return_very_long_haul")
        else c
        for c in PACK.cost_defaults
    ]
    case = patient("MX", "es", "CN", 0)
    (option, *_rest) = estimate(case, PACK, costs=costs).options
    assert (lines(option)["flights"].low, lines(option)["flights"].high) == (Decimal(2000), Decimal(2500))
    (option, *_rest) = estimate(patient("ES", "es", "CN", 0), PACK, costs=costs).options
    assert lines(option)["flights"].high == Decimal(RAW_COSTS[("CN", "flight_return_long_haul")]["high"])


def test_the_json_names_the_region_flown_from() -> None:
    record = estimate(patient("ES", "es", "CN", 0), PACK).to_json()
    (line,) = [i for i in record["options"][0]["items"] if i["label"].startswith("Return flights")]
    assert line["from_region"] == "Southern Europe" and line["estimate"] is True
