"""What a page needs to show a stored image in a `<picture>`: WebP first, then the upload's own format, each
with its widths in a srcset, and the widest rendition in the upload's format as the fallback `<img>`."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from wireroom.media.models import StoredImage


@dataclass(frozen=True)
class Picture:
    sources: list[tuple[str, str]]  # (content type, srcset)
    src: str
    width: int
    height: int


def picture(image: StoredImage) -> Picture:
    by_type: dict[str, list[str]] = {}
    for rendition in image.renditions:
        url = reverse("media:image", args=[image.key, rendition["name"]])
        by_type.setdefault(rendition["type"], []).append(f"{url} {rendition['width']}w")
    own = [r for r in image.renditions if r["type"] != "image/webp"] or image.renditions
    widest = own[-1]
    return Picture(sources=[(kind, ", ".join(entries)) for kind, entries in by_type.items()],
                   src=reverse("media:image", args=[image.key, widest["name"]]),
                   width=int(widest["width"]), height=int(widest["height"]))
