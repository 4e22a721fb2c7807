"""Where a patient flies from: world regions of countries and the flight band between two of them.

The regions are the UN M49 sub-regions (https://unstats.un.org/unsd/methodology/m49/), with two changes
for air travel: Sub-Saharan Africa is split into M49's intermediate regions (Eastern, Middle, Southern and
Western Africa), and Melanesia, Micronesia and Polynesia are one region, the Pacific Islands. Babel ships no
M49 table, so the countries (ISO 3166-1 alpha-2) are listed here.

A return flight is priced by its band, from the patient's home region to the destination's:

- ``regional``: within the same region, or within Europe (Spain to Germany is a flight inside Europe);
- ``neighbouring``: the regions' centres are under 5,000 km apart (Mexico to the United States, Saudi
  Arabia to Germany);
- ``long_haul``: under 10,000 km (Spain to China, Brazil to Germany);
- ``very_long_haul``: farther (Mexico to China, the United States to China).

The centres are rough points near each region's main air hubs, in degrees; the distance between them is
the great-circle distance. The fares of each band are in the pack's cost defaults (``flight_return_<band>``,
coordinator-editable; estimates where no fare is sourced). Pure Python.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from planning.i18n import N_

BANDS = ("regional", "neighbouring", "long_haul", "very_long_haul")
NEIGHBOURING_KM = 5000
"""Regions whose centres are closer than this are neighbours (a medium-haul flight)."""
LONG_HAUL_KM = 10000
"""Regions whose centres are farther apart than this are a very long-haul flight (usually with a connection)."""
BAND_WORDS = {
    "regional": N_("within the region"),
    "neighbouring": N_("neighbouring region, medium-haul"),
    "long_haul": N_("long-haul"),
    "very_long_haul": N_("very long-haul, usually with a connection"),
}
"""Each band in words (translate with ``_`` where shown)."""


@dataclass(frozen=True)
class Region:
    key: str
    name: str
    """The region's name in English, marked for translation (``_(region.name)`` where shown)."""
    area: str
    """Regions of one area are one band (``regional``): the four regions of Europe."""
    latitude: float
    longitude: float
    countries: str
    """ISO 3166-1 alpha-2 codes, separated by spaces."""


REGIONS = (
    Region(
        "northern_europe",
        N_("Northern Europe"),
        "europe",
        57,
        8,
        "AX DK EE FI FO GB GG IE IM IS JE LT LV NO SE SJ",
    ),
    Region("western_europe", N_("Western Europe"), "europe", 49, 6, "AT BE CH DE FR LI LU MC NL"),
    Region(
        "southern_europe",
        N_("Southern Europe"),
        "europe",
        41,
        9,
        "AD AL BA ES GI GR HR IT ME MK MT PT RS SI SM VA XK",
    ),
    Region("eastern_europe", N_("Eastern Europe"), "europe", 52, 30, "BG BY CZ HU MD PL RO RU SK UA"),
    Region("northern_america", N_("Northern America"), "northern_america", 40, -90, "BM CA GL PM US"),
    Region("central_america", N_("Central America"), "central_america", 17, -92, "BZ CR GT HN MX NI PA SV"),
    Region(
        "caribbean",
        N_("the Caribbean"),
        "caribbean",
        19,
        -72,
        "AG AI AW BB BL BQ BS CU CW DM DO GD GP HT JM KN KY LC MF MQ MS PR SX TC TT VC VG VI",
    ),
    Region(
        "south_america",
        N_("South America"),
        "south_america",
        -15,
        -58,
        "AR BO BR BV CL CO EC FK GF GS GY PE PY SR UY VE",
    ),
    Region("eastern_asia", N_("Eastern Asia"), "eastern_asia", 34, 118, "CN HK JP KP KR MN MO TW"),
    Region(
        "south_eastern_asia",
        N_("South-eastern Asia"),
        "south_eastern_asia",
        8,
        108,
        "BN ID KH LA MM MY PH SG TH TL VN",
    ),
    Region("southern_asia", N_("Southern Asia"), "southern_asia", 24, 75, "AF BD BT IN IO IR LK MV NP PK"),
    Region("central_asia", N_("Central Asia"), "central_asia", 43, 67, "KG KZ TJ TM UZ"),
    Region(
        "western_asia",
        N_("Western Asia"),
        "western_asia",
        30,
        44,
        "AE AM AZ BH CY GE IL IQ JO KW LB OM PS QA SA SY TR YE",
    ),
    Region("northern_africa", N_("Northern Africa"), "northern_africa", 29, 12, "DZ EG EH LY MA SD TN"),
    Region(
        "eastern_africa",
        N_("Eastern Africa"),
        "eastern_africa",
        -5,
        37,
        "BI DJ ER ET KE KM MG MU MW MZ RE RW SC SO SS TF TZ UG YT ZM ZW",
    ),
    Region("middle_africa", N_("Middle Africa"), "middle_africa", 0, 18, "AO CD CF CG CM GA GQ ST TD"),
    Region("southern_africa", N_("Southern Africa"), "southern_africa", -27, 25, "BW LS NA SZ ZA"),
    Region(
        "western_africa",
        N_("Western Africa"),
        "western_africa",
        10,
        -2,
        "BF BJ CI CV GH GM GN GW LR ML MR NE NG SH SL SN TG",
    ),
    Region(
        "australia_new_zealand", N_("Australia and New Zealand"), "australia_new_zealand", -32, 150, "AU CC CX HM NF NZ"
    ),
    Region(
        "pacific_islands",
        N_("the Pacific Islands"),
        "pacific_islands",
        -12,
        170,
        "AS CK FJ FM GU KI MH MP NC NR NU PF PG PN PW SB TK TO TV UM VU WF WS",
    ),
)
REGION_OF = {code: region for region in REGIONS for code in region.countries.split()}
"""Each country's region, by ISO 3166-1 alpha-2 code."""


def region_of(country: str | None) -> Region | None:
    """The region of ``country`` (ISO 3166-1 alpha-2), or None where it is not known (or not given)."""
    return REGION_OF.get((country or "").upper())


def distance_km(a: Region, b: Region) -> float:
    """The great-circle distance between two regions' centres, in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def flight_band(home: str | None, destination: str) -> str | None:
    """The band of a return flight from the country ``home`` to ``destination`` (one of ``BANDS``), or None
    when either country's region is not known."""
    start, end = region_of(home), region_of(destination)
    if start is None or end is None:
        return None
    if start.area == end.area:
        return "regional"
    km = distance_km(start, end)
    if km < NEIGHBOURING_KM:
        return "neighbouring"
    return "long_haul" if km < LONG_HAUL_KM else "very_long_haul"


def band_item(band: str) -> str:
    """The cost default holding the fare of ``band``: ``flight_return_long_haul``."""
    return f"flight_return_{band}"
