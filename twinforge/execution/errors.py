"""Outcome classes of twinforge's executable check and the error that carries one.

The phases decide the class: the text does not parse (``parse_error``); running the build
script fails or builds something that is not a model (``build_error``); a property value is
wrong (``param_error``); the simulation fails (``runtime_error``); it runs but no item reaches a
sink (``no_throughput``). Apart from these errors of the script, ``unsupported`` says the check
cannot judge it: the script uses a FlexSim command, class, property or context that twinforge does
not implement, or host access (files, HTTP) that the sandbox refuses. These classes are
twinforge's, not FlexSim's.
"""

from __future__ import annotations

PARSE_ERROR = "parse_error"
BUILD_ERROR = "build_error"
PARAM_ERROR = "param_error"
RUNTIME_ERROR = "runtime_error"
NO_THROUGHPUT = "no_throughput"
UNSUPPORTED = "unsupported"
OK = "ok"
OUTCOMES = (PARSE_ERROR, BUILD_ERROR, PARAM_ERROR, RUNTIME_ERROR, NO_THROUGHPUT, UNSUPPORTED, OK)


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


def unsupported(message: str, line: int | None = None) -> ScriptError:
    """The check cannot judge the script: ``message`` names what FlexSim has and twinforge lacks."""
    return ScriptError(UNSUPPORTED, message, line)


CONTEXT = "needs a model/trigger context"
"""How an ``unsupported`` message starts when the script reads an existing model or a trigger's
objects (``current``, ``item``, ``param(1)``, ``Model.find`` of an object it did not create)."""


def needs_context(what: str, line: int | None = None) -> ScriptError:
    """``unsupported``: the script needs a model or trigger context the check does not have."""
    return ScriptError(UNSUPPORTED, f"{CONTEXT}: {what}; twinforge runs a build script on an empty model "
                       "with no trigger, so it cannot judge this script", line)


class SimulationError(Exception):
    """The simulation cannot run or went wrong (a ``runtime_error``)."""
