"""Every format validates against its official schema, for releases in all 15 languages, in every state."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from lxml import etree

from tests.support.factories import HEADLINES, every_language
from tests.support.standards import G2_NS, NITF_NS, document_errors
from wireroom.formats.registry import format_names, get_format
from wireroom.releases.models import Release

G2 = {"g": G2_NS}
NITF = {"n": NITF_NS}


def _render(release: Release, format_name: str, language: str | None = None, action: str | None = None) -> bytes:
    return get_format(format_name).render(release=release, version=None, language=language, action=action)


def test_the_four_formats_are_registered_with_their_media_types() -> None:
    assert format_names() == ["ninjs", "newsml-g2", "ninjs-2.2", "nitf"]
    assert {name: (get_format(name).media_type, get_format(name).extension, get_format(name).version)
            for name in format_names()} == {
        "ninjs": ("application/ninjs+json", "json", "3.1"),
        "ninjs-2.2": ("application/ninjs+json", "json", "2.2"),
        "newsml-g2": ("application/vnd.iptc.g2.newsitem+xml", "xml", "2.35"),
        "nitf": ("application/nitf+xml", "xml", "3.6"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("format_name", ["ninjs", "ninjs-2.2", "newsml-g2", "nitf"])
def test_each_schema_rejects_a_broken_document(make_release: Callable[..., Release], format_name: str) -> None:
    body = _render(make_release("published"), format_name)
    assert document_errors(body, format_name) == []
    if format_name.startswith("ninjs"):
        broken = json.loads(body)
        broken["pubStatus" if format_name == "ninjs" else "pubstatus"] = "live"
        broken["unknownField"] = 1
        bad = json.dumps(broken).encode()
    else:
        document = etree.fromstring(body)
        # The item's first required element goes: itemClass in NewsML-G2, body in NITF.
        first = document.find("g:itemMeta/g:itemClass", G2) if format_name == "newsml-g2" else \
            document.find("n:body", NITF)
        assert first is not None
        first.getparent().remove(first)
        bad = etree.tostring(document)
    assert document_errors(bad, format_name)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["press_release", "third_party_article"])
@pytest.mark.parametrize("state", ["draft", "scheduled", "published", "corrected", "withdrawn"])
def test_every_format_validates_in_all_fifteen_languages(make_release: Callable[..., Release], state: str,
                                                          kind: str) -> None:
    release = make_release(state, kind=kind, **every_language())
    for format_name in ("ninjs", "ninjs-2.2"):
        item = _render(release, format_name)
        assert document_errors(item, format_name) == []
        associations = json.loads(item)["associations"]
        assert sorted(association["language"] for association in associations) == sorted(set(HEADLINES) - {"ar"})
    for format_name in ("newsml-g2", "nitf"):
        for tag in HEADLINES:
            assert document_errors(_render(release, format_name, tag), format_name) == [], (format_name, tag)


@pytest.mark.django_db
@pytest.mark.parametrize("action", [None, "withdraw"])
def test_a_withdrawn_release_is_canceled_in_every_format(make_release: Callable[..., Release],
                                                        action: str | None) -> None:
    release = make_release("withdrawn")
    assert json.loads(_render(release, "ninjs", action=action))["pubStatus"] == "canceled"
    assert json.loads(_render(release, "ninjs-2.2", action=action))["pubstatus"] == "canceled"
    g2 = etree.fromstring(_render(release, "newsml-g2", action=action))
    assert g2.find("g:itemMeta/g:pubStatus", G2).get("qcode") == "stat:canceled"
    nitf = etree.fromstring(_render(release, "nitf", action=action))
    assert nitf.find("n:head/n:docdata", NITF).get("management-status") == "canceled"


@pytest.mark.django_db
def test_a_correction_is_signalled_with_its_note(make_release: Callable[..., Release]) -> None:
    release = make_release("corrected")
    note = "Fixed the plant's capacity."
    assert json.loads(_render(release, "ninjs", action="correct"))["edNote"] == note
    assert json.loads(_render(release, "ninjs-2.2", action="correct"))["ednote"] == note
    g2 = etree.fromstring(_render(release, "newsml-g2", action="correct"))
    assert g2.find("g:itemMeta/g:signal", G2).get("qcode") == "sig:correction"
    assert g2.findtext("g:itemMeta/g:edNote", namespaces=G2) == note
    nitf = etree.fromstring(_render(release, "nitf", action="correct"))
    assert nitf.find("n:head/n:docdata/n:correction", NITF).get("info") == note
    published = etree.fromstring(_render(make_release("published"), "newsml-g2", action="publish"))
    assert published.find("g:itemMeta/g:signal", G2) is None


@pytest.mark.django_db
def test_the_embargo_is_in_the_item_meta_and_a_scheduled_version_goes_out_usable(
    make_release: Callable[..., Release],
) -> None:
    release = make_release("scheduled")
    assert release.embargo_at is not None
    second = release.embargo_at.isoformat().replace("+00:00", "Z")
    as_it_stands = etree.fromstring(_render(release, "newsml-g2"))
    assert as_it_stands.findtext("g:itemMeta/g:embargoed", namespaces=G2) == second
    assert as_it_stands.find("g:itemMeta/g:pubStatus", G2).get("qcode") == "stat:withheld"
    going_out = etree.fromstring(get_format("newsml-g2").render(release=release, version=1, language=None,
                                                                action="publish"))
    assert going_out.find("g:itemMeta/g:pubStatus", G2).get("qcode") == "stat:usable"
    assert going_out.get("version") == "1"
    nitf = etree.fromstring(_render(release, "nitf"))
    assert nitf.find("n:head/n:docdata/n:date.release", NITF).get("norm") == release.embargo_at.strftime(
        "%Y%m%dT%H%M%SZ")


@pytest.mark.django_db
def test_newsml_g2_items_are_linked_as_translations_and_declare_their_schemes(
    make_release: Callable[..., Release],
) -> None:
    release = make_release("published", **every_language())
    original = etree.fromstring(_render(release, "newsml-g2", "ar"))
    assert original.get("guid") == f"{release.urn}:ar"
    assert original.find("g:itemMeta/g:link", G2) is None
    declared = {scheme.get("alias") for scheme in original.iterfind("g:catalog/g:scheme", G2)}
    qcodes = {element.get("qcode").split(":")[0] for element in original.iter() if element.get("qcode")}
    assert qcodes <= declared
    for tag in set(HEADLINES) - {"ar"}:
        translation = etree.fromstring(_render(release, "newsml-g2", tag))
        link = translation.find("g:itemMeta/g:link", G2)
        assert (link.get("rel"), link.get("residref")) == ("irel:translatedFrom", f"{release.urn}:ar")
        assert translation.find("g:contentMeta/g:language", G2).get("tag") == tag
        assert translation.findtext("g:contentMeta/g:headline", namespaces=G2) == HEADLINES[tag]


@pytest.mark.django_db
def test_subjects_are_media_topics_and_editorial_slots_are_none(make_release: Callable[..., Release]) -> None:
    release = make_release("published", sectors=["top-story", "daily-news", "energy", "business-economy"])
    ninjs = json.loads(_render(release, "ninjs"))
    assert [subject["uri"] for subject in ninjs["subjects"]] == [
        "http://cv.iptc.org/newscodes/mediatopic/04000000", "http://cv.iptc.org/newscodes/mediatopic/20000256"]
    assert [subject["literal"] for subject in ninjs["subjects"]] == ["business-economy", "energy"]
    g2 = etree.fromstring(_render(release, "newsml-g2"))
    assert [subject.get("qcode") for subject in g2.iterfind("g:contentMeta/g:subject[@type='cpnat:abstract']", G2)] \
        == ["medtop:04000000", "medtop:20000256"]
    slots_only = make_release("published", sectors=["top-story", "daily-news"])
    assert "subjects" not in json.loads(_render(slots_only, "ninjs"))


@pytest.mark.django_db
@pytest.mark.parametrize("format_name", ["newsml-g2", "nitf"])
def test_the_xml_bodies_carry_the_wire_anatomy(make_release: Callable[..., Release], format_name: str) -> None:
    release = make_release("published", kind="third_party_article", sectors=["energy"], **{
        key: value for key, value in every_language().items() if key != "sectors"})
    document = etree.fromstring(_render(release, format_name, "en"))
    nitf = document if format_name == "nitf" else document.find("g:contentSet/g:inlineXML/n:nitf", G2 | NITF)
    assert nitf is not None
    content = nitf.find("n:body/n:body.content", NITF)
    assert content is not None
    classes = [paragraph.get("class") for paragraph in content.iterfind("n:p", NITF)]
    assert classes[0] == "lede" and classes[-3:] == ["disclaimer", "sectors", "boilerplate"]
    text = "".join(content.itertext())
    assert "(Wireroom) –" in text
    assert "independent content provider" in text
    assert "Sectors: Energy" in text
    assert "60,000 m³" in text and "A quote." in text and "2027 | 60,000" in text
    assert content.find("n:p/n:a", NITF).get("href") == "https://example.com/p"
    assert nitf.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert "Human translation from Arabic" in "".join(nitf.find("n:body/n:body.head/n:note", NITF).itertext())


@pytest.mark.django_db
@pytest.mark.parametrize("format_name", ["newsml-g2", "nitf"])
def test_characters_xml_cannot_carry_are_dropped_not_a_crash(make_release: Callable[..., Release],
                                                             format_name: str) -> None:
    release = make_release("published")
    # Written straight to the table, as older data or another writer might have left it.
    release.localizations.filter(language_id="ar").update(headline="عنوان\x0cمع\x01محرف",
                                                           body_html="<p>نص\x1b<a href=\"https://e.x/\x08\">r</a></p>")
    release.dateline = "دبي\x0b"
    release.save(update_fields=["dateline"])
    body = _render(Release.objects.get(pk=release.pk), format_name, "ar")
    assert document_errors(body, format_name) == []
    assert "عنوانمعمحرف" in body.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("acceptance", "label"), [("unreviewed", "machine translation, unreviewed"),
                                                    ("accepted", "machine translation")])
def test_a_machine_translation_is_labelled_with_its_engine_chain_in_newsml_g2(
        make_release: Callable[..., Release], acceptance: str, label: str) -> None:
    release = make_release("published", **every_language())
    release.localizations.filter(language_id="pt").update(
        origin="machine", engine="apertium via es", issuer_acceptance=acceptance,
        engine_chain=[{"engine": "apertium", "version": "3.8.3", "source": "en", "target": "es"},
                      {"engine": "apertium", "version": "3.8.3", "source": "es", "target": "pt"}])
    body = _render(release, "newsml-g2", "pt")
    assert document_errors(body, "newsml-g2") == []
    item = etree.fromstring(body)
    source = item.find("g:contentMeta/g:digitalSourceType", G2)
    assert source.get("qcode") == "dst:algorithmicMedia"
    assert source.findtext("g:name", namespaces=G2) == label
    assert item.findtext("g:contentMeta/g:creditline", namespaces=G2) == (
        f"{label.capitalize()}: apertium 3.8.3 (en→es), apertium 3.8.3 (es→pt)")
    written = etree.fromstring(_render(release, "newsml-g2", "de"))
    assert written.find("g:contentMeta/g:digitalSourceType", G2) is None
    assert written.find("g:contentMeta/g:creditline", G2) is None
