"""Real image files made with Pillow for the image tests: photos with GPS positions in their EXIF, PNGs with
text chunks, and a PNG whose header claims more pixels than any wire would decode."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, PngImagePlugin

FORMATS = {"jpeg": ("JPEG", "image/jpeg", "jpg"), "png": ("PNG", "image/png", "png"),
           "webp": ("WEBP", "image/webp", "webp")}


def photo(kind: str = "jpeg", *, size: tuple[int, int] = (1200, 800), gps: bool = False, orientation: int = 1,
          text: str = "") -> bytes:
    """A picture with a gradient (so it does not compress to nothing), optionally with metadata."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    image.paste((200, 40, 40), (0, 0, size[0] // 4, size[1] // 4))
    out = io.BytesIO()
    options: dict[str, object] = {}
    exif = Image.Exif()
    if gps:
        exif[ExifTags.Base.Make] = "Test camera"
        exif.get_ifd(ExifTags.IFD.GPSInfo).update({ExifTags.GPS.GPSLatitudeRef: "N",
                                                   ExifTags.GPS.GPSLatitude: (25.0, 12.0, 30.0)})
    if orientation != 1:
        exif[ExifTags.Base.Orientation] = orientation
    if len(exif):
        options["exif"] = exif.tobytes()
    if text:
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", text)
        options["pnginfo"] = info
    image.save(out, FORMATS[kind][0], **options)
    return out.getvalue()


def upload(data: bytes, kind: str = "jpeg", *, name: str = "", content_type: str = "") -> SimpleUploadedFile:
    _format, declared, extension = FORMATS[kind]
    return SimpleUploadedFile(name or f"photo.{extension}", data, content_type=content_type or declared)


def bomb_png(width: int = 30_000, height: int = 30_000) -> bytes:
    """A valid 1×1 PNG whose header is rewritten to claim `width`×`height`: a decoder that trusted it would
    allocate gigabytes."""
    data = bytearray(photo("png", size=(1, 1)))
    # IHDR sits right after the 8-byte signature: length (4), type (4), then width and height.
    data[16:24] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF
    data[29:33] = struct.pack(">I", crc)
    return bytes(data)
