"""Where the lifecycle diagram puts each box, arrow and label (pages/lifecycle.py draws them).

States run top to bottom in their order, one under the other, in bands by the team that owns
them. An arrow leads to each allowed next state: the arrow to the next state in order runs
straight down the middle; longer arrows forward run down the right side and arrows back to an
earlier state down the left side, each on a track of its own (arrows to one state share one),
so no arrow crosses a box. Labels sit in the gaps between the boxes, beside their arrows.

The work grows with the states and arrows, not their product: the tracks of a side are capped, and
a side with more arrows than tracks lets them share.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass, field

from ...model.entities import Handoff
from ...model.playbook import Playbook
from ...source.numbers import duration
from .text_width import fit, width_of

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


# Geometry ------------------------------------------------------------------------------------


@dataclass(eq=False)
class Bundle:
    """The track shared by the arrows of one side, one style and one target state."""

    side: str  # "left" or "right"
    target: int
    low: int  # positions: a box is 2 * row, the gap under it 2 * row + 1
    high: int
    track: int = 0
    x: float = 0.0


@dataclass(eq=False)
class Edge:
    kind: str  # "next", "handoff" or "reject"
    source: int
    target: int
    side: str  # "down" (straight to the next state in order), "left" or "right"
    handoff: Handoff | None = None
    parent: Edge | None = None  # a rejection's handoff
    fork: bool = False  # a rejection that forks off its handoff's arrow under the source
    bundle: Bundle | None = None
    label: tuple[str, ...] = ()  # phrases, raw text (from the playbook in a handoff's)
    lines: list[str] = field(default_factory=list)
    gap: int = -1  # the gap the label is in
    top: float = 0.0  # where its first line is, down from the top of the gap's labels
    column: str = ""  # "left" or "right"


@dataclass
class Box:
    row: int
    top: float = 0.0
    height: float = 0.0
    name: list[str] = field(default_factory=list)


def check_id(value: str) -> str:
    """An id, checked before it is written into an attribute."""
    if not SAFE_ID.fullmatch(value):
        raise ValueError(f"not a safe id: {value!r}")
    return value


def plural(count: int, one: str, many: str) -> str:
    """'1 reason', '3 reasons'."""
    return f"{count} {one if count == 1 else many}"


def service_level(handoff: Handoff) -> str:
    """'within 1 business hour', 'within 2 business days'."""
    return f"within {duration(handoff.service_level.within, handoff.service_level.unit)}"


class Layout:
    """The places of everything in the diagram of a playbook's lifecycle, in the picture's units."""

    def __init__(self, playbook: Playbook) -> None:
        self.pb = playbook
        self.states = playbook.lifecycle
        self.row = {check_id(s.id): i for i, s in enumerate(self.states)}
        self.boxes = [Box(i) for i in range(len(self.states))]
        self.edges: list[Edge] = []
        self.bundles: list[Bundle] = []
        self.left: list[list[Edge]] = [[] for _ in self.states]  # per gap, the labels in it
        self.right: list[list[Edge]] = [[] for _ in self.states]
        self._edges()
        self.forks: dict[int, list[Edge]] = {}  # by id of the handoff's edge
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
            check_id(handoff.id)
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
                self.edges.append(Edge("next", source, target, side))
            for handoff in handoffs.get((source, target), ()):
                # An arrow down a side is far from its label: the label names where it goes.
                label = (service_level(handoff),) if side == "down" else \
                    (f"to {self._short(target)}", service_level(handoff))
                edge = Edge("handoff", source, target, side, handoff, label=label)
                self.edges.append(edge)
                self._rejections(edge, handoff)

    def _short(self, row: int) -> str:
        state = self.states[row]
        return " ".join((state.abbreviation or state.name).split())

    def _rejections(self, parent: Edge, handoff: Handoff) -> None:
        counts: dict[str, int] = {}
        for rejection in handoff.rejection_reasons:
            if rejection.goes_to in self.row:
                counts[rejection.goes_to] = counts.get(rejection.goes_to, 0) + 1
        for goes_to, count in counts.items():
            # Off a handoff straight down, rejections fork to the left; off one down the right
            # side, to the right; a handoff back up has no gap to fork in: they leave the box.
            side = "right" if parent.side == "right" else "left"
            self.edges.append(Edge("reject", parent.source, self.row[goes_to], side, handoff, parent,
                                    parent.side != "left", label=(f"rejected: {plural(count, 'reason', 'reasons')}",)))

    # Tracks, and the picture's width ---------------------------------------------------------

    def _tracks(self) -> None:
        shared: dict[tuple[str, int, str], Bundle] = {}
        for edge in self.edges:
            if edge.side == "down":
                continue
            start = 2 * edge.source + (1 if edge.fork else 0)
            low, high = min(start, 2 * edge.target), max(start, 2 * edge.target)
            if edge.kind == "handoff":
                bundle = Bundle(edge.side, edge.target, low, high)
                self.bundles.append(bundle)
            else:
                key = (edge.side, edge.target, edge.kind)
                bundle = shared.get(key) or Bundle(edge.side, edge.target, low, high)
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

    def _forks(self, handoff: Edge) -> list[Edge]:
        """A handoff's rejections, in the order that keeps their arrows from crossing."""
        forks = self.forks.get(id(handoff), [])

        def order(edge: Edge) -> tuple[int, int]:
            assert edge.bundle is not None
            up = edge.target <= edge.source
            return (0, edge.bundle.track) if up else (1, -edge.bundle.track)

        return sorted(forks, key=order)

    def _right_limit(self, gap: int) -> float:
        nearest = self.nearest["right"][gap]
        return nearest if nearest is not None else self.width - 2

    def _place(self, edge: Edge, column: str, gap: int, room: float) -> None:
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
    def _group(edge: Edge) -> Edge:
        return edge.parent or edge

    @staticmethod
    def _used(labels: list[Edge]) -> float:
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
        items: dict[tuple[int, str], list[tuple[Bundle, str]]] = {}
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

            def order(entry: tuple[Bundle, str], position: int = position) -> tuple[int, int]:
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
