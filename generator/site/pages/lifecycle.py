"""The Lifecycle and handoffs page's diagram: inline SVG drawn while the site is built, with no
script and nothing fetched from any host when it is viewed.

The states are boxes, top to bottom in their order, in bands by the team that owns them; where
each box, arrow and label goes is worked out in lifecycle_layout.py. An arrow leads to each
allowed next state. A handoff is a bold arrow labelled with its service level; where a rejected
record goes is a dashed arrow that forks off the handoff, labelled with the number of reasons.
Final states have a double border.

Every text from the playbook passes through `text` (a token or character references while the
site is rendered, `html.escape` in tests); ids written into attributes are checked.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable

from ...model.playbook import Playbook
from .lifecycle_layout import (
    BOX_PAD,
    NAME_LINE,
    NAME_SIZE,
    SLOT,
    TEXT_SIZE,
    Edge,
    Layout,
    check_id,
    plural,
    service_level,
)
from .text_width import fit, width_of

RADIUS = 5.0  # of an arrow's corners
RECORDS = {"lead": "lead", "opportunity": "opportunity", "customer": "customer"}
# Colours for a picture seen without the site's styles; playbook.css sets them from the theme.
FILLS = {"lead": "#ffffff", "opportunity": "#e8ebfa", "customer": "#e6f4ea", "record": "#ffffff"}


def lifecycle_svg(playbook: Playbook, text: Callable[[str], str]) -> str:
    """The lifecycle states and handoffs of the playbook as an SVG element."""
    return _Diagram(playbook, text).svg()


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


class _Diagram(Layout):
    """The diagram drawn: the layout's places, as SVG elements."""

    def __init__(self, playbook: Playbook, text: Callable[[str], str]) -> None:
        self.text = text
        super().__init__(playbook)

    def svg(self) -> str:
        n, h = len(self.states), len([e for e in self.edges if e.kind == "handoff"])
        title = "Lead, opportunity and customer lifecycle"
        desc = (f"The lead and opportunity lifecycle: {plural(n, 'state', 'states')}, "
                f"{plural(h, 'handoff', 'handoffs')}. The states run top to bottom in their order, grouped "
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
        """A band for each run of states one team owns, headed by the team's name. Sales and
        marketing have colours of their own; any other team's band is `other`, and where two
        such bands meet a rule marks where one team's states end and the next team's begin."""
        out = ['<g class="pb-dg-bands">']
        teams = self.pb.settings.teams
        before = ""
        for owner, top, bottom in self.bands:
            kind = owner if owner in ("sales", "marketing") else "other"
            team = teams[owner].name if owner in teams else owner
            name = fit(team, TEXT_SIZE, self.box_width, 1, bold=True)
            out.append(f'<g class="pb-dg-band pb-dg-band--{kind}" data-team="{check_id(owner)}">')
            out.append(f'<rect x="0" y="{_num(top)}" width="{_num(self.width)}" height="{_num(bottom - top)}" '
                       f'rx="0" fill="#f4f4f4"/>')
            if kind == before:
                out.append(f'<path class="pb-dg-band-rule" d="M0,{_num(top)}H{_num(self.width)}" fill="none" '
                           'stroke="#6b6b6b" stroke-opacity="0.5" stroke-width="1" stroke-dasharray="4 3"/>')
            before = kind
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
        # Each box links to the state's definition below the picture.
        out = [f'<a class="pb-dg-link" href="#{check_id(state.id)}">'
               f'<g class="pb-dg-state pb-dg-state--{record}{" pb-dg-state--final" if final else ""}" '
               f'data-state="{check_id(state.id)}">',
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
        out.append("</g></a>")
        return out

    def _edge(self, edge: Edge) -> list[str]:
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
            attributes = f'data-rejection="{check_id(edge.handoff.id)}" data-goes-to="{target}"'
            style = 'stroke="#b3261e" stroke-width="1.75" stroke-dasharray="5 4"'
        elif edge.kind == "handoff":
            assert edge.handoff is not None
            attributes = f'data-handoff="{check_id(edge.handoff.id)}" data-from="{source}" data-to="{target}"'
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

    def _x(self, edge: Edge) -> float:
        assert edge.bundle is not None
        return edge.bundle.x

    def _label(self, edge: Edge) -> list[str]:
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


def lifecycle_flow(playbook: Playbook, text: Callable[[str], str]) -> str:
    """The same states and arrows as a list a phone can read (the CSS shows it in place of the
    picture on a narrow screen): each state a box that links to its definition, in its team's
    colour, with where a record may go from it written under it. Nothing is drawn, so no line can
    cross a label, and the text is the page's own size."""
    teams = playbook.settings.teams
    names = {s.id: " ".join((s.abbreviation or s.name).split()) for s in playbook.lifecycle}
    known = set(names)

    def to(state_id: str) -> str:
        return f'<a href="#{check_id(state_id)}">{text(names[state_id])}</a>'

    out = ['<ol class="pb-flow" aria-label="The lifecycle states in order" data-pb-noterms="">']
    for state in playbook.lifecycle:
        sid = check_id(state.id)
        team = teams[state.owner].name if state.owner in teams else state.owner
        name = state.name + (f" ({state.abbreviation})" if state.abbreviation else "")
        final = not state.next_states
        out.append(f'<li class="pb-flow__state pb-flow__state--{RECORDS.get(state.record, "record")}'
                   f'{" pb-flow__state--final" if final else ""}">'
                   f'<a class="pb-flow__box" href="#{sid}"><span class="pb-flow__name">{text(name)}</span>'
                   f'<span class="pb-flow__owner">{text(team)}</span></a>')
        lines: list[str] = []
        handed: set[str] = set()
        for handoff in playbook.handoffs_from(state.id):
            if handoff.to_state not in known:
                continue
            handed.add(handoff.to_state)
            lines.append(f'<li class="pb-flow__handoff">Handoff to {to(handoff.to_state)}, '
                         f'<a href="#{check_id(handoff.id)}">{service_level(handoff)}</a></li>')
            rejected = Counter(r.goes_to for r in handoff.rejection_reasons if r.goes_to in known)
            for goes_to, count in rejected.items():
                lines.append(f'<li class="pb-flow__reject">If rejected ({plural(count, "reason", "reasons")}): '
                             f'to {to(goes_to)}</li>')
        others = [n for n in dict.fromkeys(state.next_states) if n in known and n not in handed and n != state.id]
        if others:
            lines.append(f'<li>Next: {", ".join(to(n) for n in others)}</li>')
        if final:
            lines.append('<li>Final: records end here</li>')
        out.append(f'<ul class="pb-flow__next">{"".join(lines)}</ul></li>')
    out.append("</ol>")
    return "".join(out)
