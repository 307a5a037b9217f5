"""Each addon's static/description/icon.png, the picture Odoo's Apps shows for it: a flat square of the addon's colour
with a white sign of what it does, drawn large and scaled down to 256 x 256 for smooth edges.

python tools/addon_icons.py    draw them again (they are committed; nothing runs this on its own)
"""

import pathlib

from PIL import Image, ImageDraw

ADDONS = pathlib.Path(__file__).resolve().parent.parent / "addons"
SIZE, SCALE = 256, 4
WHITE = (255, 255, 255, 255)


def _base(draw, s):
    # three stacked layers: the ground the other addons stand on
    for top in (0.2, 0.4, 0.6):
        y = s * top
        draw.polygon([(s * 0.5, y), (s * 0.82, y + s * 0.09), (s * 0.5, y + s * 0.18), (s * 0.18, y + s * 0.09)],
                     fill=WHITE)  # fmt: skip


def _credit(draw, s):
    # a shield: credit held until released
    draw.polygon(
        [(s * 0.5, s * 0.18), (s * 0.78, s * 0.28), (s * 0.74, s * 0.58), (s * 0.5, s * 0.82), (s * 0.26, s * 0.58),
         (s * 0.22, s * 0.28)],
        fill=WHITE,
    )  # fmt: skip
    draw.line([(s * 0.38, s * 0.5), (s * 0.47, s * 0.6), (s * 0.63, s * 0.4)], fill=COLOURS["sales_credit"],
              width=int(s * 0.06), joint="curve")  # fmt: skip


def _analytics(draw, s):
    # bars of a chart
    for i, height in enumerate((0.25, 0.45, 0.35, 0.58)):
        left = s * (0.2 + i * 0.16)
        draw.rectangle([left, s * (0.78 - height), left + s * 0.11, s * 0.78], fill=WHITE)


def _dunning(draw, s):
    # a letter
    draw.rectangle([s * 0.18, s * 0.3, s * 0.82, s * 0.72], fill=WHITE)
    draw.line([(s * 0.2, s * 0.32), (s * 0.5, s * 0.54), (s * 0.8, s * 0.32)], fill=COLOURS["sales_dunning"],
              width=int(s * 0.04), joint="curve")  # fmt: skip


def _reservation(draw, s):
    # a box set aside, with its tag
    width = int(s * 0.045)
    draw.polygon([(s * 0.2, s * 0.36), (s * 0.5, s * 0.24), (s * 0.8, s * 0.36), (s * 0.5, s * 0.48)], fill=WHITE)
    draw.polygon([(s * 0.2, s * 0.36), (s * 0.5, s * 0.48), (s * 0.5, s * 0.82), (s * 0.2, s * 0.7)], outline=WHITE,
                 width=width)  # fmt: skip
    draw.polygon([(s * 0.8, s * 0.36), (s * 0.5, s * 0.48), (s * 0.5, s * 0.82), (s * 0.8, s * 0.7)], fill=WHITE)


def _planning(draw, s):
    # a target
    for radius, fill in ((0.32, WHITE), (0.22, COLOURS["sales_planning"]), (0.12, WHITE)):
        draw.ellipse([s * (0.5 - radius), s * (0.5 - radius), s * (0.5 + radius), s * (0.5 + radius)], fill=fill)


COLOURS = {
    "sales_base": (84, 110, 122, 255),
    "sales_credit": (198, 40, 40, 255),
    "sales_analytics": (21, 101, 192, 255),
    "sales_dunning": (239, 108, 0, 255),
    "sales_reservation": (46, 125, 50, 255),
    "sales_planning": (106, 27, 154, 255),
}
SIGNS = {
    "sales_base": _base,
    "sales_credit": _credit,
    "sales_analytics": _analytics,
    "sales_dunning": _dunning,
    "sales_reservation": _reservation,
    "sales_planning": _planning,
}


def icon(addon):
    s = SIZE * SCALE
    image = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([0, 0, s - 1, s - 1], radius=int(s * 0.12), fill=COLOURS[addon])
    SIGNS[addon](draw, s)
    return image.resize((SIZE, SIZE), Image.LANCZOS)


def main():
    for addon in SIGNS:
        path = ADDONS / addon / "static" / "description" / "icon.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        icon(addon).save(path, optimize=True)
        print(f"wrote {path.relative_to(ADDONS.parent)}")


if __name__ == "__main__":
    main()
