"""Validators built from the official schemas vendored in tests/standards/."""

from __future__ import annotations

import functools
import json
from typing import Any

from jsonschema import Draft202012Validator
from lxml import etree

from tests.support.paths import STANDARDS

NITF_NS = "http://iptc.org/std/NITF/2006-10-18/"
G2_NS = "http://iptc.org/std/nar/2006-10-01/"


@functools.cache
def ninjs_validator(version: str) -> Draft202012Validator:
    schema = json.loads((STANDARDS / f"ninjs-schema_{version}.json").read_text())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@functools.cache
def xml_schema(name: str) -> etree.XMLSchema:
    """`newsml-g2` or `nitf`, loaded from its own folder so that its imports resolve beside it."""
    files = {"newsml-g2": "NewsML-G2_2.35-spec-All-Power.xsd", "nitf": "nitf-3-6.xsd"}
    return etree.XMLSchema(etree.parse(str(STANDARDS / "newsml-g2" / files[name])))


def ninjs_errors(item: Any, version: str) -> list[str]:
    errors = sorted(ninjs_validator(version).iter_errors(item), key=lambda e: list(e.path))
    return [f"{list(error.path)}: {error.message}" for error in errors[:5]]


def xml_errors(document: etree._Element, name: str) -> list[str]:
    schema = xml_schema(name)
    if schema.validate(document):
        return []
    return [str(error) for error in list(schema.error_log)[:5]]


def document_errors(body: bytes, format_name: str) -> list[str]:
    """What the official schema of `format_name` finds wrong in `body`; NewsML-G2's NITF body is checked too."""
    if format_name in ("ninjs", "ninjs-2.2"):
        return ninjs_errors(json.loads(body), "3.1" if format_name == "ninjs" else "2.2")
    document = etree.fromstring(body)
    errors = xml_errors(document, format_name)
    if format_name == "newsml-g2":
        # The G2 schema checks foreign content laxly; the NITF schema checks the body strictly.
        for inner in document.iter(f"{{{NITF_NS}}}nitf"):
            errors += xml_errors(etree.fromstring(etree.tostring(inner)), "nitf")
    return errors
