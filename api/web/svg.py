"""The evidence graph of a candidate for a job, drawn as inline SVG on the server.

The graph comes from :func:`graph.evidence.evidence_subgraph`; here it is only laid
out in columns, left to right, in the order a reader follows the argument::

    candidate | credentials, experience | skills (held, then path steps) | requirements | job

Nothing is computed about the match itself: the drawing shows the graph as built.
No script runs in the browser; a text list beside the drawing says the same thing.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import networkx as nx
from markupsafe import Markup, escape

__all__ = ["Drawing", "draw_evidence"]

COLUMN_WIDTH, NODE_WIDTH, NODE_HEIGHT, ROW_GAP, MARGIN = 200, 168, 40, 14, 16
MAX_LABEL = 22
# Fill and stroke per node type; all pass WCAG AA with the dark text on them.
STYLE = {"candidate": ("#dbe9f8", "#0b5cad"), "credential": ("#e3f4e8", "#1a7f37"),
         "experience": ("#fff4d6", "#9a6700"), "skill": ("#f3f5f8", "#4a5360"),
         "requirement": ("#f7e4f1", "#8a2c6d"), "job": ("#dbe9f8", "#0b5cad")}
KIND_NAMES = {"candidate": "Candidate", "credential": "Credential", "experience": "Experience",
              "skill": "Skill", "requirement": "Requirement", "job": "Job"}


@dataclass(frozen=True)
class Drawing:
    """The SVG (safe to insert) and the same facts as sentences, for the text fallback."""

    svg: Markup
    facts: list[str]


def _skill_depths(g: nx.DiGraph) -> dict[str, int]:
    """Steps from the nearest evidenced skill; skills nobody evidences come last."""
    skills = [n for n, t in g.nodes(data="type") if t == "skill"]
    held = [n for n in skills if any(g.nodes[p]["type"] in ("credential", "experience")
                                     for p in g.predecessors(n))]
    depth = dict.fromkeys(held, 0)
    queue = deque(held)
    while queue:
        node = queue.popleft()
        for after in g.successors(node):
            if g.nodes[after]["type"] == "skill" and after not in depth:
                depth[after] = depth[node] + 1
                queue.append(after)
    last = max(depth.values(), default=-1) + 1
    return {n: depth.get(n, last) for n in skills}


def _columns(g: nx.DiGraph) -> dict[str, int]:
    depths = _skill_depths(g)
    skill_columns = max(depths.values(), default=0) + 1
    fixed = {"candidate": 0, "credential": 1, "experience": 1,
             "requirement": 2 + skill_columns, "job": 3 + skill_columns}
    return {n: 2 + depths[n] if t == "skill" else fixed[t] for n, t in g.nodes(data="type")}


def _positions(g: nx.DiGraph) -> tuple[dict[str, tuple[int, int]], int, int]:
    """Top-left corner of every node; requirements keep the job's order."""
    columns = _columns(g)
    stacks: dict[int, list[str]] = {}
    for node in g.nodes:  # insertion order: the order evidence_subgraph added them
        stacks.setdefault(columns[node], []).append(node)
    where = {}
    rows_of: dict[str, int] = {}
    for column in sorted(stacks):
        nodes = stacks[column]
        if column not in (0, max(stacks), max(stacks) - 1):
            # Skills sit near what points at them (fewer crossings); requirements keep
            # the job's order.
            nodes.sort(key=lambda n: _barycentre(g, n, rows_of))
        for row, node in enumerate(nodes):
            rows_of[node] = row
            where[node] = (MARGIN + column * COLUMN_WIDTH,
                           MARGIN + row * (NODE_HEIGHT + ROW_GAP))
    width = MARGIN * 2 + (max(stacks, default=0)) * COLUMN_WIDTH + NODE_WIDTH
    rows = max((len(nodes) for nodes in stacks.values()), default=1)
    height = MARGIN * 2 + rows * (NODE_HEIGHT + ROW_GAP) - ROW_GAP
    return where, width, height


def _barycentre(g: nx.DiGraph, node: str, rows_of: dict[str, int]) -> float:
    placed = [rows_of[p] for p in g.predecessors(node) if p in rows_of]
    return sum(placed) / len(placed) if placed else float("inf")


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[:MAX_LABEL - 1] + "…"


def _node(node: str, data: dict, x: int, y: int) -> str:
    fill, stroke = STYLE[data["type"]]
    label = str(data.get("label", node))
    return (f'<g class="node {data["type"]}"><title>{escape(KIND_NAMES[data["type"]])}: '
            f'{escape(label)}</title><rect x="{x}" y="{y}" width="{NODE_WIDTH}" '
            f'height="{NODE_HEIGHT}" rx="6" fill="{fill}" stroke="{stroke}" stroke-width="2"/>'
            f'<text x="{x + 8}" y="{y + 25}" font-size="13" fill="#1b1f24">'
            f'{escape(_short(label))}</text></g>')


def _edge(start: tuple[int, int], end: tuple[int, int], relation: str) -> str:
    (x1, y1), (x2, y2) = start, end
    sx, sy = x1 + NODE_WIDTH, y1 + NODE_HEIGHT // 2
    ex, ey = x2, y2 + NODE_HEIGHT // 2
    if x2 == x1:  # same column (a skill step within one depth): bend around the right side
        ex = x2 + NODE_WIDTH
        bend = sx + 30
        path = f"M{sx},{sy} C{bend},{sy} {bend},{ey} {ex},{ey}"
    elif x2 < x1:  # backward (a requirement to the skill it asks for): left side to right
        sx, ex = x1, x2 + NODE_WIDTH
        middle = (sx + ex) // 2
        path = f"M{sx},{sy} C{middle},{sy} {middle},{ey} {ex},{ey}"
    else:
        middle = (sx + ex) // 2
        path = f"M{sx},{sy} C{middle},{sy} {middle},{ey} {ex},{ey}"
    dashed = ' stroke-dasharray="5 4"' if relation in ("broader", "narrower", "related",
                                                       "same_group") else ""
    return (f'<path d="{path}" fill="none" stroke="#4a5360" stroke-width="1.5"{dashed} '
            f'marker-end="url(#arrow)"><title>{escape(relation.replace("_", " "))}</title>'
            f'</path>')


def _fact(g: nx.DiGraph, source: str, target: str, relation: str) -> str:
    def name(node: str) -> str:
        data = g.nodes[node]
        return f"{KIND_NAMES[data['type']].lower()} “{data.get('label', node)}”"

    return f"{name(source)} {relation.replace('_', ' ')} {name(target)}"


def draw_evidence(g: nx.DiGraph, title: str) -> Drawing:
    """The subgraph as an accessible SVG (``role="img"`` with a title) and as sentences."""
    where, width, height = _positions(g)
    edges = [_edge(where[s], where[t], r) for s, t, r in g.edges(data="relation")]
    nodes = [_node(n, data, *where[n]) for n, data in g.nodes(data=True)]
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" class="evidence-graph" role="img" '
           f'aria-labelledby="graph-title" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}"><title id="graph-title">{escape(title)}</title>'
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
           'fill="#4a5360"/></marker></defs>' + "".join(edges) + "".join(nodes) + "</svg>")
    facts = [_fact(g, s, t, r) for s, t, r in g.edges(data="relation")]
    return Drawing(Markup(svg), facts)
