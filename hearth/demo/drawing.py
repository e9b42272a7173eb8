"""Small drawing helpers for the demo's pictures: colours, gradients, hills, glows."""

from __future__ import annotations

import math
import random

from PIL import Image, ImageDraw, ImageFilter

RGB = tuple[int, int, int]


def hex_rgb(value: str) -> RGB:
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def vertical(size: tuple[int, int], top: RGB, bottom: RGB) -> Image.Image:
    """A top-to-bottom gradient, made from Pillow's built-in ramp (no pixel loops)."""
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def glow(image: Image.Image, centre: tuple[int, int], radius: int, colour: RGB) -> None:
    """Paint a blurred disc (a sun, a lamp) onto `image` in place."""
    layer = Image.new("L", image.size, 0)
    x, y = centre
    ImageDraw.Draw(layer).ellipse((x - radius, y - radius, x + radius, y + radius), fill=200)
    layer = layer.filter(ImageFilter.GaussianBlur(radius * 0.6))
    image.paste(Image.new("RGB", image.size, colour), (0, 0), layer)
    ImageDraw.Draw(image).ellipse(
        (x - radius // 2, y - radius // 2, x + radius // 2, y + radius // 2), fill=colour
    )


def ridge(
    rnd: random.Random, width: int, base: float, amplitude: float
) -> list[tuple[float, float]]:
    """Points along a gentle hill line, from the left edge to the right."""
    phases = [rnd.uniform(0, math.tau) for _ in range(3)]
    freqs = [rnd.uniform(0.6, 1.4), rnd.uniform(1.8, 3.2), rnd.uniform(4.0, 7.0)]
    weights = [1.0, 0.4, 0.12]
    points = []
    for x in range(0, width + 16, 16):
        t = x / width * math.tau
        wave = sum(w * math.sin(f * t + p) for w, f, p in zip(weights, freqs, phases, strict=True))
        points.append((float(x), base - amplitude * wave))
    return points


def hills(
    image: Image.Image, rnd: random.Random, colours: list[RGB], top: float, bottom: float
) -> None:
    """Layered hills from far (first colour) to near (last)."""
    width, height = image.size
    draw = ImageDraw.Draw(image)
    for index, colour in enumerate(colours):
        base = top + (bottom - top) * index / max(1, len(colours) - 1)
        line = ridge(rnd, width, base, amplitude=height * 0.05)
        draw.polygon([*line, (width, height), (0, height)], fill=colour)
