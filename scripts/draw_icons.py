"""Draw the Easy Read pictures (assets/icons/<key>.png), one for each key in ICONS.

They are drawn in code, not downloaded, so the project owns them and anyone can redraw them. Each is a
simple, high-contrast shape: thick dark lines on white with a light fill, no words in the picture, and
never colour alone to carry the meaning. Run from the project folder: `python -m scripts.draw_icons`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image, ImageDraw

from features.minutes.easy_read import ICONS

ICON_FOLDER = Path(__file__).resolve().parent.parent / "assets" / "icons"
SIZE = 240  # pixels in the saved picture
SCALE = 4  # drawn this many times larger, then shrunk, so the edges are smooth
CANVAS = SIZE * SCALE
LINE = 44  # line width on the large canvas: 11 pixels in the saved picture
COLOURS = 24  # a small palette keeps each file to a few kilobytes

INK = (33, 43, 50)  # NHS dark grey: contrast of about 14:1 on white
WHITE = (255, 255, 255)
PALE_BLUE = (209, 228, 243)
PALE_YELLOW = (255, 235, 128)
SKIN = (247, 214, 178)
GREEN = (0, 127, 59)  # NHS green, with a white tick, so the shape carries the meaning too

Point = tuple[float, float]
TABLE_TOP = 510  # in the meeting picture; the people's bodies end behind it


def _stroke(draw: ImageDraw.ImageDraw, points: Sequence[Point], width: int = LINE) -> None:
    """A line with round ends and joints, which reads more softly than square ones."""
    draw.line(list(points), fill=INK, width=width, joint="curve")
    for x, y in (points[0], points[-1]):
        draw.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=INK)


def _box(draw: ImageDraw.ImageDraw, box: Sequence[float], fill: tuple[int, int, int] = WHITE,
         radius: int = 40) -> None:
    draw.rounded_rectangle(tuple(box), radius=radius, fill=fill, outline=INK, width=LINE)


def _circle(draw: ImageDraw.ImageDraw, centre: Point, radius: float, fill: tuple[int, int, int] | None = WHITE,
            width: int = LINE) -> None:
    x, y = centre
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=fill, outline=INK, width=width)


def _person(draw: ImageDraw.ImageDraw, x: float, top: float) -> None:
    """Head and shoulders; the table in front hides the rest."""
    draw.rounded_rectangle((x - 112, top + 165, x + 112, TABLE_TOP + 90), radius=105, fill=PALE_BLUE, outline=INK,
                           width=36)
    _circle(draw, (x, top + 75), 80, SKIN, 36)


def meeting(draw: ImageDraw.ImageDraw) -> None:
    """People sitting round a table: three behind it and one at each end, a little nearer."""
    for x in (295, 480, 665):
        _person(draw, x, 110)
    for x in (115, 845):
        _person(draw, x, 200)
    _box(draw, (40, TABLE_TOP, 920, TABLE_TOP + 120), WHITE, radius=24)
    _stroke(draw, [(150, 630), (150, 880)])
    _stroke(draw, [(810, 630), (810, 880)])


def review(draw: ImageDraw.ImageDraw) -> None:
    """A sheet of paper with lines of writing, and a magnifying glass over it."""
    draw.polygon([(150, 90), (540, 90), (690, 240), (690, 860), (150, 860)], fill=WHITE, outline=INK, width=LINE)
    draw.polygon([(540, 90), (540, 240), (690, 240)], fill=PALE_BLUE, outline=INK, width=LINE)
    for y in (330, 440, 550):
        _stroke(draw, [(240, y), (580, y)], 34)
    _stroke(draw, [(240, 660), (400, 660)], 34)
    _stroke(draw, [(700, 700), (860, 860)], 80)
    _circle(draw, (590, 590), 165, PALE_BLUE, 52)


def good(draw: ImageDraw.ImageDraw) -> None:
    """A thumbs-up: a sleeve, a closed hand with curled fingers, and the thumb pointing up."""
    draw.rounded_rectangle((300, 80, 490, 520), radius=95, fill=SKIN, outline=INK, width=LINE)
    top, height = 430, 150
    for index, right in enumerate((800, 780, 760, 720)):
        y = top + index * (height - LINE)
        draw.rounded_rectangle((400, y, right, y + height), radius=70, fill=SKIN, outline=INK, width=LINE)
    bottom = top + 3 * (height - LINE) + height
    draw.rectangle((250, top, 540, bottom), fill=SKIN, outline=INK, width=LINE)
    draw.rectangle((250 + LINE, top + LINE, 560, bottom - LINE), fill=SKIN)
    draw.line([(300 + LINE / 2, top + LINE / 2), (490 - LINE / 2, top + LINE / 2)], fill=SKIN, width=LINE)
    _box(draw, (100, top - 20, 270, bottom + 20), PALE_BLUE, radius=20)


def improve(draw: ImageDraw.ImageDraw) -> None:
    """A light bulb with rays: an idea for doing better."""
    for angle in (200, 240, 270, 300, 340):
        radians = math.radians(angle)
        _stroke(draw, [(480 + 290 * math.cos(radians), 390 + 290 * math.sin(radians)),
                       (480 + 390 * math.cos(radians), 390 + 390 * math.sin(radians))], 40)
    draw.polygon([(380, 560), (580, 560), (560, 700), (400, 700)], fill=PALE_YELLOW)
    _circle(draw, (480, 390), 200, PALE_YELLOW)
    draw.polygon([(350, 520), (610, 520), (580, 700), (380, 700)], fill=PALE_YELLOW)
    _stroke(draw, [(340, 530), (370, 560), (390, 700)])
    _stroke(draw, [(620, 530), (590, 560), (570, 700)])
    _box(draw, (380, 700, 580, 810), WHITE, radius=20)
    _stroke(draw, [(400, 755), (560, 755)], 30)
    _box(draw, (420, 810, 540, 880), INK, radius=20)


def said(draw: ImageDraw.ImageDraw) -> None:
    """A speech bubble with three dots: someone saying something."""
    _box(draw, (90, 140, 870, 660), PALE_BLUE, radius=140)
    draw.polygon([(275, 600), (465, 600), (465, 650), (240, 820), (265, 650)], fill=PALE_BLUE)
    _stroke(draw, [(270, 640), (230, 840), (470, 640)])
    for x in (300, 480, 660):
        _circle(draw, (x, 400), 52, INK, 0)


def vote(draw: ImageDraw.ImageDraw) -> None:
    """A hand holding a paper and putting it into the slot on top of a box."""
    draw.polygon([(90, 600), (870, 600), (770, 430), (190, 430)], fill=PALE_BLUE, outline=INK, width=LINE)
    _box(draw, (90, 600, 870, 900), PALE_BLUE, radius=20)
    _stroke(draw, [(290, 515), (670, 515)], 60)
    draw.rectangle((300, 130, 540, 515), fill=WHITE, outline=INK, width=LINE)
    _stroke(draw, [(360, 330), (410, 385), (490, 260)], 36)
    draw.polygon([(780, 90), (960, 40), (960, 330), (780, 340)], fill=PALE_BLUE, outline=INK, width=LINE)
    height = 120
    for index, left in enumerate((400, 420, 450)):
        y = 70 + index * (height - LINE)
        draw.rounded_rectangle((left, y, 800, y + height), radius=60, fill=SKIN, outline=INK, width=LINE)
    draw.rounded_rectangle((590, 50, 800, 370), radius=60, fill=SKIN, outline=INK, width=LINE)
    draw.rectangle((570, 50 + LINE, 780, 370 - LINE), fill=SKIN)


def signed_off(draw: ImageDraw.ImageDraw) -> None:
    """A white tick in a green circle, with a dark ring: the tick, not the green, carries the meaning."""
    _circle(draw, (480, 480), 390, GREEN)
    draw.line([(270, 490), (420, 640), (700, 330)], fill=WHITE, width=100, joint="curve")
    for x, y in ((270, 490), (700, 330)):
        draw.ellipse((x - 50, y - 50, x + 50, y + 50), fill=WHITE)


def _arrow_head(draw: ImageDraw.ImageDraw, tip: Point, angle: float, length: float = 230) -> None:
    """A solid triangle pointing along angle (degrees, 0 = right, 90 = down)."""
    radians = math.radians(angle)
    back = (tip[0] - length * math.cos(radians), tip[1] - length * math.sin(radians))
    side = (-math.sin(radians) * length * 0.62, math.cos(radians) * length * 0.62)
    draw.polygon([tip, (back[0] + side[0], back[1] + side[1]), (back[0] - side[0], back[1] - side[1])],
                 fill=INK, outline=INK, width=12)


def returned(draw: ImageDraw.ImageDraw) -> None:
    """An arrow that turns round and goes back the way it came."""
    width, centre, radius = 90, (620, 500), 240
    outer = radius + width / 2
    draw.arc((centre[0] - outer, centre[1] - outer, centre[0] + outer, centre[1] + outer), 270, 90, fill=INK,
             width=width)
    draw.line([(centre[0] + 2, 260), (280, 260)], fill=INK, width=width)
    draw.line([(centre[0] + 2, 740), (200, 740)], fill=INK, width=width)
    draw.ellipse((155, 695, 245, 785), fill=INK)
    _arrow_head(draw, (80, 260), 180)


def escalated(draw: ImageDraw.ImageDraw) -> None:
    """A wide arrow pointing up."""
    draw.polygon([(480, 70), (830, 440), (620, 440), (620, 880), (340, 880), (340, 440), (130, 440)],
                 fill=PALE_BLUE, outline=INK, width=LINE)


def action(draw: ImageDraw.ImageDraw) -> None:
    """A list of jobs, each with a ticked box."""
    for y in (100, 390, 680):
        _box(draw, (80, y, 300, y + 220), WHITE, radius=24)
        _stroke(draw, [(130, y + 110), (185, y + 165), (275, y + 40)], 48)
        _stroke(draw, [(400, y + 110), (870, y + 110)], 60)


def calendar(draw: ImageDraw.ImageDraw) -> None:
    """A page of a calendar: rings at the top and a grid of days, one marked."""
    _box(draw, (110, 150, 850, 860), WHITE, radius=40)
    draw.rounded_rectangle((110, 150, 850, 330), radius=40, fill=INK)
    draw.rectangle((110, 280, 850, 330), fill=INK)
    for x in (280, 680):
        draw.rounded_rectangle((x - 30, 70, x + 30, 230), radius=30, fill=WHITE, outline=INK, width=30)
    for row in range(3):
        for column in range(4):
            left, top = 180 + column * 160, 390 + row * 150
            marked = (row, column) == (1, 2)
            draw.rectangle((left, top, left + 110, top + 100), fill=PALE_BLUE if marked else INK)
            if marked:
                draw.rectangle((left - 15, top - 15, left + 125, top + 115), outline=INK, width=30)


def telephone(draw: ImageDraw.ImageDraw) -> None:
    """A desk telephone: a base with a round dial and the handset resting on top."""
    draw.polygon([(250, 420), (710, 420), (850, 820), (110, 820)], fill=PALE_BLUE, outline=INK, width=LINE)
    _circle(draw, (480, 620), 140, WHITE)
    for step in range(8):
        radians = math.radians(200 + step * 26)
        _circle(draw, (480 + 85 * math.cos(radians), 620 + 85 * math.sin(radians)), 20, INK, 0)
    _circle(draw, (480, 620), 30, INK, 0)
    draw.rounded_rectangle((90, 210, 870, 330), radius=60, fill=INK)
    draw.rounded_rectangle((70, 250, 290, 420), radius=60, fill=INK)
    draw.rounded_rectangle((670, 250, 890, 420), radius=60, fill=INK)


DRAWERS: dict[str, Callable[[ImageDraw.ImageDraw], None]] = {
    "meeting": meeting, "review": review, "good": good, "improve": improve, "said": said, "vote": vote,
    "signed_off": signed_off, "returned": returned, "escalated": escalated, "action": action,
    "calendar": calendar, "help": telephone,
}


def render(key: str) -> Image.Image:
    """Draw large, shrink with a good filter, then keep a small palette so the file stays small."""
    picture = Image.new("RGB", (CANVAS, CANVAS), WHITE)
    DRAWERS[key](ImageDraw.Draw(picture))
    small = picture.resize((SIZE, SIZE), Image.Resampling.LANCZOS)
    return small.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def draw_all(folder: Path = ICON_FOLDER) -> list[Path]:
    """Every key in ICONS gets a picture; a key with no drawing is an error here, not a gap in a document."""
    missing = sorted(set(ICONS) - set(DRAWERS))
    if missing:
        raise SystemExit(f"No drawing for these icons: {', '.join(missing)}. Add one to scripts/draw_icons.py.")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for key in ICONS:
        path = folder / f"{key}.png"
        render(key).save(path, optimize=True)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in draw_all():
        print(f"{path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}: "
              f"{path.stat().st_size:,} bytes")
