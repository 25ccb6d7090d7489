"""Example product photos, drawn with Pillow.

Each picture is a pattern in the colours of its craft (a woven lattice for
anyaman, wood grain for carving, ikat stripes for textiles, biscuits for
kue kering, leaves for produce, a tool for services...), the product's name,
and a clear "FOTO CONTOH" mark so nobody mistakes it for the real thing.
Never a person, never a face. Only Pillow's bundled font is used.
"""

import io
import math
import random
import zlib

from PIL import Image, ImageDraw, ImageFont

SIZE = 800

# style -> (pattern, background, ink, accent)
STYLES = {
    "weave": ("weave", "#d8b878", "#a97f43", "#f0dcae"),
    "carve": ("grain", "#8a5a34", "#5e3a1f", "#b07a4c"),
    "beads": ("beads", "#1f5f86", "#f4efe6", "#d9c6a5"),
    "shells": ("shells", "#2d6a7a", "#efe6d8", "#c9b79c"),
    "textile": ("stripes", "#8c2f39", "#1f4e79", "#e0b04a"),
    "bag": ("bag", "#c9a36b", "#6b4226", "#f1e3c6"),
    "wallet": ("wallet", "#6d3b47", "#2f1b20", "#e8c9a0"),
    "mask": ("mask", "#35607f", "#f4efe6", "#e0b04a"),
    "cookie": ("cookies", "#f3e2bd", "#b5763a", "#7b4a22"),
    "snack": ("snack", "#f6d48f", "#c2562b", "#8b3a1a"),
    "jar": ("jar", "#efe3c8", "#8c2f39", "#5b7f3a"),
    "furniture": ("planks", "#b88452", "#6e4524", "#d9ab79"),
    "produce": ("leaves", "#e9f0dc", "#4f7d2f", "#2f5a1b"),
    "sewing": ("tool:scissors", "#d9e4ec", "#1f4e79", "#9fb6c8"),
    "haircut": ("tool:comb", "#efe6dc", "#6d3b47", "#c8a99a"),
    "carwash": ("tool:car", "#dcecf2", "#1f5f86", "#9cc7d8"),
    "repair": ("tool:hammer", "#efe3cf", "#5e3a1f", "#c9a36b"),
}


def _font(size):
    return ImageFont.load_default(size=size)


def _rng(*parts):
    return random.Random(zlib.crc32("|".join(str(p) for p in parts).encode()))


# --- patterns -------------------------------------------------------------


def _weave(draw, rnd, bg, ink, accent, scale):
    cell = int(56 * scale)
    strip = cell // 2
    for gy, y in enumerate(range(0, SIZE, cell)):
        for gx, x in enumerate(range(0, SIZE, cell)):
            horizontal = (gx + gy) % 2 == 0
            for k in range(2):
                if horizontal:
                    box = (x + 2, y + k * strip + 2, x + cell - 2, y + (k + 1) * strip - 2)
                else:
                    box = (x + k * strip + 2, y + 2, x + (k + 1) * strip - 2, y + cell - 2)
                draw.rounded_rectangle(box, radius=4, fill=accent if k == 0 else bg, outline=ink, width=2)


def _grain(draw, rnd, bg, ink, accent, scale):
    step = int(22 * scale)
    for y0 in range(-40, SIZE + 40, step):
        amp = rnd.uniform(4, 14) * scale
        freq = rnd.uniform(0.006, 0.014) / scale
        phase = rnd.uniform(0, 6.28)
        points = [(x, y0 + amp * math.sin(x * freq + phase)) for x in range(0, SIZE + 10, 10)]
        draw.line(points, fill=ink if rnd.random() < 0.5 else accent, width=max(2, int(3 * scale)))
    for _ in range(3):
        cx, cy = rnd.randint(80, SIZE - 80), rnd.randint(80, SIZE - 260)
        for r in range(6, int(40 * scale), 7):
            draw.ellipse((cx - r * 1.8, cy - r, cx + r * 1.8, cy + r), outline=ink, width=2)


def _beads(draw, rnd, bg, ink, accent, scale):
    for row in range(4):
        cy0 = 120 + row * 150
        r = int(16 * scale)
        for i in range(-1, SIZE // (2 * r + 6) + 2):
            cx = i * (2 * r + 6)
            cy = cy0 + 40 * math.sin(i / 3 + row)
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=ink if i % 4 else accent, outline=accent, width=2)
            draw.ellipse((cx - r / 2.5 - 3, cy - r / 2.5 - 3, cx - r / 2.5 + 3, cy - r / 2.5 + 3), fill="#ffffff")


def _shells(draw, rnd, bg, ink, accent, scale):
    for _ in range(int(22 / scale)):
        cx, cy = rnd.randint(0, SIZE), rnd.randint(0, SIZE - 200)
        r = int(rnd.randint(40, 70) * scale)
        start = rnd.choice([180, 200, 160])
        draw.pieslice((cx - r, cy - r, cx + r, cy + r), start, start + 180, fill=ink, outline=accent, width=3)
        for a in range(start + 15, start + 180, 22):
            rad = math.radians(a)
            draw.line((cx, cy, cx + r * math.cos(rad), cy + r * math.sin(rad)), fill=accent, width=2)


def _stripes(draw, rnd, bg, ink, accent, scale):
    y = 0
    colours = [bg, ink, accent, "#f4efe6", ink]
    while y < SIZE:
        h = int(rnd.choice([18, 30, 46, 70]) * scale)
        colour = rnd.choice(colours)
        draw.rectangle((0, y, SIZE, y + h), fill=colour)
        if h >= 46:
            # an ikat-like row of diamonds
            other = accent if colour != accent else "#f4efe6"
            w = h
            for x in range(0, SIZE + w, w):
                draw.polygon(
                    [(x, y + h / 2), (x + w / 2, y + 4), (x + w, y + h / 2), (x + w / 2, y + h - 4)], outline=other, width=3
                )
        y += h


def _cookies(draw, rnd, bg, ink, accent, scale):
    r = int(46 * scale)
    for gy, y in enumerate(range(r, SIZE, int(r * 2.3))):
        for x in range(r + (gy % 2) * r, SIZE + r, int(r * 2.3)):
            draw.ellipse((x - r, y - r, x + r, y + r), fill=ink, outline=accent, width=3)
            for _ in range(5):
                dx, dy = rnd.uniform(-r / 2, r / 2), rnd.uniform(-r / 2, r / 2)
                draw.ellipse((x + dx - 4, y + dy - 4, x + dx + 4, y + dy + 4), fill=accent)


def _snack(draw, rnd, bg, ink, accent, scale):
    for _ in range(int(70 / scale)):
        cx, cy = rnd.randint(0, SIZE), rnd.randint(0, SIZE)
        r = rnd.randint(20, 42) * scale
        pts = []
        for k in range(7):
            a = k / 7 * 2 * math.pi + rnd.uniform(-0.2, 0.2)
            rr = r * rnd.uniform(0.7, 1.1)
            pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
        draw.polygon(pts, fill=ink, outline=accent)


def _leaf(draw, cx, cy, length, angle, fill, vein):
    pts = []
    for k in range(21):
        t = k / 20
        w = math.sin(t * math.pi) * length * 0.28
        pts.append((t * length, w))
    for k in range(20, -1, -1):
        t = k / 20
        w = math.sin(t * math.pi) * length * 0.28
        pts.append((t * length, -w))
    ca, sa = math.cos(angle), math.sin(angle)
    rot = [(cx + x * ca - y * sa, cy + x * sa + y * ca) for x, y in pts]
    draw.polygon(rot, fill=fill)
    draw.line((cx, cy, cx + length * ca, cy + length * sa), fill=vein, width=3)


def _leaves(draw, rnd, bg, ink, accent, scale):
    for _ in range(int(34 / scale)):
        _leaf(
            draw,
            rnd.randint(-40, SIZE),
            rnd.randint(-40, SIZE),
            rnd.randint(110, 190) * scale,
            rnd.uniform(0, 2 * math.pi),
            rnd.choice([ink, accent, "#6f9d45"]),
            bg,
        )


def _dots(draw, bg, ink, step=60):
    for y in range(step // 2, SIZE, step):
        for x in range(step // 2, SIZE, step):
            draw.ellipse((x - 5, y - 5, x + 5, y + 5), fill=ink)


def _silhouette(draw, kind, ink, accent, scale):
    c = SIZE / 2
    s = 1.0 * scale
    cy = c - 90
    if kind == "scissors":
        for dx in (-70, 70):
            draw.ellipse(
                (c + dx * s - 50 * s, cy + 90 * s - 50 * s, c + dx * s + 50 * s, cy + 90 * s + 50 * s),
                outline=ink,
                width=int(18 * s),
            )
        draw.polygon(
            [(c - 40 * s, cy + 50 * s), (c + 150 * s, cy - 200 * s), (c + 120 * s, cy - 210 * s), (c - 60 * s, cy + 30 * s)],
            fill=ink,
        )
        draw.polygon(
            [(c + 40 * s, cy + 50 * s), (c - 150 * s, cy - 200 * s), (c - 120 * s, cy - 210 * s), (c + 60 * s, cy + 30 * s)],
            fill=ink,
        )
        draw.ellipse((c - 12 * s, cy - 12 * s, c + 12 * s, cy + 12 * s), fill=accent)
    elif kind == "comb":
        draw.rounded_rectangle((c - 220 * s, cy - 120 * s, c + 220 * s, cy - 50 * s), radius=int(20 * s), fill=ink)
        for x in range(int(c - 205 * s), int(c + 210 * s), int(22 * s)):
            draw.rectangle((x, cy - 60 * s, x + 11 * s, cy + 90 * s), fill=ink)
    elif kind == "car":
        draw.rounded_rectangle((c - 250 * s, cy - 20 * s, c + 250 * s, cy + 90 * s), radius=int(30 * s), fill=ink)
        draw.polygon(
            [(c - 150 * s, cy - 20 * s), (c - 90 * s, cy - 110 * s), (c + 100 * s, cy - 110 * s), (c + 170 * s, cy - 20 * s)],
            fill=ink,
        )
        draw.polygon(
            [(c - 120 * s, cy - 25 * s), (c - 78 * s, cy - 92 * s), (c - 5 * s, cy - 92 * s), (c - 5 * s, cy - 25 * s)],
            fill=accent,
        )
        draw.polygon(
            [(c + 10 * s, cy - 25 * s), (c + 10 * s, cy - 92 * s), (c + 92 * s, cy - 92 * s), (c + 140 * s, cy - 25 * s)],
            fill=accent,
        )
        for dx in (-150, 150):
            draw.ellipse(
                (c + dx * s - 52 * s, cy + 40 * s, c + dx * s + 52 * s, cy + 144 * s),
                fill="#222222",
                outline=accent,
                width=int(10 * s),
            )
        for k in range(6):  # bubbles
            x, y = c - 230 * s + k * 90 * s, cy - 170 * s - (k % 2) * 40 * s
            draw.ellipse((x - 22 * s, y - 22 * s, x + 22 * s, y + 22 * s), outline=ink, width=4)
    elif kind == "hammer":
        draw.rounded_rectangle(
            (c - 28 * s, cy - 130 * s, c + 28 * s, cy + 170 * s), radius=int(12 * s), fill=accent, outline=ink, width=4
        )
        draw.polygon(
            [
                (c - 170 * s, cy - 190 * s),
                (c + 120 * s, cy - 190 * s),
                (c + 170 * s, cy - 160 * s),
                (c + 120 * s, cy - 110 * s),
                (c - 170 * s, cy - 110 * s),
            ],
            fill=ink,
        )


def _object(draw, kind, ink, accent, scale):
    """A plain outline of the object over its pattern: bag, wallet, mask, jar, chair."""
    c = SIZE / 2
    cy = c - 80
    s = scale
    if kind == "bag":
        draw.arc((c - 120 * s, cy - 230 * s, c + 120 * s, cy - 10 * s), 180, 360, fill=ink, width=int(22 * s))
        draw.rounded_rectangle(
            (c - 210 * s, cy - 110 * s, c + 210 * s, cy + 170 * s), radius=int(30 * s), fill=accent, outline=ink, width=6
        )
        for x in range(int(c - 190 * s), int(c + 190 * s), int(34 * s)):
            draw.line((x, cy - 100 * s, x, cy + 160 * s), fill=ink, width=2)
    elif kind == "wallet":
        draw.rounded_rectangle(
            (c - 220 * s, cy - 120 * s, c + 220 * s, cy + 130 * s), radius=int(24 * s), fill=accent, outline=ink, width=6
        )
        draw.polygon([(c - 220 * s, cy - 110 * s), (c + 220 * s, cy - 110 * s), (c, cy + 10 * s)], fill=ink)
        draw.ellipse((c - 16 * s, cy - 6 * s, c + 16 * s, cy + 26 * s), fill="#e0b04a")
    elif kind == "mask":
        draw.arc((c - 330 * s, cy - 110 * s, c - 150 * s, cy + 110 * s), 90, 270, fill=ink, width=int(10 * s))
        draw.arc((c + 150 * s, cy - 110 * s, c + 330 * s, cy + 110 * s), 270, 90, fill=ink, width=int(10 * s))
        draw.rounded_rectangle(
            (c - 230 * s, cy - 130 * s, c + 230 * s, cy + 130 * s), radius=int(60 * s), fill=accent, outline=ink, width=6
        )
        for dy in (-50, 0, 50):
            draw.line((c - 210 * s, cy + dy * s, c + 210 * s, cy + dy * s), fill=ink, width=3)
    elif kind == "jar":
        draw.rounded_rectangle(
            (c - 150 * s, cy - 120 * s, c + 150 * s, cy + 200 * s), radius=int(40 * s), fill="#f8f3ea", outline=ink, width=6
        )
        draw.rectangle((c - 130 * s, cy - 190 * s, c + 130 * s, cy - 120 * s), fill=ink)
        draw.rectangle((c - 150 * s, cy - 10 * s, c + 150 * s, cy + 90 * s), fill=accent)
    elif kind == "chair":
        w = int(16 * s)
        draw.rectangle((c - 150 * s, cy - 220 * s, c - 150 * s + w * 2, cy + 200 * s), fill=ink)
        draw.rectangle((c + 150 * s - w * 2, cy - 220 * s, c + 150 * s, cy + 200 * s), fill=ink)
        for y in (-200, -140, -80):
            draw.rectangle((c - 150 * s, cy + y * s, c + 150 * s, cy + y * s + w * 1.5), fill=ink)
        draw.rectangle((c - 190 * s, cy + 10 * s, c + 190 * s, cy + 50 * s), fill=accent, outline=ink, width=5)
        draw.rectangle((c - 190 * s, cy + 50 * s, c - 190 * s + w * 2, cy + 200 * s), fill=ink)
        draw.rectangle((c + 190 * s - w * 2, cy + 50 * s, c + 190 * s, cy + 200 * s), fill=ink)


def _planks(draw, rnd, bg, ink, accent, scale):
    h = int(80 * scale)
    for y in range(0, SIZE, h):
        draw.rectangle((0, y, SIZE, y + h), fill=bg if (y // h) % 2 else accent, outline=ink, width=3)
        for _ in range(3):
            x = rnd.randint(0, SIZE)
            draw.arc((x - 60, y + 10, x + 60, y + h - 10), 200, 340, fill=ink, width=2)


PATTERNS = {
    "weave": _weave,
    "grain": _grain,
    "beads": _beads,
    "shells": _shells,
    "stripes": _stripes,
    "cookies": _cookies,
    "snack": _snack,
    "leaves": _leaves,
    "planks": _planks,
}


def _wrap(draw, text, font, width):
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def draw_example(title: str, style: str, variant: int = 0, caption: str = "") -> bytes:
    """An 800×800 PNG: the craft's pattern, the title, and the FOTO CONTOH mark."""
    pattern, bg, ink, accent = STYLES.get(style, STYLES["weave"])
    rnd = _rng(title, style, variant)
    scale = 1.0 if variant == 0 else 1.8  # the second photo is a close-up of the pattern
    image = Image.new("RGB", (SIZE, SIZE), bg)
    draw = ImageDraw.Draw(image)
    if pattern.startswith("tool:"):
        _dots(draw, bg, accent)
        _silhouette(draw, pattern.split(":", 1)[1], ink, accent, 1.0 if variant == 0 else 1.25)
    elif pattern in ("bag", "wallet", "mask", "jar", "chair"):
        base = {"bag": _weave, "wallet": _stripes, "mask": _stripes, "jar": _cookies, "chair": _planks}[pattern]
        base(draw, rnd, bg, ink, accent, scale)
        if variant == 0:
            _object(draw, pattern, ink, accent, 1.0)
    else:
        PATTERNS[pattern](draw, rnd, bg, ink, accent, scale)
    if style == "furniture" and variant == 0:
        _object(draw, "chair", ink, accent, 1.0)

    # Title panel at the bottom.
    overlay = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    od = ImageDraw.Draw(overlay)
    font = _font(50)
    lines = _wrap(od, title, font, SIZE - 120)
    if len(lines) > 3:
        font = _font(40)
        lines = _wrap(od, title, font, SIZE - 120)[:3]
    line_h = int(font.size * 1.25)
    small = _font(28)
    panel_h = 60 + line_h * len(lines) + (40 if caption else 0)
    top = SIZE - panel_h - 30
    od.rounded_rectangle((30, top, SIZE - 30, SIZE - 30), radius=24, fill=(255, 252, 246, 228))
    y = top + 30
    for line in lines:
        od.text((60, y), line, font=font, fill=(40, 30, 25, 255))
        y += line_h
    if caption:
        od.text((60, y + 4), caption, font=small, fill=(90, 80, 70, 255))

    # The example mark, top left.
    mark = "FOTO CONTOH"
    mark_font = _font(30)
    w = od.textlength(mark, font=mark_font)
    od.rounded_rectangle((30, 30, 30 + w + 40, 30 + 56), radius=14, fill=(32, 32, 32, 210))
    od.text((50, 42), mark, font=mark_font, fill=(255, 255, 255, 255))

    image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()
