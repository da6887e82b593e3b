from __future__ import annotations

from typing import Any

from django import template

from wireroom.media.models import ReleaseImage, StoredImage
from wireroom.media.pictures import picture

register = template.Library()


@register.inclusion_tag("media/picture.html")
def stored_picture(image: StoredImage, alt: str, sizes: str = "100vw", css_class: str = "") -> dict[str, Any]:
    return {"picture": picture(image), "alt": alt, "sizes": sizes, "css_class": css_class}


@register.filter
def alt_text(image: ReleaseImage, language: str) -> str:
    """The image's alternative text in `language`, else in the release's original language."""
    return image.alt_in(language, image.release.original_language_id)
