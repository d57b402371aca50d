"""SVR (from CS and OS) and PMR of one prediction against one reference, as in GDT section 4.5.

- CS = M / N: N is the number of the reference's ``A`` connections, M how many of them the
  prediction reproduces (same from, to and key; matched as a multiset, so a connection stated
  twice in the reference must be stated twice). ``S`` connections do not count, as in the paper.
- OS = K' / K: K is the number of the reference's objects, K' how many the prediction declares
  with the same FlexSim class and the exact, case-sensitive name.
- SVR = 0.6 CS + 0.4 OS.
- PMR = matching parameters / the reference's parameters: a parameter is an ``(object, property)``
  pair; it matches when the prediction sets the same property on the same object to the same
  canonical value (family and arguments for distributions; see ``values.py``).

A reference with nothing to count (N, K or P = 0) scores 1 for that part.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

from twinforge.metrics.statements import Statements

CONNECTION_WEIGHT = 0.6
OBJECT_WEIGHT = 0.4


@dataclass(frozen=True)
class MatchScores:
    """The counts behind CS, OS and PMR, and the rates themselves."""

    connections_total: int
    connections_matched: int
    objects_total: int
    objects_matched: int
    parameters_total: int
    parameters_matched: int

    @property
    def cs(self) -> float:
        return _rate(self.connections_matched, self.connections_total)

    @property
    def os(self) -> float:
        return _rate(self.objects_matched, self.objects_total)

    @property
    def svr(self) -> float:
        return CONNECTION_WEIGHT * self.cs + OBJECT_WEIGHT * self.os

    @property
    def pmr(self) -> float:
        return _rate(self.parameters_matched, self.parameters_total)

    def to_json(self) -> dict[str, float | int]:
        return {**asdict(self), "cs": self.cs, "os": self.os, "svr": self.svr, "pmr": self.pmr}


def _rate(matched: int, total: int) -> float:
    return matched / total if total else 1.0


def flow_connections(statements: Statements) -> Counter:
    """The ``A`` connections as a multiset."""
    return Counter(c for c in statements.connections if c[2] == "A")


def match(reference: Statements, prediction: Statements) -> MatchScores:
    """Score ``prediction`` against ``reference``."""
    wanted = flow_connections(reference)
    found = flow_connections(prediction)
    objects_matched = sum(
        1 for name, cls in reference.objects.items() if prediction.objects.get(name) == cls
    )
    parameters_matched = sum(
        1 for key, value in reference.parameters.items() if prediction.parameters.get(key) == value
    )
    return MatchScores(
        connections_total=sum(wanted.values()),
        connections_matched=sum((wanted & found).values()),
        objects_total=len(reference.objects),
        objects_matched=objects_matched,
        parameters_total=len(reference.parameters),
        parameters_matched=parameters_matched,
    )
