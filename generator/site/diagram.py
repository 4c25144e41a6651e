"""The lifecycle as a picture: inline SVG drawn while the site is built, with no script and
nothing fetched from any host when it is viewed.

States run top to bottom in their order, one under the other, in bands by the team that owns
them. An arrow leads to each allowed next state: the arrow to the next state in order runs
straight down the middle; longer arrows forward run down the right side and arrows back to an
earlier state down the left side, each on a track of its own (arrows to one state share one),
so no arrow crosses a box. A handoff is a bold arrow labelled with its service level; where a
rejected record goes is a dashed arrow that forks off the handoff, labelled with the number of
reasons. Final states have a double border.

Every text from the playbook passes through `text` (a token or character references while the
site is rendered, `html.escape` in tests); ids written into attributes are checked. The work
grows with the states and arrows, not their product: the tracks of a side are capped, and a
side with more arrows than tracks lets them share.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_left, insort
from collections.abc import Callable
from dataclasses import dataclass, field

from ..model.playbook import Handoff, Playbook

SAFE_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

# Sizes are in the picture's own units. On a 390 px phone the picture is about 358 px wide,
# 0.9 of its 400 units, so 12.5 units of text show at 11 px.
WIDTH, MAX_WIDTH = 400.0, 440.0
NAME_SIZE, TEXT_SIZE = 14.0, 12.5
BOX_MAX, BOX_MIN = 250.0, 150.0
BOX_PAD = 12.0  # inside a box, left and right
NAME_LINE = 17.0
MARGIN = 8.0  # between the outermost track and the picture's edge
TRACK = 8.0  # between two tracks
TRACK_GAP = 14.0  # at least, between the innermost track and the boxes
MAX_TRACKS = 16  # a side; more arrows share tracks
SLOT = 20.0  # one line of labels between two boxes
GROUP_GAP = 8.0  # between the labels of two handoffs
BAND_HEAD = 24.0
MIN_GAP = 26.0
RADIUS = 5.0  # of an arrow's corners
UNITS = {"business-hours": "business hours", "business-days": "business days", "hours": "hours", "days": "days"}
RECORDS = {"lead": "lead", "opportunity": "opportunity", "customer": "customer"}
# Colours for a picture seen without the site's styles; playbook.css sets them from the theme.
FILLS = {"lead": "#ffffff", "opportunity": "#e8ebfa", "customer": "#e6f4ea", "record": "#ffffff"}


def lifecycle_svg(playbook: Playbook, text: Callable[[str], str]) -> str:
    """The lifecycle states and handoffs of the playbook as an SVG element."""
    return _Diagram(playbook, text).svg()


# Text widths ---------------------------------------------------------------------------------

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


# Geometry ------------------------------------------------------------------------------------


@dataclass(eq=False)
class _Bundle:
    """The track shared by the arrows of one side, one style and one target state."""

    side: str  # "left" or "right"
    target: int
    low: int  # positions: a box is 2 * row, the gap under it 2 * row + 1
    high: int
    track: int = 0
    x: float = 0.0


@dataclass(eq=False)
class _Edge:
    kind: str  # "next", "handoff" or "reject"
    source: int
    target: int
    side: str  # "down" (straight to the next state in order), "left" or "right"
    handoff: Handoff | None = None
    parent: _Edge | None = None  # a rejection's handoff
    fork: bool = False  # a rejection that forks off its handoff's arrow under the source
    bundle: _Bundle | None = None
    label: tuple[str, ...] = ()  # phrases, raw text (from the playbook in a handoff's)
    lines: list[str] = field(default_factory=list)
    gap: int = -1  # the gap the label is in
    top: float = 0.0  # where its first line is, down from the top of the gap's labels
    column: str = ""  # "left" or "right"


@dataclass
class _Box:
    row: int
    top: float = 0.0
    height: float = 0.0
    name: list[str] = field(default_factory=list)


def _check(value: str) -> str:
    if not SAFE_ID.fullmatch(value):
        raise ValueError(f"not a safe id: {value!r}")
    return value


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _rounded(points: list[tuple[float, float]]) -> str:
    """An SVG path through points, its corners rounded."""
    kept = [points[0]]
    for point in points[1:]:
        if abs(point[0] - kept[-1][0]) > 0.01 or abs(point[1] - kept[-1][1]) > 0.01:
            kept.append(point)
    parts = [f"M{_num(kept[0][0])},{_num(kept[0][1])}"]
    for i in range(1, len(kept) - 1):
        (ax, ay), (bx, by), (cx, cy) = kept[i - 1], kept[i], kept[i + 1]
        before, after = abs(bx - ax) + abs(by - ay), abs(cx - bx) + abs(cy - by)
        r = min(RADIUS, before / 2, after / 2)
        sx, sy = bx - (bx - ax) / before * r, by - (by - ay) / before * r
        ex, ey = bx + (cx - bx) / after * r, by + (cy - by) / after * r
        parts.append(f"L{_num(sx)},{_num(sy)}Q{_num(bx)},{_num(by)} {_num(ex)},{_num(ey)}")
    parts.append(f"L{_num(kept[-1][0])},{_num(kept[-1][1])}")
    return "".join(parts)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def service_level(handoff: Handoff) -> str:
    """'within 1 business hour', 'within 2 business days'."""
    within = handoff.service_level.within
    unit = UNITS.get(handoff.service_level.unit, handoff.service_level.unit.replace("-", " "))
    if within == 1 and unit.endswith("s"):
        unit = unit[:-1]
    return f"within {within} {unit}"


class _Diagram:
    def __init__(self, playbook: Playbook, text: Callable[[str], str]) -> None:
        self.pb = playbook
        self.text = text
        self.states = playbook.lifecycle
        self.row = {_check(s.id): i for i, s in enumerate(self.states)}
        self.boxes = [_Box(i) for i in range(len(self.states))]
        self.edges: list[_Edge] = []
        self.bundles: list[_Bundle] = []
        self.left: list[list[_Edge]] = [[] for _ in self.states]  # per gap, the labels in it
        self.right: list[list[_Edge]] = [[] for _ in self.states]
        self._edges()
        self.forks: dict[int, list[_Edge]] = {}  # by id of the handoff's edge
        for edge in self.edges:
            if edge.parent is not None and edge.fork:
                self.forks.setdefault(id(edge.parent), []).append(edge)
        self._tracks()
        self._across()
        self._labels()
        self._down()
        self._ports()

    # Which arrows -------------------------------------------------------------------------

    def _edges(self) -> None:
        handoffs: dict[tuple[int, int], list[Handoff]] = {}
        for handoff in self.pb.handoffs:
            _check(handoff.id)
            if handoff.from_state in self.row and handoff.to_state in self.row \
                    and handoff.from_state != handoff.to_state:
                handoffs.setdefault((self.row[handoff.from_state], self.row[handoff.to_state]), []).append(handoff)
        pairs: list[tuple[int, int]] = []
        for i, state in enumerate(self.states):
            for next_id in dict.fromkeys(state.next_states):
                if next_id in self.row and self.row[next_id] != i:
                    pairs.append((i, self.row[next_id]))
        seen = set(pairs)
        pairs += [pair for pair in handoffs if pair not in seen]
        for source, target in pairs:
            side = "down" if target == source + 1 else "right" if target > source else "left"
            if (source, target) not in handoffs:
                self.edges.append(_Edge("next", source, target, side))
            for handoff in handoffs.get((source, target), ()):
                # An arrow down a side is far from its label: the label names where it goes.
                label = (service_level(handoff),) if side == "down" else \
                    (f"to {self._short(target)}", service_level(handoff))
                edge = _Edge("handoff", source, target, side, handoff, label=label)
                self.edges.append(edge)
                self._rejections(edge, handoff)

    def _short(self, row: int) -> str:
        state = self.states[row]
        return " ".join((state.abbreviation or state.name).split())

    def _rejections(self, parent: _Edge, handoff: Handoff) -> None:
        counts: dict[str, int] = {}
        for rejection in handoff.rejection_reasons:
            if rejection.goes_to in self.row:
                counts[rejection.goes_to] = counts.get(rejection.goes_to, 0) + 1
        for goes_to, count in counts.items():
            # Off a handoff straight down, rejections fork to the left; off one down the right
            # side, to the right; a handoff back up has no gap to fork in: they leave the box.
            side = "right" if parent.side == "right" else "left"
            self.edges.append(_Edge("reject", parent.source, self.row[goes_to], side, handoff, parent,
                                    parent.side != "left", label=(f"rejected: {_plural(count, 'reason', 'reasons')}",)))

    # Tracks, and the picture's width ---------------------------------------------------------

    def _tracks(self) -> None:
        shared: dict[tuple[str, int, str], _Bundle] = {}
        for edge in self.edges:
            if edge.side == "down":
                continue
            start = 2 * edge.source + (1 if edge.fork else 0)
            low, high = min(start, 2 * edge.target), max(start, 2 * edge.target)
            if edge.kind == "handoff":
                bundle = _Bundle(edge.side, edge.target, low, high)
                self.bundles.append(bundle)
            else:
                key = (edge.side, edge.target, edge.kind)
                bundle = shared.get(key) or _Bundle(edge.side, edge.target, low, high)
                if key not in shared:
                    shared[key] = bundle
                    self.bundles.append(bundle)
                bundle.low, bundle.high = min(bundle.low, low), max(bundle.high, high)
            edge.bundle = bundle
        # A right fork starts on its handoff's track: that track reaches down into the gap.
        # Shortest first, each on the innermost track free over its whole length, so that
        # short arrows nest inside long ones.
        self.used = {"left": 0, "right": 0}
        taken: dict[str, list[list[tuple[int, int]]]] = {"left": [], "right": []}
        for bundle in sorted(self.bundles, key=lambda b: (b.high - b.low, b.low)):
            tracks = taken[bundle.side]
            for number in range(MAX_TRACKS):
                if number == len(tracks):
                    tracks.append([])
                spans = tracks[number]
                at = bisect_left(spans, (bundle.low, bundle.high))
                if (at == 0 or spans[at - 1][1] < bundle.low) and (at == len(spans) or spans[at][0] > bundle.high):
                    break
            insort(spans, (bundle.low, bundle.high))
            bundle.track = number
            self.used[bundle.side] = max(self.used[bundle.side], number + 1)

    def _across(self) -> None:
        """Horizontal places: tracks outermost, boxes in the middle."""
        self.step = {side: TRACK if n <= 7 else max(3.0, 6 * TRACK / (n - 1)) for side, n in self.used.items()}
        extent = {side: MARGIN + (n - 1) * self.step[side] + TRACK_GAP if n else MARGIN
                  for side, n in self.used.items()}
        self.width = max(WIDTH, min(MAX_WIDTH, extent["left"] + extent["right"] + BOX_MAX))
        self.box_width = max(BOX_MIN, min(BOX_MAX, self.width - extent["left"] - extent["right"]))
        self.box_left = max(extent["left"], min((self.width - self.box_width) / 2,
                                                self.width - extent["right"] - self.box_width))
        self.box_right = self.box_left + self.box_width
        self.cx = self.box_left + self.box_width / 2
        for bundle in self.bundles:
            step = self.step[bundle.side] * bundle.track
            bundle.x = (extent["left"] - TRACK_GAP - step if bundle.side == "left"
                        else self.width - extent["right"] + TRACK_GAP + step)
        # The innermost track that runs through each gap, on each side, for labels to stop short of.
        self.nearest: dict[str, list[float | None]] = {"left": [None] * len(self.states),
                                                        "right": [None] * len(self.states)}
        for side in ("left", "right"):
            by_track: list[list[int]] = [[0] * (2 * len(self.states) + 2) for _ in range(self.used[side])]
            for bundle in self.bundles:
                if bundle.side == side:
                    by_track[bundle.track][bundle.low] += 1
                    by_track[bundle.track][bundle.high + 1] -= 1
            x_of = {b.track: b.x for b in self.bundles if b.side == side}
            for number, counts in enumerate(by_track):
                running = 0
                for position, change in enumerate(counts[:-1]):
                    running += change
                    if running and position % 2 == 1 and self.nearest[side][position // 2] is None:
                        self.nearest[side][position // 2] = x_of[number]

    # Labels between the boxes ------------------------------------------------------------------

    def _labels(self) -> None:
        """Which labels go in the gap under each box, on which side, in how many lines."""
        for edge in self.edges:
            if edge.kind == "handoff" and edge.side == "down":
                room = (self._right_limit(edge.source) - 4) - (self.cx + 8)
                self._place(edge, "right", edge.source, room)
        for edge in self.edges:
            if edge.kind == "handoff" and edge.side == "right":
                assert edge.bundle is not None
                self._place(edge, "right", edge.source, edge.bundle.x - 5 - (self.cx + 8))
                for reject in self._forks(edge):
                    self._place(reject, "right", edge.source, edge.bundle.x - 6 - (self.cx + 8))
        for edge in self.edges:
            if edge.kind == "handoff" and edge.side == "down":
                for reject in self._forks(edge):
                    left = self.nearest["left"][edge.source]
                    self._place(reject, "left", edge.source, (self.cx - 6) - ((left if left is not None else 0) + 6))
        for edge in self.edges:
            if edge.side == "left" and (edge.kind == "handoff" or (edge.kind == "reject" and not edge.fork)):
                assert edge.bundle is not None
                gap = edge.source - 1 if edge.target < edge.source and edge.source > 0 else edge.source
                self._place(edge, "left", gap, (self.cx - 6) - (edge.bundle.x + 5))

    def _forks(self, handoff: _Edge) -> list[_Edge]:
        """A handoff's rejections, in the order that keeps their arrows from crossing."""
        forks = self.forks.get(id(handoff), [])

        def order(edge: _Edge) -> tuple[int, int]:
            assert edge.bundle is not None
            up = edge.target <= edge.source
            return (0, edge.bundle.track) if up else (1, -edge.bundle.track)

        return sorted(forks, key=order)

    def _right_limit(self, gap: int) -> float:
        nearest = self.nearest["right"][gap]
        return nearest if nearest is not None else self.width - 2

    def _place(self, edge: _Edge, column: str, gap: int, room: float) -> None:
        room = max(room, 60.0)
        whole = " ".join(edge.label)
        # One line if it fits, else a line for each phrase, else as many lines as it takes, up to 3.
        if width_of(whole, TEXT_SIZE, True) <= room:
            edge.lines = [whole]
        elif all(width_of(phrase, TEXT_SIZE, True) <= room for phrase in edge.label):
            edge.lines = list(edge.label)
        else:
            edge.lines = fit(whole, TEXT_SIZE, room, 3, bold=True)
        edge.gap, edge.column = gap, column
        labels = self.left[gap] if column == "left" else self.right[gap]
        # A little space between the labels of one handoff and the next.
        edge.top = self._used(labels) + (GROUP_GAP if labels and self._group(labels[-1]) is not self._group(edge)
                                         else 0.0)
        labels.append(edge)

    @staticmethod
    def _group(edge: _Edge) -> _Edge:
        return edge.parent or edge

    @staticmethod
    def _used(labels: list[_Edge]) -> float:
        return labels[-1].top + len(labels[-1].lines) * SLOT if labels else 0.0

    # Vertical places -----------------------------------------------------------------------------

    def _down(self) -> None:
        inner = self.box_width - 2 * BOX_PAD
        y = 6.0
        self.bands: list[tuple[str, float, float]] = []  # owner, top, bottom
        for i, state in enumerate(self.states):
            box = self.boxes[i]
            if i == 0 or state.owner != self.states[i - 1].owner:
                if self.bands:
                    owner, top, _ = self.bands[-1]
                    self.bands[-1] = (owner, top, y)
                self.bands.append((state.owner, y, y))
                y += BAND_HEAD
            box.name = fit(state.name, NAME_SIZE, inner, 2, bold=True)
            box.top, box.height = y, 12 + NAME_LINE * len(box.name) + 26
            y += box.height
            used = max(self._used(self.left[i]), self._used(self.right[i]))
            gap = 8 + used + 6 if used else 0.0
            if i + 1 < len(self.states):
                gap = max(gap, MIN_GAP if self.states[i + 1].owner == state.owner else 12.0)
            else:
                gap += 12
            y += gap
        if self.bands:
            owner, top, _ = self.bands[-1]
            self.bands[-1] = (owner, top, y)
        self.legend_top = y + 10
        self.height = self.legend_top + 4 * 22 + 6

    def _line_y(self, gap: int, top: float) -> float:
        """The baseline of a label line in the gap under a box."""
        box = self.boxes[gap]
        return box.top + box.height + 8 + top + 12

    # Where arrows meet the boxes ---------------------------------------------------------------

    def _ports(self) -> None:
        """Where each arrow leaves or enters a box's side, ordered so that they do not cross."""
        items: dict[tuple[int, str], list[tuple[_Bundle, str]]] = {}
        for bundle in self.bundles:
            items.setdefault((bundle.target, bundle.side), []).append((bundle, "in"))
        seen: set[tuple[int, int]] = set()
        for edge in self.edges:
            if edge.bundle is not None and not edge.fork and (edge.source, id(edge.bundle)) not in seen:
                seen.add((edge.source, id(edge.bundle)))
                items.setdefault((edge.source, edge.side), []).append((edge.bundle, "out"))
        self.port: dict[tuple[int, int, str], float] = {}
        for (row, _side), entries in items.items():
            position = 2 * row

            def order(entry: tuple[_Bundle, str], position: int = position) -> tuple[int, int]:
                bundle = entry[0]
                up, down = bundle.low < position, bundle.high > position
                if up and not down:
                    return (0, bundle.track)
                if down and not up:
                    return (2, -bundle.track)
                return (1, bundle.track)

            box = self.boxes[row]
            entries.sort(key=order)
            for k, (bundle, role) in enumerate(entries):
                self.port[(row, id(bundle), role)] = box.top + box.height * (k + 1) / (len(entries) + 1)

    # Drawing -----------------------------------------------------------------------------------

    def svg(self) -> str:
        n, h = len(self.states), len([e for e in self.edges if e.kind == "handoff"])
        title = "Lead, opportunity and customer lifecycle"
        desc = (f"The lead and opportunity lifecycle: {_plural(n, 'state', 'states')}, "
                f"{_plural(h, 'handoff', 'handoffs')}. The states run top to bottom in their order, grouped "
                "by the team that owns them. Arrows lead to the allowed next states; bold arrows are "
                "handoffs, labelled with their service level; dashed arrows show where a rejected record "
                "goes. The tables below say the same in words.")
        out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="pb-dg" viewBox="0 0 {_num(self.width)} '
               f'{_num(self.height)}" width="100%" role="img" aria-labelledby="pb-dg--title pb-dg--desc" '
               'font-family="Helvetica, Arial, sans-serif" style="max-width: 24rem">',
               f'<title id="pb-dg--title">{title}</title>',
               f'<desc id="pb-dg--desc">{desc}</desc>',
               "<defs>"]
        for kind, colour in (("next", "#6b6b6b"), ("handoff", "#3f51b5"), ("reject", "#b3261e")):
            out.append(f'<marker id="pb-dg--{kind}" class="pb-dg-head pb-dg-head--{kind}" viewBox="0 0 10 10" '
                       'refX="9" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" '
                       f'orient="auto"><path d="M0,1L10,5L0,9z" fill="{colour}"/></marker>')
        out.append("</defs>")
        out += self._bands()
        out.append('<g class="pb-dg-edges" fill="none">')
        for edge in self.edges:
            out += self._edge(edge)
        out.append("</g>")
        out.append('<g class="pb-dg-states">')
        for i in range(n):
            out += self._state(i)
        out.append("</g>")
        out.append('<g class="pb-dg-labels">')
        for edge in self.edges:
            out += self._label(edge)
        out.append("</g>")
        out += self._legend()
        out.append("</svg>")
        return "\n".join(out)

    def _t(self, x: float, y: float, cls: str, content: str, anchor: str = "start",
           size: float = TEXT_SIZE, weight: str = "400") -> str:
        return (f'<text x="{_num(x)}" y="{_num(y)}" class="{cls}" font-size="{_num(size)}" '
                f'font-weight="{weight}" text-anchor="{anchor}">{content}</text>')

    def _bands(self) -> list[str]:
        out = ['<g class="pb-dg-bands">']
        teams = self.pb.settings.teams
        for owner, top, bottom in self.bands:
            kind = owner if owner in ("sales", "marketing") else "other"
            team = teams[owner].name if owner in teams else owner
            name = fit(team, TEXT_SIZE, self.box_width, 1, bold=True)
            out.append(f'<g class="pb-dg-band pb-dg-band--{kind}">')
            out.append(f'<rect x="0" y="{_num(top)}" width="{_num(self.width)}" height="{_num(bottom - top)}" '
                       f'rx="0" fill="#f4f4f4"/>')
            if name:
                out.append(self._t(self.box_left, top + 17, "pb-dg-team pb-dg-halo", self.text(name[0]), weight="700"))
            out.append("</g>")
        out.append("</g>")
        return out

    def _state(self, i: int) -> list[str]:
        state, box = self.states[i], self.boxes[i]
        record = RECORDS.get(state.record, "record")
        final = not state.next_states
        x, w = self.box_left, self.box_width
        out = [f'<g class="pb-dg-state pb-dg-state--{record}{" pb-dg-state--final" if final else ""}" '
               f'data-state="{_check(state.id)}">',
               f'<rect class="pb-dg-box" x="{_num(x)}" y="{_num(box.top)}" width="{_num(w)}" '
               f'height="{_num(box.height)}" rx="8" fill="{FILLS[record]}" stroke="#6b6b6b" stroke-width="1.5"/>']
        if final:
            out.append(f'<rect class="pb-dg-box pb-dg-box--inner" x="{_num(x + 3.5)}" y="{_num(box.top + 3.5)}" '
                       f'width="{_num(w - 7)}" height="{_num(box.height - 7)}" rx="5" fill="none" '
                       'stroke="#6b6b6b" stroke-width="1"/>')
        for k, line in enumerate(box.name):
            out.append(self._t(self.cx, box.top + 12 + NAME_LINE * k + 13, "pb-dg-name", self.text(line),
                               anchor="middle", size=NAME_SIZE, weight="600"))
        words = record + (" · final" if final else "")
        sub = html.escape(words)
        if state.abbreviation:
            room = w - 2 * BOX_PAD - width_of(" · " + words, TEXT_SIZE)
            short = fit(state.abbreviation, TEXT_SIZE, max(room, 30.0), 1)
            if short:
                sub = f"{self.text(short[0])} · {sub}"
        out.append(self._t(self.cx, box.top + 12 + NAME_LINE * len(box.name) + 14, "pb-dg-sub", sub,
                           anchor="middle"))
        out.append("</g>")
        return out

    def _edge(self, edge: _Edge) -> list[str]:
        src = self.boxes[edge.source]
        dst = self.boxes[edge.target]
        marker = f"pb-dg--{edge.kind}"
        fork: tuple[float, float] | None = None
        if edge.side == "down":
            points = [(self.cx, src.top + src.height), (self.cx, dst.top)]
        else:
            bundle = edge.bundle
            assert bundle is not None
            inside = self.box_left if edge.side == "left" else self.box_right
            end = (inside, self.port[(edge.target, id(bundle), "in")])
            if edge.fork:
                assert edge.parent is not None
                y = self._line_y(edge.gap, edge.top + (len(edge.lines) - 1) * SLOT) + 5
                start_x = self.cx if edge.parent.side == "down" else self._x(edge.parent)
                fork = (start_x, y)
                points = [fork, (bundle.x, y), (bundle.x, end[1]), end]
            else:
                start = (inside, self.port[(edge.source, id(bundle), "out")])
                points = [start, (bundle.x, start[1]), (bundle.x, end[1]), end]
        source, target = self.states[edge.source].id, self.states[edge.target].id
        if edge.kind == "reject":
            assert edge.handoff is not None
            attributes = f'data-rejection="{_check(edge.handoff.id)}" data-goes-to="{target}"'
            style = 'stroke="#b3261e" stroke-width="1.75" stroke-dasharray="5 4"'
        elif edge.kind == "handoff":
            assert edge.handoff is not None
            attributes = f'data-handoff="{_check(edge.handoff.id)}" data-from="{source}" data-to="{target}"'
            style = 'stroke="#3f51b5" stroke-width="2.75"'
        else:
            attributes = f'data-from="{source}" data-to="{target}"'
            style = 'stroke="#6b6b6b" stroke-width="1.25"'
        out = [f'<path class="pb-dg-edge pb-dg-edge--{edge.kind}" {attributes} d="{_rounded(points)}" {style} '
               f'marker-end="url(#{marker})"/>']
        if fork is not None:
            out.append(f'<circle class="pb-dg-fork" cx="{_num(fork[0])}" cy="{_num(fork[1])}" r="3" '
                       'fill="#b3261e"/>')
        return out

    def _x(self, edge: _Edge) -> float:
        assert edge.bundle is not None
        return edge.bundle.x

    def _label(self, edge: _Edge) -> list[str]:
        if not edge.lines:
            return []
        cls = f"pb-dg-label pb-dg-label--{edge.kind} pb-dg-halo"
        if edge.kind == "reject" and edge.fork:
            assert edge.parent is not None
            x, anchor = (self.cx if edge.parent.side == "down" else self._x(edge.parent)) - 6, "end"
        elif edge.side == "down":
            x, anchor = self.cx + 8, "start"
        elif edge.side == "right":
            x, anchor = self._x(edge) - 5, "end"
        else:
            x, anchor = self._x(edge) + 5, "start"
        weight = "600" if edge.kind == "handoff" else "400"
        content = self.text if edge.kind == "handoff" else html.escape
        return [self._t(x, self._line_y(edge.gap, edge.top + k * SLOT), cls, content(line), anchor=anchor,
                        weight=weight)
                for k, line in enumerate(edge.lines)]

    def _legend(self) -> list[str]:
        y = self.legend_top
        x = 12.0
        out = [f'<g class="pb-dg-legend" transform="translate(0 {_num(y)})">']
        rows = (("next", 'stroke="#6b6b6b" stroke-width="1.25"', "allowed next state"),
                ("handoff", 'stroke="#3f51b5" stroke-width="2.75"', "handoff, with its service level"),
                ("reject", 'stroke="#b3261e" stroke-width="1.75" stroke-dasharray="5 4"',
                 "where a rejected record goes"))
        for k, (kind, style, words) in enumerate(rows):
            line_y = 11 + 22 * k
            out.append(f'<path class="pb-dg-edge pb-dg-edge--{kind}" d="M{_num(x)},{_num(line_y - 4)}'
                       f'L{_num(x + 34)},{_num(line_y - 4)}" fill="none" {style} marker-end="url(#pb-dg--{kind})"/>')
            out.append(self._t(x + 44, line_y, "pb-dg-key", words))
        line_y = 11 + 22 * 3
        at = x
        for kind, words in (("lead", "lead"), ("opportunity", "opportunity"), ("customer", "customer"),
                            ("final", "final state")):
            state_class = "pb-dg-state--lead pb-dg-state--final" if kind == "final" else f"pb-dg-state--{kind}"
            out.append(f'<g class="pb-dg-state {state_class}">')
            out.append(f'<rect class="pb-dg-box" x="{_num(at)}" y="{_num(line_y - 12)}" width="26" height="16" '
                       f'rx="4" fill="{FILLS.get(kind, FILLS["lead"])}" stroke="#6b6b6b" stroke-width="1.5"/>')
            if kind == "final":
                out.append(f'<rect class="pb-dg-box pb-dg-box--inner" x="{_num(at + 3)}" y="{_num(line_y - 9)}" '
                           'width="20" height="10" rx="2" fill="none" stroke="#6b6b6b" stroke-width="1"/>')
            out.append("</g>")
            out.append(self._t(at + 32, line_y, "pb-dg-key", words))
            at += 32 + width_of(words, TEXT_SIZE) + 18
        out.append("</g>")
        return out
