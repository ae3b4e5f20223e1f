"""A row of the benchmark table (Satchel's figure beside its peer's) and its markdown."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(slots=True)
class Row:
    key: str
    label: str
    unit: str  # "s", "ms", "MB"
    satchel: float | None = None
    peer: float | None = None
    peer_name: str = ""
    goal: str = ""  # as shown
    goal_kind: str | None = None  # "ratio" (satchel/peer) or "abs" (satchel), compared <=/<
    goal_value: float | None = None
    strict: bool = False
    note: str = ""
    error: str | None = None

    @property
    def ratio(self) -> float | None:
        if self.satchel is None or not self.peer:
            return None
        return self.satchel / self.peer

    @property
    def met(self) -> bool | None:
        value = self.ratio if self.goal_kind == "ratio" else self.satchel
        if self.goal_kind is None or value is None or self.goal_value is None:
            return None
        return value < self.goal_value if self.strict else value <= self.goal_value

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio, "met": self.met}


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    if unit == "s":
        return (
            f"{value:.3f} s" if value < 1 else f"{value:.2f} s" if value < 100 else f"{value:.0f} s"
        )
    if unit == "MB":
        return f"{value:.2f} MB" if value < 10 else f"{value:.1f} MB"
    return f"{value:g} {unit}"


def table(rows: list[dict[str, Any]]) -> str:
    out = [
        "| Measure | Satchel | Peer | Ratio | Goal | Met? |",
        "|---|---:|---|---:|---|:---:|",
    ]
    for r in rows:
        peer = fmt(r["peer"], r["unit"]) + (f" ({r['peer_name']})" if r["peer_name"] else "")
        if r["peer"] is None and not r["peer_name"]:
            peer = "—"
        ratio = "—" if r["ratio"] is None else f"{r['ratio']:.2f}×"
        met = {True: "yes", False: "**no**", None: "—"}[r["met"]]
        satchel = fmt(r["satchel"], r["unit"]) if r["error"] is None else "error"
        out.append(f"| {r['label']} | {satchel} | {peer} | {ratio} | {r['goal'] or '—'} | {met} |")
    return "\n".join(out)
