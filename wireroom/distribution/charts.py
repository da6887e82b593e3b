"""The report's charts, drawn on the server by matplotlib as SVG that is placed in the page itself.

The content security policy refuses inline styles, and matplotlib writes every colour as a `style` attribute
(and one `<style>` element). Each declaration is moved to the SVG presentation attribute of the same name,
which is markup, not style, so the charts keep their colours under the policy, in the page and in the PDF,
without JavaScript.
"""

from __future__ import annotations

import functools
import io
import threading
from dataclasses import dataclass
from typing import Any

import matplotlib
from lxml import etree
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

SVG = "http://www.w3.org/2000/svg"
INK, BAR, GRID = "#1a1a1a", "#0b57d0", "#d9d9d4"
# Text stays text, laid out by the browser or WeasyPrint with the report's fonts (matplotlib's font-family is
# dropped, so the text takes the page's, chosen for its language). matplotlib only measures it to place it: labels
# are codes (AE, zh-Hans), but an axis title is in the reader's language, so the fonts that measure it fall back
# to the Noto fonts of every script `make` installs.
RC: Any = {"svg.fonttype": "none", "svg.hashsalt": "wireroom", "font.size": 9, "axes.edgecolor": INK,
           "axes.labelcolor": INK, "xtick.color": INK, "ytick.color": INK,
           "font.family": ["DejaVu Sans", "Noto Sans Arabic", "Noto Sans CJK JP", "Noto Sans Thai"]}
# matplotlib's global state (rcParams) is not thread-safe; the web server renders in several threads.
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str


def _presentation(svg_text: str, prefix: str, title: str) -> str:
    """matplotlib's SVG without styles, its ids prefixed (several charts share one page), and titled."""
    root = etree.fromstring(svg_text.encode(), etree.XMLParser(resolve_entities=False, no_network=True))
    for element in root.iter(f"{{{SVG}}}style"):
        element.getparent().remove(element)
    for element in root.iter(f"{{{SVG}}}metadata"):
        element.getparent().remove(element)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        style = element.attrib.pop("style", None)
        for declaration in (style or "").split(";"):
            name, _, value = declaration.partition(":")
            if name.strip() and value.strip():
                element.set(name.strip(), value.strip())
        if "id" in element.attrib:
            element.set("id", f"{prefix}-{element.get('id')}")
        for attribute in ("clip-path", "{http://www.w3.org/1999/xlink}href"):
            value = element.get(attribute)
            if value and value.startswith("url(#"):
                element.set(attribute, f"url(#{prefix}-{value[5:]}")
            elif value and value.startswith("#"):
                element.set(attribute, f"#{prefix}-{value[1:]}")
    for element in root.iter():
        if isinstance(element.tag, str):
            element.attrib.pop("font-family", None)
    # Axes run left to right whatever the page's direction: in a right-to-left page the text would inherit `rtl`,
    # which turns each label's anchor around (the country codes would start under their bars).
    root.set("direction", "ltr")
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    root.set("role", "img")
    root.set("class", "chart")
    root.set("aria-labelledby", f"{prefix}-title")
    heading = etree.Element(f"{{{SVG}}}title", id=f"{prefix}-title")
    heading.text = title
    root.insert(0, heading)
    # Sized by the page's stylesheet, drawn to its viewBox.
    for attribute in ("width", "height"):
        root.attrib.pop(attribute, None)
    return str(etree.tostring(root, encoding="unicode"))


def _draw(figure: Figure, prefix: str, title: str) -> Chart:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    return Chart(title=title, svg=_presentation(buffer.getvalue(), prefix, title))


def _figure(height: float) -> Figure:
    return Figure(figsize=(6.4, height), facecolor="white")


# Drawing takes matplotlib some 70 ms a chart; the same figures draw the same chart, so a report whose numbers have
# not moved since it was last drawn (a finished distribution) is drawn from here.
@functools.lru_cache(maxsize=96)
def delivered_over_time(points: tuple[tuple[float, int], ...], *, title: str, xlabel: str, prefix: str) -> Chart:
    """Copies handed off, counted up, against the seconds since the embargo."""
    with _LOCK, matplotlib.rc_context(RC):
        figure = _figure(2.6)
        axes = figure.add_subplot()
        xs = [0.0, *(x for x, _ in points)]
        ys = [0, *(y for _, y in points)]
        # Held to the right edge (at least a second), so a fan-out that took a fraction of a second still shows.
        xs.append(max(xs[-1] * 1.05, 1.0))
        ys.append(ys[-1])
        axes.step(xs, ys, where="post", color=BAR, linewidth=1.5)
        axes.fill_between(xs, ys, step="post", color=BAR, alpha=0.15, linewidth=0)
        axes.set_xlabel(xlabel)
        axes.set_xlim(left=0)
        axes.set_ylim(bottom=0)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.grid(axis="y", color=GRID, linewidth=0.6)
        axes.spines[["top", "right"]].set_visible(False)
        return _draw(figure, prefix, title)


@functools.lru_cache(maxsize=96)
def bars(labels: tuple[str, ...], values: tuple[int, ...], *, title: str, prefix: str) -> Chart:
    """Horizontal bars, the largest on top: copies handed off by country or by language."""
    with _LOCK, matplotlib.rc_context(RC):
        figure = _figure(0.6 + 0.28 * max(len(labels), 1))
        axes = figure.add_subplot()
        axes.barh(list(reversed(labels)), list(reversed(values)), color=BAR)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.grid(axis="x", color=GRID, linewidth=0.6)
        axes.set_axisbelow(True)
        axes.spines[["top", "right"]].set_visible(False)
        return _draw(figure, prefix, title)
