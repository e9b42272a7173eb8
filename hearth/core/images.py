"""Uploaded images made safe to store and show.

Every image is decoded, bounded, rotated upright, resized and re-encoded from
its pixels alone, so EXIF (camera, time, GPS location) and any other metadata
or trailing bytes never reach storage. The stored name is random: an uploaded
file name never touches the file system.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

import blurhash
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
TOO_MANY_PIXELS = "This image has too many pixels to process. Please choose a smaller one."


class ImageRejected(ValueError):
    """The upload is not an image Hearth will store; the message says why, for people."""


@dataclass(frozen=True)
class ProcessedImage:
    name: str
    content: ContentFile[bytes]
    width: int
    height: int
    blurhash: str


def process_image(
    upload: UploadedFile[bytes], *, max_side: int = 2048, square: bool = False
) -> ProcessedImage:
    """Decode, check, strip and re-encode `upload`.

    Raises ImageRejected for files over the size limit, non-images, formats
    other than JPEG/PNG/GIF/WebP, and images whose pixel count exceeds
    MEDIA_MAX_PIXELS (a decompression bomb is refused before it is decoded).
    """
    if upload.size is not None and upload.size > settings.MEDIA_MAX_BYTES:
        limit_mb = settings.MEDIA_MAX_BYTES // (1024 * 1024)
        raise ImageRejected(
            f"This image is larger than {limit_mb} MB. Please choose a smaller one."
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(upload)
            if image.format not in ACCEPTED_FORMATS:
                raise ImageRejected("Please upload a JPEG, PNG, GIF or WebP image.")
            width, height = image.size
            if width * height > settings.MEDIA_MAX_PIXELS:
                raise ImageRejected(TOO_MANY_PIXELS)
            image.load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard can trip before ours: the same answer either way.
        raise ImageRejected(TOO_MANY_PIXELS) from None
    except UnidentifiedImageError:
        raise ImageRejected("This file isn't an image we can read.") from None
    except (OSError, SyntaxError, ValueError):
        raise ImageRejected("This image looks damaged. Please try another file.") from None

    image = ImageOps.exif_transpose(image) or image
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    image = image.convert("RGBA" if has_alpha else "RGB")
    if square:
        image = ImageOps.fit(image, (max_side, max_side), Image.Resampling.LANCZOS)
    else:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)

    # A fresh image holds pixels only: no EXIF, ICC, XMP or comments.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    if has_alpha:
        clean.save(out, format="PNG", optimize=True)
        ext = "png"
    else:
        clean.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
        ext = "jpg"

    small = clean.convert("RGB")
    small.thumbnail((64, 64))
    hash_ = blurhash.encode(small, x_components=4, y_components=3)
    return ProcessedImage(
        name=f"{uuid.uuid4().hex}.{ext}",
        content=ContentFile(out.getvalue()),
        width=clean.width,
        height=clean.height,
        blurhash=hash_,
    )
