"""Text fitted to a width in pixels: wrapped at words, the last line ellipsized at a word.

Why pixels and not characters: the panel's font draws a Chinese glyph twice as wide as a
Latin one, so a cut after 44 characters left English lines short and Chinese ones spilling
off the panel (and a cut mid-word read as code: ``model=imag``).  A "word" is a run of
non-space characters, or a single CJK character (Chinese breaks between any two).
"""

from __future__ import annotations

import re
from collections.abc import Callable

ELLIPSIS = "…"
#: a CJK character (breakable on either side), or a run of other non-space characters
#: with the spaces after it
_TOKEN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|"
                    r"[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+\s*|\s+")

Measure = Callable[[str], int]


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def wrap(text: str, width: int, measure: Measure, max_lines: int = 2) -> list[str]:
    """``text`` in at most ``max_lines`` lines no wider than ``width`` (by ``measure``);
    when it does not fit, the last line ends in an ellipsis after its last whole word.
    A single word wider than the whole line is the only thing ever cut inside."""
    lines: list[str] = []
    cur = ""
    toks = tokens(text)
    i = 0
    while i < len(toks):
        tok = toks[i]
        if measure((cur + tok).rstrip()) <= width:
            cur += tok
            i += 1
            continue
        if not cur.strip():                       # one word wider than the line
            cur = _cut(tok, width, measure)
            i += 1
        if len(lines) + 1 == max_lines:
            lines.append(ellipsize(cur.rstrip(), width, measure, forced=True))
            return lines
        lines.append(cur.rstrip())
        cur = ""
        while i < len(toks) and not toks[i].strip():   # no line starts with spaces
            i += 1
    if cur.strip() or not lines:
        lines.append(cur.rstrip())
    return lines


def ellipsize(text: str, width: int, measure: Measure, forced: bool = False) -> str:
    """``text`` if it fits (and nothing follows it: ``forced`` False), else its longest
    run of whole words that fits with an ellipsis after it."""
    if not forced and measure(text) <= width:
        return text
    toks = tokens(text)
    while toks:
        candidate = "".join(toks).rstrip() + ELLIPSIS
        if measure(candidate) <= width:
            return candidate
        toks.pop()
    return _cut(ELLIPSIS, width, measure)


def _cut(word: str, width: int, measure: Measure) -> str:
    while word and measure(word) > width:
        word = word[:-1]
    return word
