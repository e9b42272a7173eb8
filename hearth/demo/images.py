"""Pictures for the demo, drawn with Pillow when the demo loads.

Nothing here is a photograph or a copied file: avatars are soft gradients
with initials, and photos are the simple scenes in `scenes`. Each picture
is seeded, so a demo looks the same every time.
"""

from __future__ import annotations

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from hearth.demo.drawing import hex_rgb, mix, vertical
from hearth.demo.scenes import SCENES

AVATAR_SIDE = 400


def _to_upload(image: Image.Image, name: str, *, fmt: str = "JPEG") -> SimpleUploadedFile:
    out = io.BytesIO()
    if fmt == "PNG":
        image.save(out, format="PNG")
        return SimpleUploadedFile(f"{name}.png", out.getvalue(), content_type="image/png")
    image.convert("RGB").save(out, format="JPEG", quality=88)
    return SimpleUploadedFile(f"{name}.jpg", out.getvalue(), content_type="image/jpeg")


def _initials(name: str) -> str:
    parts = [p for p in name.replace("-", " ").split() if p[:1].isalpha()]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


def avatar(name: str, colours: tuple[str, str], seed: int) -> SimpleUploadedFile:
    """A square PNG: a diagonal two-colour wash, a few soft shapes and the initials."""
    rnd = random.Random(seed)
    side = AVATAR_SIDE
    first, second = hex_rgb(colours[0]), hex_rgb(colours[1])
    # A gradient twice the size, turned and cropped to the middle, runs diagonally.
    turned = vertical((side * 2, side * 2), first, second).rotate(rnd.choice([30, 45, 60, 120]))
    image = turned.crop((side // 2, side // 2, side // 2 + side, side // 2 + side))
    shapes = Image.new("L", (side, side), 0)
    draw = ImageDraw.Draw(shapes)
    for _ in range(3):
        r = rnd.randint(side // 6, side // 3)
        x, y = rnd.randint(0, side), rnd.randint(0, side)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rnd.randint(40, 90))
    shapes = shapes.filter(ImageFilter.GaussianBlur(18))
    image.paste(Image.new("RGB", (side, side), (255, 255, 255)), (0, 0), shapes)
    font = ImageFont.load_default(size=150)
    text = _initials(name)
    draw_image = ImageDraw.Draw(image)
    draw_image.text(
        (side / 2 + 4, side / 2 + 6),
        text,
        font=font,
        anchor="mm",
        fill=mix(second, (0, 0, 0), 0.5),
    )
    draw_image.text((side / 2, side / 2), text, font=font, anchor="mm", fill=(255, 253, 248))
    return _to_upload(image, f"avatar-{seed}", fmt="PNG")


def photo(scene: str, seed: int) -> SimpleUploadedFile:
    """A JPEG of the named scene; raises KeyError for an unknown scene."""
    image = SCENES[scene](random.Random(seed))
    return _to_upload(image, f"{scene}-{seed}")
