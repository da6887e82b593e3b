"""Reading an upload with Pillow and making what the wire keeps of it: the format checked from the bytes (never
from the name or the declared type), the size and the decoded dimensions bounded before decoding, the picture
turned upright and re-encoded without its metadata (EXIF with GPS positions, PNG text chunks, XMP), and
renditions at a few widths in WebP and in the upload's own format."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from typing import IO

from PIL import Image, ImageOps, UnidentifiedImageError

from wireroom.lib.errors import InvalidInput, TooLarge

FORMATS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp"}
CONTENT_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp"}
WIDTHS = (320, 800, 1600)
QUALITY = 85


@dataclass
class Processed:
    format: str
    width: int
    height: int
    # File name → bytes; the renditions describe them for the pages (narrowest first).
    files: dict[str, bytes] = field(default_factory=dict)
    renditions: list[dict[str, str | int]] = field(default_factory=list)


def _read(upload: IO[bytes], max_bytes: int) -> bytes:
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TooLarge(f"The image is larger than {max_bytes // 1_000_000 or 1} MB.", details={"field": "image"})
    if not data:
        raise InvalidInput("The file is empty.", details={"field": "image"})
    return data


def _too_many_pixels(width: int, height: int, max_pixels: int) -> InvalidInput:
    return InvalidInput(f"The image is {width}×{height} pixels; at most {max_pixels:,} pixels are accepted.",
                        details={"field": "image", "problem": "pixels"})


def _opened(data: bytes, max_pixels: int) -> tuple[Image.Image, str]:
    unreadable = InvalidInput("This file is not a JPEG, PNG or WebP image that can be read.",
                              details={"field": "image"})
    try:
        with warnings.catch_warnings():
            # Pillow's own guard (Image.MAX_IMAGE_PIXELS) warns above its limit and refuses above twice it;
            # both are refusals here, and the wire's setting is checked from the header before decoding.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
            width, height = image.size
            if width * height > max_pixels:
                raise _too_many_pixels(width, height, max_pixels)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput("The image has more pixels than can be decoded safely.",
                           details={"field": "image", "problem": "pixels"}) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise unreadable from None
    return image, FORMATS[image.format or ""]


def _clean(image: Image.Image, kind: str) -> Image.Image:
    # The orientation the camera recorded is applied to the pixels, since the tag that said it is dropped.
    upright = ImageOps.exif_transpose(image)
    if kind == "jpeg":
        mode = "RGB"
    else:
        mode = "RGBA" if upright.mode in ("RGBA", "LA", "P", "PA") or "transparency" in upright.info else "RGB"
    clean = upright.convert(mode)
    # A fresh image carries no metadata over: only pixels leave this function.
    clean.info = {}
    return clean


def _encode(image: Image.Image, kind: str) -> bytes:
    out = io.BytesIO()
    if kind == "jpeg":
        image.save(out, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    elif kind == "png":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=QUALITY, method=4)
    return out.getvalue()


def process(upload: IO[bytes], *, max_bytes: int, max_pixels: int) -> Processed:
    """What the wire keeps of an upload, or InvalidInput/TooLarge naming the field `image`. CPU-bound and
    slow for large pictures: call it before any transaction opens."""
    image, kind = _opened(_read(upload, max_bytes), max_pixels)
    clean = _clean(image, kind)
    processed = Processed(format=kind, width=clean.width, height=clean.height)
    processed.files[f"original.{EXTENSIONS[kind]}"] = _encode(clean, kind)
    # The picture's own width too when it is not above the widest: a small image is never blown up.
    widths = [width for width in WIDTHS if width < clean.width] + [clean.width] * (clean.width <= WIDTHS[-1])
    for width in widths:
        height = max(1, round(clean.height * width / clean.width))
        resized = clean.resize((width, height), Image.Resampling.LANCZOS) if width != clean.width else clean
        for out_kind in dict.fromkeys(("webp", kind)):
            name = f"{width}.{EXTENSIONS[out_kind]}"
            processed.files[name] = _encode(resized, out_kind)
            processed.renditions.append({"name": name, "width": width, "height": height,
                                         "type": CONTENT_TYPES[out_kind]})
    return processed
