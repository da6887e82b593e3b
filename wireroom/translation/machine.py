"""Machine translation of a document through the configured engines, directly or through a pivot language."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from wireroom.translation.engines.base import Engine, Markup
from wireroom.translation.engines.registry import configured_engines
from wireroom.translation.protect import GlossaryEntry, Token, protect, restore


class NoRoute(Exception):
    """No configured engine reaches the target language from the source, directly or through a pivot."""


@dataclass(frozen=True)
class Hop:
    engine: Engine
    source: str
    target: str


@dataclass(frozen=True)
class Segment:
    text: str
    markup: Markup


@dataclass
class Translated:
    texts: list[str]
    chain: list[dict[str, str]]
    lost: list[list[Token]] = field(default_factory=list)  # per segment, the protected pieces the engines lost


Reach = list[tuple[Engine, set[tuple[str, str]]]]


def _reach(engines: list[Engine] | None) -> Reach:
    # An HTTP engine asks its server for its pairs: once per routing, not once per language.
    return [(engine, engine.pairs()) for engine in (configured_engines() if engines is None else engines)]


def route(source: str, target: str, *, engines: list[Engine] | None = None, pivots: list[str] | None = None,
          reach: Reach | None = None) -> list[Hop]:
    """The shortest chain of engines from source to target: direct first, else through a pivot, in order."""
    pivots = settings.ENV["WIREROOM_TRANSLATION_PIVOTS"] if pivots is None else pivots
    pairs = _reach(engines) if reach is None else reach

    def first(a: str, b: str) -> Engine | None:
        return next((engine for engine, reach in pairs if (a, b) in reach), None)

    direct = first(source, target)
    if direct is not None:
        return [Hop(direct, source, target)]
    for pivot in pivots:
        if pivot in (source, target):
            continue
        there, onward = first(source, pivot), first(pivot, target)
        if there is not None and onward is not None:
            return [Hop(there, source, pivot), Hop(onward, pivot, target)]
    raise NoRoute(f"No translation engine reaches {target} from {source}.")


def reachable(source: str, targets: list[str], *, engines: list[Engine] | None = None) -> dict[str, bool]:
    reach = _reach(engines)
    found = {}
    for target in targets:
        try:
            route(source, target, reach=reach)
            found[target] = True
        except NoRoute:
            found[target] = False
    return found


def translate(segments: list[Segment], *, source: str, target: str, glossary: list[GlossaryEntry],
              hops: list[Hop] | None = None) -> Translated:
    """Translate a document's segments as one batch per hop and markup, keeping what must not change."""
    hops = route(source, target) if hops is None else hops
    protected = [protect(segment.text, markup=segment.markup, glossary=glossary) for segment in segments]
    texts = [item.text for item in protected]
    for hop in hops:
        markups: tuple[Markup, ...] = ("html", "text")
        for markup in markups:
            indexes = [i for i, segment in enumerate(segments) if segment.markup == markup and texts[i].strip()]
            if not indexes:
                continue
            out = hop.engine.translate([texts[i] for i in indexes], source=hop.source, target=hop.target,
                                       markup=markup)
            for i, text in zip(indexes, out, strict=True):
                texts[i] = text
    restored = [restore(text, item) for text, item in zip(texts, protected, strict=True)]
    chain = [{"engine": hop.engine.name, "version": hop.engine.version(source=hop.source, target=hop.target),
              "source": hop.source, "target": hop.target} for hop in hops]
    return Translated(texts=[item.text for item in restored], chain=chain, lost=[item.lost for item in restored])
