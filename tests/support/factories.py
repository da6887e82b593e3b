"""Test data made through the real services (or the plain models where no service exists yet)."""

from __future__ import annotations

from typing import Any

from wireroom.accounts.models import Membership, Organization, OrganizationKind, Role, User
from wireroom.mediadb.models import Contact, ContactLanguage, ContactStatus, Outlet, OutletType
from wireroom.releases import services
from wireroom.taxonomy.models import Country, Sector


def member(org: Organization, username: str, role: Role) -> Membership:
    # No password: hashing one per test would cost more than the test itself.
    user = User.objects.create(username=username, email=f"{username}@example.com")
    return Membership.objects.create(user=user, organization=org, role=role)


def release_input(**overrides: Any) -> services.ReleaseInput:
    values: dict[str, Any] = {
        "kind": "press_release",
        "original_language": "ar",
        "sectors": ["top-story", "daily-news"],
        "countries": ["AE", "SA"],
        "languages": ["ar", "en"],
        "dateline": "دبي",
        "localizations": [
            services.LocalizationInput(
                language="ar", headline="نهر للطاقة تفتتح محطة تحلية تعمل بالطاقة الشمسية",
                summary="المحطة الجديدة تنتج مياه الشرب لخمسين ألف منزل.",
                body_html="<p>أعلنت شركة نهر للطاقة اليوم تشغيل محطتها الجديدة.</p>"
                "<p>تعمل المحطة بالكامل بالطاقة الشمسية.</p>",
            ),
            services.LocalizationInput(
                language="en", headline="Nahr Energy opens a solar-powered desalination plant",
                summary="The new plant makes drinking water for fifty thousand homes.",
                body_html="<p>Nahr Energy today switched on its new plant.</p><p>It runs wholly on solar power.</p>",
                origin="human", translated_from="ar", translator="Layla Haddad",
            ),
        ],
    }
    values.update(overrides)
    return services.ReleaseInput(**values)


# One headline per first-class language (the wire's own sample text), for releases that carry all fifteen.
HEADLINES = {
    "en": "Nahr Energy opens a solar-powered desalination plant",
    "ko": "나흐르 에너지, 태양광 담수화 시설 가동",
    "ja": "ナフル・エナジー、太陽光で動く淡水化プラントを開設",
    "ar": "نهر للطاقة تفتتح محطة تحلية تعمل بالطاقة الشمسية",
    "zh-Hans": "纳赫尔能源启用太阳能海水淡化厂",
    "zh-Hant": "納赫爾能源啟用太陽能海水淡化廠",
    "vi": "Nahr Energy khánh thành nhà máy khử mặn chạy bằng điện mặt trời",
    "th": "นาห์ร เอนเนอร์ยี เปิดโรงกลั่นน้ำทะเลพลังงานแสงอาทิตย์",
    "id": "Nahr Energy meresmikan pabrik desalinasi bertenaga surya",
    "ms": "Nahr Energy membuka loji penyahgaraman berkuasa suria",
    "de": "Nahr Energy eröffnet solarbetriebene Entsalzungsanlage",
    "ru": "Nahr Energy открывает опреснительную станцию на солнечной энергии",
    "fr": "Nahr Energy inaugure une usine de dessalement solaire",
    "es": "Nahr Energy inaugura una planta desalinizadora solar",
    "pt": "Nahr Energy inaugura usina de dessalinização solar",
}
# Every structure the sanitizer lets through, so each format's body conversion meets them all.
RICH_BODY = (
    "<p>{headline}: <strong>60,000 m³</strong> a day, <em>solar</em> and <a href=\"https://example.com/p\">more</a>"
    "<br>second line<sup>1</sup></p><h2>Figures</h2><ul><li>45 MW</li><li><b>120</b> MWh</li></ul>"
    "<ol><li><p>first</p></li></ol><blockquote><p>A quote.</p></blockquote>"
    "<table><caption>Output</caption><thead><tr><th>Year</th><th>m³</th></tr></thead>"
    "<tbody><tr><td>2027</td><td>60,000</td></tr></tbody></table><hr><pre>code  block</pre>"
    "<figure><figcaption>A caption</figcaption></figure>loose <q>text</q> <span lang=\"en\">end</span>"
)


def every_language() -> dict[str, Any]:
    """Overrides of `release_input` for a release in Arabic translated into the other fourteen first-class
    languages, machine and human translations alternating."""
    localizations = []
    for position, (tag, headline) in enumerate(HEADLINES.items()):
        translated = tag != "ar"
        localizations.append(services.LocalizationInput(
            language=tag, headline=headline, summary=headline + ".", body_html=RICH_BODY.format(headline=headline),
            origin=("machine" if position % 2 else "human") if translated else "author",
            translated_from="ar" if translated else None,
            engine="apertium" if translated and position % 2 else "",
            translator="Layla Haddad" if translated and not position % 2 else "",
        ))
    return {"languages": list(HEADLINES), "localizations": localizations,
            "sectors": ["top-story", "energy", "renewable-energy", "business-economy"]}


def demo_sample(key: str) -> dict[str, Any]:
    """Overrides of `release_input` for one of the demo's sample releases (real copy in its own language)."""
    from wireroom.demo.sample_releases import SAMPLE_RELEASES

    sample = next(sample for sample in SAMPLE_RELEASES if sample["key"] == key)
    fields = ("kind", "original_language", "sectors", "countries", "regions", "languages", "dateline", "contacts")
    overrides: dict[str, Any] = {field: sample[field] for field in fields}  # type: ignore[literal-required]
    overrides["localizations"] = [services.LocalizationInput(**loc) for loc in sample["localizations"]]
    return overrides


def contact(name: str, *, beats: tuple[str, ...] = ("top-story",), countries: tuple[str, ...] = ("AE",),
            languages: tuple[str, ...] = ("ar",), status: str = ContactStatus.ACTIVE, consent: bool = True,
            outlet: Outlet | None = None) -> Contact:
    person = Contact.objects.create(name=name, email=f"{name.lower()}@example.com", status=status, consent=consent,
                                    outlet=outlet)
    person.beats.set(Sector.objects.filter(slug__in=beats))
    person.countries.set(Country.objects.filter(code__in=countries))
    for rank, tag in enumerate(languages, start=1):
        ContactLanguage.objects.create(contact=person, language_id=tag, rank=rank)
    return person


def readers(count: int, *, language: str = "ar") -> None:
    """`count` consenting contacts who read `language`, made in bulk (fan-out and fault tests)."""
    people = Contact.objects.bulk_create(
        (Contact(name=f"Reader {n}", email=f"reader{n}@example.com", consent=True) for n in range(count)),
        batch_size=2000)
    ContactLanguage.objects.bulk_create(
        (ContactLanguage(contact=person, language_id=language, rank=1) for person in people), batch_size=2000)


def outlet_with_member(name: str, username: str, *, kind: OrganizationKind = OrganizationKind.MEDIA_OUTLET,
                       country: str = "AE") -> tuple[Outlet, Membership]:
    """An outlet (or terminal partner) linked to its organization, and one member who signs in for it."""
    slug = username.lower().replace("_", "-") + "-org"
    organization = Organization.objects.create(name=name, slug=slug, kind=kind)
    outlet = Outlet.objects.create(name=name, type=OutletType.TERMINAL_PARTNER if kind ==
                                   OrganizationKind.TERMINAL_PARTNER else OutletType.ONLINE,
                                   country_id=country, organization=organization)
    return outlet, member(organization, username, Role.OUTLET_MEMBER)
