"""How wide a text is in Helvetica or Arial, and words fitted to lines of a width: for the
lifecycle diagram, whose SVG text does not wrap and whose boxes must hold their names.

Widths are estimates from the fonts' advance widths, a little generous, so a line measured to fit
does fit in the fonts a browser is likely to use.
"""

from __future__ import annotations

import unicodedata

# Advance widths of Helvetica/Arial (and Liberation Sans), in thousandths of the font size.
_ADVANCE: dict[str, int] = {}
for _chars, _width in ((" !,./:;I[\\]ft|", 278), ("'", 191), ("ijl", 222), ("\"", 355), ("()-r`{}", 333),
                       ("*^", 400), ("Jckvxyz", 500), ("#$0123456789?L_abdeghnopqu", 556), ("+<=>~", 584),
                       ("FTZ", 611), ("&ABEKPSVXY", 667), ("CDHNRUw", 722), ("GOQ", 778), ("Mm", 833),
                       ("%", 889), ("W", 944), ("@", 1015)):
    for _char in _chars:
        _ADVANCE[_char] = _width


def _advance(char: str) -> int:
    known = _ADVANCE.get(char)
    if known is not None:
        return known
    if unicodedata.category(char)[0] == "M" or unicodedata.category(char) == "Cf":
        return 0
    return 1000 if unicodedata.east_asian_width(char) in ("W", "F") else 620


def width_of(words: str, size: float, bold: bool = False) -> float:
    """About how wide words are in Helvetica or Arial (a little more, to be safe)."""
    return sum(_advance(c) for c in words) * size / 1000 * (1.1 if bold else 1.03)


def fit(words: str, size: float, width: float, lines: int, bold: bool = False) -> list[str]:
    """Words on at most `lines` lines of `width`, broken at spaces (inside a word only when it
    is longer than a line); what does not fit ends the last line with '…'."""
    space = width_of(" ", size, bold)
    out: list[str] = []
    line, line_width = "", 0.0
    cut = False
    for word in words.split():
        word_width = width_of(word, size, bold)
        if line and line_width + space + word_width <= width:
            line, line_width = f"{line} {word}", line_width + space + word_width
            continue
        if line:
            out.append(line)
            line, line_width = "", 0.0
        while word_width > width and len(out) < lines:
            piece, rest = _split(word, size, width, bold)
            out.append(piece)
            word, word_width = rest, width_of(rest, size, bold)
        if len(out) >= lines:
            cut = True
            break
        line, line_width = word, word_width
    if line and not cut:
        out.append(line)
    if len(out) > lines:
        out, cut = out[:lines], True
    if cut and out:
        last = out[-1]
        while last and width_of(last + "…", size, bold) > width:
            last = last[:-1]
        out[-1] = last.rstrip() + "…"
    return out


def _split(word: str, size: float, width: float, bold: bool) -> tuple[str, str]:
    """The longest start of a word that fits in width (at least one character), and the rest."""
    used = 0.0
    for i, char in enumerate(word):
        used += width_of(char, size, bold)
        if used > width and i > 0 and unicodedata.category(char)[0] != "M":
            return word[:i], word[i:]
    return word, ""
