"""Outcome classes of twinforge's executable check and the error that carries one.

The phases decide the class: the text does not parse (``parse_error``); running the build
script fails or builds something that is not a model (``build_error``); a property value is
wrong (``param_error``); the simulation fails (``runtime_error``); it runs but no item reaches a
sink (``no_throughput``). These classes are twinforge's, not FlexSim's.
"""

from __future__ import annotations

PARSE_ERROR = "parse_error"
BUILD_ERROR = "build_error"
PARAM_ERROR = "param_error"
RUNTIME_ERROR = "runtime_error"
NO_THROUGHPUT = "no_throughput"
OK = "ok"
OUTCOMES = (PARSE_ERROR, BUILD_ERROR, PARAM_ERROR, RUNTIME_ERROR, NO_THROUGHPUT, OK)


class ScriptError(Exception):
    """A check failed: ``outcome`` is one of ``OUTCOMES`` and ``line`` the script line, if known."""

    def __init__(self, outcome: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.outcome = outcome
        self.message = message
        self.line = line

    def __str__(self) -> str:
        if self.line is not None and not self.message.startswith("line "):
            return f"line {self.line}: {self.message}"
        return self.message


def build_error(message: str, line: int | None = None) -> ScriptError:
    return ScriptError(BUILD_ERROR, message, line)


def param_error(message: str, line: int | None = None) -> ScriptError:
    return ScriptError(PARAM_ERROR, message, line)


class SimulationError(Exception):
    """The simulation cannot run or went wrong (a ``runtime_error``)."""
