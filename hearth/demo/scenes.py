"""Scenes for the demo's photos, each drawn from a seeded random source.

Gradients, simple shapes and a little blur: soft, landscape-like pictures
that read as photos at a glance without copying any image from anywhere.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from hearth.demo.drawing import glow, hex_rgb, hills, mix, ridge, vertical

PHOTO_SIZE = (960, 640)


def _scene_hills(rnd: random.Random) -> Image.Image:
    """Rolling hills at dawn with a low sun and a path running into them."""
    w, h = PHOTO_SIZE
    image = vertical(PHOTO_SIZE, hex_rgb("f6c9a8"), hex_rgb("fdf1dc"))
    glow(image, (int(w * rnd.uniform(0.55, 0.8)), int(h * 0.42)), 70, hex_rgb("fff3c4"))
    hills(
        image,
        rnd,
        [hex_rgb("b9c4c9"), hex_rgb("8fa89a"), hex_rgb("5f8a6a"), hex_rgb("3f6b4c")],
        h * 0.45,
        h * 0.78,
    )
    ImageDraw.Draw(image).polygon(
        [(w * 0.47, h * 0.62), (w * 0.51, h * 0.62), (w * 0.72, h), (w * 0.28, h)],
        fill=hex_rgb("c9b48f"),
    )
    return image.filter(ImageFilter.GaussianBlur(1.2))


def _scene_allotment(rnd: random.Random) -> Image.Image:
    """Vegetable beds running to the horizon, a shed and a blue sky."""
    w, h = PHOTO_SIZE
    image = vertical(PHOTO_SIZE, hex_rgb("8ec5e8"), hex_rgb("e3f1f7"))
    horizon = h * 0.42
    hills(image, rnd, [hex_rgb("9bb59a")], horizon - 20, horizon - 20)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, horizon, w, h), fill=hex_rgb("7a5a3c"))
    vanish = w * rnd.uniform(0.4, 0.6)
    for i in range(-6, 7):
        if i % 2:
            continue
        x0, x1 = w / 2 + i * 120, w / 2 + (i + 1) * 120
        green = hex_rgb("4f8a3a") if i % 4 else hex_rgb("6fa548")
        draw.polygon(
            [(vanish + i * 6, horizon), (vanish + (i + 1) * 6, horizon), (x1, h), (x0, h)],
            fill=green,
        )
    sx = int(w * 0.78)
    draw.rectangle((sx, horizon - 70, sx + 110, horizon + 25), fill=hex_rgb("5a7d8c"))
    draw.polygon(
        [(sx - 10, horizon - 70), (sx + 55, horizon - 110), (sx + 120, horizon - 70)],
        fill=hex_rgb("3d4f57"),
    )
    draw.rectangle((sx + 40, horizon - 30, sx + 70, horizon + 25), fill=hex_rgb("2e3d44"))
    return image.filter(ImageFilter.GaussianBlur(0.8))


def _scene_skyline(rnd: random.Random) -> Image.Image:
    """A city at dusk seen from a window: towers, lit windows, a pink sky."""
    w, h = PHOTO_SIZE
    image = vertical(PHOTO_SIZE, hex_rgb("3b3f6b"), hex_rgb("f2a68b"))
    draw = ImageDraw.Draw(image)
    x = -20
    while x < w:
        bw, bh = rnd.randint(50, 120), rnd.randint(int(h * 0.25), int(h * 0.7))
        shade = mix(hex_rgb("1e2033"), hex_rgb("3a3555"), rnd.random())
        draw.rectangle((x, h - bh, x + bw, h), fill=shade)
        for wy in range(h - bh + 12, h - 10, 22):
            for wx in range(x + 8, x + bw - 10, 18):
                if rnd.random() < 0.3:
                    draw.rectangle((wx, wy, wx + 8, wy + 10), fill=hex_rgb("ffd98a"))
        x += bw + rnd.randint(2, 12)
    draw.rectangle((0, h - 40, w, h), fill=hex_rgb("5b4a3f"))  # the balcony rail
    for px in range(0, w, 48):
        draw.rectangle((px, h - 120, px + 6, h - 40), fill=hex_rgb("5b4a3f"))
    draw.rectangle((0, h - 126, w, h - 116), fill=hex_rgb("5b4a3f"))
    return image.filter(ImageFilter.GaussianBlur(0.7))


def _scene_canal(rnd: random.Random) -> Image.Image:
    """Narrow gabled houses along a canal, mirrored in the water."""
    w, h = PHOTO_SIZE
    waterline = int(h * 0.62)
    image = vertical(PHOTO_SIZE, hex_rgb("a9c7dd"), hex_rgb("eef3f2"))
    draw = ImageDraw.Draw(image)
    palette = [hex_rgb(c) for c in ("8c3b2e", "c07a4e", "6b4c3b", "d9b48a", "4e5d6c", "a0522d")]
    x = 0
    while x < w:
        bw = rnd.randint(70, 110)
        top = waterline - rnd.randint(180, 300)
        colour = rnd.choice(palette)
        draw.rectangle((x, top, x + bw, waterline), fill=colour)
        draw.polygon([(x, top), (x + bw / 2, top - 40), (x + bw, top)], fill=colour)
        for wy in range(top + 20, waterline - 30, 46):
            for wx in (x + 14, x + bw - 34):
                draw.rectangle((wx, wy, wx + 20, wy + 28), fill=hex_rgb("f4efe2"))
        x += bw + 2
    sky = image.crop((0, 0, w, waterline))
    mirror = sky.transpose(Image.Transpose.FLIP_TOP_BOTTOM).resize((w, h - waterline))
    mirror = Image.blend(
        mirror.filter(ImageFilter.GaussianBlur(4)),
        Image.new("RGB", mirror.size, hex_rgb("2f4f5a")),
        0.45,
    )
    image.paste(mirror, (0, waterline))
    for _ in range(40):
        y = rnd.randint(waterline + 5, h)
        x0 = rnd.randint(0, w)
        draw.line((x0, y, x0 + rnd.randint(20, 90), y), fill=hex_rgb("c9dde3"), width=2)
    return image.filter(ImageFilter.GaussianBlur(0.9))


def _scene_bowl(rnd: random.Random) -> Image.Image:
    """A bowl of golden dal on a wooden table, with flatbread beside it."""
    w, h = PHOTO_SIZE
    image = vertical(PHOTO_SIZE, hex_rgb("a0704a"), hex_rgb("6e4529"))
    draw = ImageDraw.Draw(image)
    for y in range(0, h, 38):
        draw.line(
            (0, y + rnd.randint(-4, 4), w, y + rnd.randint(-4, 4)), fill=hex_rgb("5e3a22"), width=2
        )
    cx, cy = w * 0.45, h * 0.52
    draw.ellipse((cx - 250, cy - 170, cx + 250, cy + 190), fill=hex_rgb("3b2a1e"))  # shadow
    draw.ellipse((cx - 240, cy - 190, cx + 240, cy + 170), fill=hex_rgb("f2ede4"))
    draw.ellipse((cx - 190, cy - 145, cx + 190, cy + 125), fill=hex_rgb("e0a526"))
    for _ in range(26):
        gx, gy = cx + rnd.uniform(-150, 150), cy + rnd.uniform(-100, 90)
        draw.ellipse((gx - 6, gy - 4, gx + 6, gy + 4), fill=hex_rgb("3f7d2c"))
    draw.ellipse((w * 0.72, h * 0.12, w * 1.02, h * 0.5), fill=hex_rgb("e8c98f"))
    for _ in range(9):
        bx, by = w * rnd.uniform(0.76, 0.97), h * rnd.uniform(0.17, 0.45)
        draw.ellipse((bx - 9, by - 6, bx + 9, by + 6), fill=hex_rgb("9c6b30"))
    return image.filter(ImageFilter.GaussianBlur(1.0))


def _scene_shelves(rnd: random.Random) -> Image.Image:
    """Shelves of tins and packets, neatly stacked: a food bank store room."""
    w, h = PHOTO_SIZE
    image = vertical(PHOTO_SIZE, hex_rgb("eae4d6"), hex_rgb("d6cdb8"))
    draw = ImageDraw.Draw(image)
    colours = [
        hex_rgb(c) for c in ("c0392b", "e67e22", "f1c40f", "27ae60", "2980b9", "8e44ad", "ecf0f1")
    ]
    for shelf in range(3):
        base = int(h * (0.32 + shelf * 0.3))
        x = 30
        while x < w - 60:
            tw = rnd.randint(38, 70)
            th = rnd.randint(60, 130)
            colour = rnd.choice(colours)
            draw.rounded_rectangle((x, base - th, x + tw, base), radius=6, fill=colour)
            draw.rectangle(
                (x, base - th * 0.65, x + tw, base - th * 0.35),
                fill=mix(colour, (255, 255, 255), 0.55),
            )
            x += tw + rnd.randint(4, 10)
        draw.rectangle((0, base, w, base + 16), fill=hex_rgb("8b6b4a"))
    return image.filter(ImageFilter.GaussianBlur(0.8))


def _scene_roses(rnd: random.Random) -> Image.Image:
    """Red and pink roses among leaves, close up."""
    w, h = PHOTO_SIZE
    image = vertical(PHOTO_SIZE, hex_rgb("2f5d34"), hex_rgb("1d3b22"))
    draw = ImageDraw.Draw(image)
    for _ in range(70):
        lx, ly = rnd.randint(0, w), rnd.randint(0, h)
        draw.ellipse(
            (lx - 40, ly - 18, lx + 40, ly + 18),
            fill=mix(hex_rgb("3e7a3f"), hex_rgb("6aa05a"), rnd.random()),
        )
    image = image.filter(ImageFilter.GaussianBlur(3))
    draw = ImageDraw.Draw(image)
    for _ in range(rnd.randint(4, 6)):
        rx, ry, r = rnd.randint(100, w - 100), rnd.randint(100, h - 100), rnd.randint(60, 100)
        petal = rnd.choice([hex_rgb("b3123a"), hex_rgb("d94f70"), hex_rgb("e88aa0")])
        draw.ellipse((rx - r, ry - r, rx + r, ry + r), fill=petal)
        for ring in range(1, 5):
            rr = r * (1 - ring * 0.2)
            start = rnd.randint(0, 360)
            draw.arc(
                (rx - rr, ry - rr, rx + rr, ry + rr),
                start,
                start + 250,
                fill=mix(petal, (60, 0, 20), 0.45),
                width=5,
            )
    return image.filter(ImageFilter.GaussianBlur(1.1))


def _scene_knit(rnd: random.Random) -> Image.Image:
    """A tiny knitted hat with a pompom on a soft blanket."""
    w, h = PHOTO_SIZE
    image = vertical(PHOTO_SIZE, hex_rgb("f3e6d8"), hex_rgb("e6d2c2"))
    draw = ImageDraw.Draw(image)
    for y in range(0, h, 44):
        draw.line((0, y, w, y + 30), fill=hex_rgb("eadbcc"), width=14)
    yarn = rnd.choice([hex_rgb("8fb3a6"), hex_rgb("e3b04b"), hex_rgb("b7a1d6")])
    cx, cy = w / 2, h * 0.58
    draw.chord((cx - 190, cy - 200, cx + 190, cy + 180), 180, 360, fill=yarn)
    draw.rounded_rectangle(
        (cx - 200, cy - 10, cx + 200, cy + 60), radius=20, fill=mix(yarn, (0, 0, 0), 0.15)
    )
    for x in range(int(cx - 190), int(cx + 190), 18):
        draw.line((x, cy - 5, x, cy + 55), fill=mix(yarn, (0, 0, 0), 0.3), width=3)
    draw.ellipse((cx - 55, cy - 250, cx + 55, cy - 140), fill=mix(yarn, (255, 255, 255), 0.35))
    return image.filter(ImageFilter.GaussianBlur(1.4))


def _scene_medal(rnd: random.Random) -> Image.Image:
    """A finisher's medal on its ribbon, lying on a dark running top."""
    w, h = PHOTO_SIZE
    image = vertical(PHOTO_SIZE, hex_rgb("2b3440"), hex_rgb("1b2129"))
    draw = ImageDraw.Draw(image)
    cx, cy = w * 0.5, h * 0.62
    draw.polygon(
        [(cx - 120, 0), (cx - 40, 0), (cx + 10, cy - 90), (cx - 30, cy - 90)],
        fill=hex_rgb("1f6fb2"),
    )
    draw.polygon(
        [(cx + 40, 0), (cx + 120, 0), (cx + 30, cy - 90), (cx - 10, cy - 90)],
        fill=hex_rgb("e0b03a"),
    )
    draw.ellipse((cx - 130, cy - 130, cx + 130, cy + 130), fill=hex_rgb("c99a2e"))
    draw.ellipse((cx - 105, cy - 105, cx + 105, cy + 105), fill=hex_rgb("e8c25a"))
    font = ImageFont.load_default(size=64)
    draw.text((cx, cy), "42K", font=font, anchor="mm", fill=hex_rgb("8a6414"))
    glow(image, (int(cx - 60), int(cy - 60)), 20, hex_rgb("fff6d8"))
    return image.filter(ImageFilter.GaussianBlur(0.9))


def _scene_watercolour(rnd: random.Random) -> Image.Image:
    """Loose watercolour washes on cream paper, like a page from a sketchbook."""
    w, h = PHOTO_SIZE
    image = Image.new("RGB", PHOTO_SIZE, hex_rgb("f7f1e3"))
    for _ in range(9):
        layer = Image.new("L", PHOTO_SIZE, 0)
        r = rnd.randint(80, 200)
        x, y = rnd.randint(80, w - 80), rnd.randint(80, h - 80)
        ImageDraw.Draw(layer).ellipse(
            (x - r, y - r * 0.7, x + r, y + r * 0.7), fill=rnd.randint(70, 130)
        )
        layer = layer.filter(ImageFilter.GaussianBlur(rnd.randint(12, 30)))
        colour = rnd.choice(
            [
                hex_rgb("6c9bc2"),
                hex_rgb("e39b7b"),
                hex_rgb("8cb58a"),
                hex_rgb("d8b15b"),
                hex_rgb("9a7fb8"),
            ]
        )
        image.paste(Image.new("RGB", PHOTO_SIZE, colour), (0, 0), layer)
    draw = ImageDraw.Draw(image)
    for index in range(3):  # pencil contour lines, as if sketching hills
        line = ridge(rnd, w, h * (0.45 + index * 0.15), amplitude=h * 0.04)
        draw.line(line, fill=hex_rgb("6b6259"), width=2, joint="curve")
    return image


def _scene_sea(rnd: random.Random) -> Image.Image:
    """A quiet grey-blue sea under a wide sky, a headland far off."""
    w, h = PHOTO_SIZE
    horizon = int(h * rnd.uniform(0.5, 0.58))
    image = vertical(PHOTO_SIZE, hex_rgb("c7d3de"), hex_rgb("eef0ea"))
    glow(image, (int(w * 0.3), int(horizon * 0.55)), 45, hex_rgb("fbf6e6"))
    draw = ImageDraw.Draw(image)
    draw.polygon(
        [*ridge(rnd, w, horizon - 18, 10)[-25:], (w, horizon), (w * 0.55, horizon)],
        fill=hex_rgb("7c8c8f"),
    )
    sea = vertical((w, h - horizon), hex_rgb("8aa3b0"), hex_rgb("4f6b78"))
    image.paste(sea, (0, horizon))
    for _ in range(60):
        y = rnd.randint(horizon + 4, h)
        x0 = rnd.randint(0, w)
        draw.line(
            (x0, y, x0 + rnd.randint(10, 60), y),
            fill=hex_rgb("b8ccd4"),
            width=1 + (y - horizon) // 120,
        )
    return image.filter(ImageFilter.GaussianBlur(1.0))


SCENES: dict[str, Callable[[random.Random], Image.Image]] = {
    "hills": _scene_hills,
    "allotment": _scene_allotment,
    "skyline": _scene_skyline,
    "canal": _scene_canal,
    "bowl": _scene_bowl,
    "shelves": _scene_shelves,
    "roses": _scene_roses,
    "knit": _scene_knit,
    "medal": _scene_medal,
    "watercolour": _scene_watercolour,
    "sea": _scene_sea,
}
