"""Names of languages, countries and regions in each of the wire's languages, from CLDR (through babel).

The taxonomy tables keep English names; clients that show them in another language read these. The markets
CLDR has no name for (GCC, ASEAN, …) are named here.
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError

from wireroom.taxonomy.loader import FIRST_CLASS

# UN M49 areas (and CLDR's own groupings) that CLDR names, for the regions the loader makes.
REGION_TERRITORIES = {
    "africa": "002", "asia": "142", "europe": "150", "north-america": "003", "south-america": "005",
    "oceania": "009", "antarctica": "AQ", "eu": "EU", "latin-america": "419",
}

MARKET_LABELS: dict[str, dict[str, str]] = {
    "mena": {
        "en": "Middle East and North Africa", "ko": "중동·북아프리카", "ja": "中東・北アフリカ",
        "ar": "الشرق الأوسط وشمال أفريقيا", "zh-Hans": "中东和北非", "zh-Hant": "中東和北非",
        "vi": "Trung Đông và Bắc Phi", "th": "ตะวันออกกลางและแอฟริกาเหนือ", "id": "Timur Tengah dan Afrika Utara",
        "ms": "Timur Tengah dan Afrika Utara", "de": "Naher Osten und Nordafrika",
        "ru": "Ближний Восток и Северная Африка", "fr": "Moyen-Orient et Afrique du Nord",
        "es": "Oriente Medio y Norte de África", "pt": "Oriente Médio e Norte da África"},
    "gcc": {
        "en": "Gulf Cooperation Council", "ko": "걸프협력회의", "ja": "湾岸協力会議", "ar": "مجلس التعاون الخليجي",
        "zh-Hans": "海湾合作委员会", "zh-Hant": "海灣合作委員會", "vi": "Hội đồng Hợp tác Vùng Vịnh",
        "th": "คณะมนตรีความร่วมมือรัฐอ่าวอาหรับ", "id": "Dewan Kerja Sama Teluk", "ms": "Majlis Kerjasama Teluk",
        "de": "Golf-Kooperationsrat", "ru": "Совет сотрудничества стран Залива",
        "fr": "Conseil de coopération du Golfe", "es": "Consejo de Cooperación del Golfo",
        "pt": "Conselho de Cooperação do Golfo"},
    "asean": {
        "en": "Southeast Asia (ASEAN)", "ko": "동남아시아(아세안)", "ja": "東南アジア（ASEAN）",
        "ar": "جنوب شرق آسيا (آسيان)", "zh-Hans": "东南亚（东盟）", "zh-Hant": "東南亞（東協）",
        "vi": "Đông Nam Á (ASEAN)", "th": "เอเชียตะวันออกเฉียงใต้ (อาเซียน)", "id": "Asia Tenggara (ASEAN)",
        "ms": "Asia Tenggara (ASEAN)", "de": "Südostasien (ASEAN)", "ru": "Юго-Восточная Азия (АСЕАН)",
        "fr": "Asie du Sud-Est (ASEAN)", "es": "Sudeste Asiático (ASEAN)", "pt": "Sudeste Asiático (ASEAN)"},
    "greater-china": {
        "en": "Greater China", "ko": "중화권", "ja": "大中華圏", "ar": "الصين الكبرى", "zh-Hans": "大中华区",
        "zh-Hant": "大中華區", "vi": "Đại Trung Hoa", "th": "เกรตเตอร์ไชนา", "id": "Tiongkok Raya",
        "ms": "China Raya", "de": "Großchina", "ru": "Большой Китай", "fr": "Grande Chine", "es": "Gran China",
        "pt": "Grande China"},
    "dach": {
        "en": "Germany, Austria and Switzerland", "ko": "독일·오스트리아·스위스", "ja": "ドイツ・オーストリア・スイス",
        "ar": "ألمانيا والنمسا وسويسرا", "zh-Hans": "德国、奥地利和瑞士", "zh-Hant": "德國、奧地利和瑞士",
        "vi": "Đức, Áo và Thụy Sĩ", "th": "เยอรมนี ออสเตรีย และสวิตเซอร์แลนด์", "id": "Jerman, Austria, dan Swiss",
        "ms": "Jerman, Austria dan Switzerland", "de": "Deutschland, Österreich und Schweiz",
        "ru": "Германия, Австрия и Швейцария", "fr": "Allemagne, Autriche et Suisse",
        "es": "Alemania, Austria y Suiza", "pt": "Alemanha, Áustria e Suíça"},
    "cis": {
        "en": "Commonwealth of Independent States", "ko": "독립국가연합", "ja": "独立国家共同体",
        "ar": "رابطة الدول المستقلة", "zh-Hans": "独立国家联合体", "zh-Hant": "獨立國家國協",
        "vi": "Cộng đồng các Quốc gia Độc lập", "th": "เครือรัฐเอกราช",
        "id": "Persemakmuran Negara-Negara Merdeka", "ms": "Komanwel Negara-Negara Merdeka",
        "de": "Gemeinschaft Unabhängiger Staaten", "ru": "Содружество Независимых Государств",
        "fr": "Communauté des États indépendants", "es": "Comunidad de Estados Independientes",
        "pt": "Comunidade dos Estados Independentes"},
}


@cache
def _locale(tag: str) -> Locale:
    return Locale.parse(tag, sep="-")


def language_labels(code: str, fallback: str) -> dict[str, str]:
    """The language `code` (BCP 47) named in each of the wire's languages."""
    try:
        language = _locale(code)
    except (UnknownLocaleError, ValueError):
        return dict.fromkeys(FIRST_CLASS, fallback)
    return {tag: language.get_display_name(_locale(tag)) or fallback for tag in FIRST_CLASS}


def territory_labels(code: str, fallback: str) -> dict[str, str]:
    """A country (ISO 3166-1 alpha-2) or UN M49 area named in each of the wire's languages."""
    return {tag: _locale(tag).territories.get(code) or fallback for tag in FIRST_CLASS}


def region_labels(slug: str, fallback: str) -> dict[str, str]:
    if slug in MARKET_LABELS:
        return MARKET_LABELS[slug]
    if slug in REGION_TERRITORIES:
        return territory_labels(REGION_TERRITORIES[slug], fallback)
    return dict.fromkeys(FIRST_CLASS, fallback)
