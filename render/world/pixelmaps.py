"""Small pixel maps the sprites are drawn from: one character per pixel.

Why text: a sprite is reviewable in a diff and needs no image editor; ``render.world.sprites`` and
``tools/make_assets.py`` turn the maps into surfaces with :data:`KEYS`.  ``.`` is transparent;
``S``/``D`` are the shirt and its shade (tier colour), ``C`` the content colour.
"""

from __future__ import annotations

from render import palette as P

KEYS: dict[str, P.Color] = {
    "k": P.BLACK, "i": P.INK, "h": P.BROWN_DARK, "s": P.SKIN, "z": P.SKIN_DARK,
    "p": P.NIGHT, "b": P.BLACK, "w": P.WHITE, "y": P.YELLOW, "g": P.GOLD, "r": P.RED,
    "R": P.RED_DARK, "t": P.STEEL, "l": P.SILVER, "c": P.CLOUD, "n": P.BROWN, "a": P.TAN,
    "o": P.ORANGE, "e": P.GREEN, "q": P.SLATE, "u": P.BLUE,
}

# People: 8x14, two crown rows on top (blank unless VIP), facing down/up/left.
_HEAD_DOWN = [
    "..hhhh..",
    ".hhhhhh.",
    ".hssssh.",
    ".skssks.",
    "..ssss..",
]
_HEAD_UP = [
    "..hhhh..",
    ".hhhhhh.",
    ".hhhhhh.",
    ".hhhhhh.",
    "..hhhh..",
]
_HEAD_LEFT = [
    "..hhhh..",
    ".hhhhhh.",
    ".sshhhh.",
    ".kshhhh.",
    "..sss...",
]
_BODY_FRONT = [
    ".SSSSSS.",
    "sSSSSSSs",
    "sDSSSSDs",
    ".SSSSSS.",
]
_BODY_SIDE = [
    "..SSSS..",
    "..SSSS..",
    "..SsSD..",
    "..SSSS..",
]
_LEGS_FRONT = (
    [".pp..pp.", ".pp..pp.", ".bb..bb."],
    [".pp..pp.", ".pp...b.", ".bb....."],
    [".pp..pp.", ".b...pp.", ".....bb."],
)
_LEGS_SIDE = (
    ["..pppp..", "..pp.p..", "..bb.bb."],
    ["..ppp...", ".pp..p..", ".bb..bb."],
    ["...ppp..", "..p..pp.", ".bb...b."],
)
_CROWN = ["..y.y.y.", "..yyyyy."]
_NO_CROWN = ["........", "........"]


def person(direction: str, frame: int, vip: bool) -> list[str]:
    """The 8x14 map of a walker facing ``direction`` (down/up/left/right) at ``frame`` 0..2."""
    top = _CROWN if vip else _NO_CROWN
    if direction in ("down", "up"):
        head = _HEAD_DOWN if direction == "down" else _HEAD_UP
        rows = top + head + _BODY_FRONT + _LEGS_FRONT[frame % 3]
    else:
        rows = top + _HEAD_LEFT + _BODY_SIDE + _LEGS_SIDE[frame % 3]
        if direction == "right":
            rows = [r[::-1] for r in rows]
    return rows


# Staff: same shapes with fixed shirts, drawn with a cap.
CAP = ["........", "..qqqq.."]

# Overhead and carried icons.
HOURGLASS = [
    "kkkkk",
    ".kyk.",
    "..k..",
    ".kyk.",
    "kyyyk",
    "kkkkk",
]
#: the 3x breaker's question: a "!" two pixels wide (four on screen), readable across a room
BUBBLE = [
    ".kkkkkkkk.",
    "kwwwrrwwwk",
    "kwwwrrwwwk",
    "kwwwrrwwwk",
    "kwwwrrwwwk",
    "kwwwrrwwwk",
    "kwwwwwwwwk",
    "kwwwrrwwwk",
    "kwwwrrwwwk",
    ".kkkkkkkk.",
    "..kk......",
    "..k.......",
]
COIN = [
    ".ggg.",
    "gyyyg",
    "gygyg",
    "gyyyg",
    ".ggg.",
]
BAG = [
    "..nn..",
    ".naan.",
    "naggan",
    "nagyan",
    "naaaan",
    ".nnnn.",
]
CRATE = [
    "nnnnnnnnnn",
    "naaaaaaaan",
    "nanaaaanan",
    "naanaanaan",
    "naaannaaan",
    "naaannaaan",
    "naanaanaan",
    "nanaaaanan",
    "naaaaaaaan",
    "nnnnnnnnnn",
]

# Content icons, 5x5, "C" is the content colour.
ICONS: dict[str, list[str]] = {
    "image": ["CCCCC", "C.C.C", "CCCCC", "C...C", "CCCCC"],
    "video": ["C.C.C", "CCCCC", "CC.CC", "CCCCC", "C.C.C"],
    "audio": ["..CCC", "..C.C", "..C.C", "CCC.C", "CCC.."],
    "text": ["CCCCC", ".....", "CCCC.", ".....", "CCC.."],
    "job": [".C.C.", "CCCCC", ".C.C.", "CCCCC", ".C.C."],
}

# Machines, 10x10: a console with a screen; the screen gets the content icon.
MACHINE = [
    "kkkkkkkkkkkk",
    "kllllllllllk",
    "kl........lk",
    "kl........lk",
    "kl........lk",
    "kl........lk",
    "kl........lk",
    "kl........lk",
    "kllllllllllk",
    "kttttttttttk",
    "ktqtqtqtqttk",
    "kkkkkkkkkkkk",
]
MACHINE_RENTED = [row.replace("l", "o") for row in MACHINE]

FRIES_BASKET = [
    "k........k",
    "kr.r.r.r.k",
    "krrrrrrrrk",
    "kRRRRRRRRk",
    ".kRRRRRRk.",
    "..kkkkkk..",
]
