"""Erlang C and Erlang A staffing calculators (docs/metrics.md), over erlang.h.

Pure functions: no engine, no store, callable from any thread.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Tuple

from ._native import CErlangResult, CStaffingGoal, CWorkload, lib, status_text
from .errors import error_for


@dataclass(frozen=True)
class Workload:
    """The traffic to staff for: arrivals per hour, average handling time, and
    T in "80 % answered within T seconds"."""
    arrivals_per_hour: float
    aht_seconds: float
    target_answer_seconds: float = 20.0

    def _c(self) -> CWorkload:
        return CWorkload(ctypes.sizeof(CWorkload), self.arrivals_per_hour, self.aht_seconds,
                         self.target_answer_seconds)


@dataclass(frozen=True)
class StaffingGoal:
    """What staffing must reach: a service level, an occupancy cap (1: none) and
    the shrinkage to allow for when scheduling (0: none)."""
    service_level: float = 0.8
    max_occupancy: float = 1.0
    shrinkage: float = 0.0

    def _c(self) -> CStaffingGoal:
        return CStaffingGoal(ctypes.sizeof(CStaffingGoal), self.service_level,
                             self.max_occupancy, self.shrinkage)


@dataclass(frozen=True)
class ErlangResult:
    """What a number of agents achieves under a workload.

    ``stable`` is Erlang C's "agents exceed the offered load";
    ``probability_abandon`` and ``average_wait_seconds`` are Erlang A's,
    ``asa_seconds`` Erlang C's.
    """
    agents: int
    stable: bool
    probability_wait: float
    probability_abandon: float
    service_level: float
    asa_seconds: float
    average_wait_seconds: float
    occupancy: float

    @staticmethod
    def _from_c(r: CErlangResult) -> "ErlangResult":
        return ErlangResult(int(r.agents), bool(r.stable), float(r.probability_wait),
                            float(r.probability_abandon), float(r.service_level),
                            float(r.asa_seconds), float(r.average_wait_seconds),
                            float(r.occupancy))


def _result() -> CErlangResult:
    return CErlangResult(ctypes.sizeof(CErlangResult))


def _check(status: int, call: str) -> None:
    # The calculators report no detail of their own: say which call and with what.
    if status != 0:
        raise error_for(status, f"{call}: {status_text(status)} (a negative, infinite or "
                                f"out-of-range value)")


def erlang_c(workload: Workload, agents: int) -> ErlangResult:
    """Erlang C (callers wait forever) for `agents` (hl_erlang_c)."""
    out = _result()
    _check(int(lib.hl_erlang_c(ctypes.byref(workload._c()), agents, ctypes.byref(out))),
           f"erlang_c({workload}, agents={agents})")
    return ErlangResult._from_c(out)


def erlang_a(workload: Workload, agents: int, patience_seconds: float) -> ErlangResult:
    """Erlang A (callers give up after an exponential patience with this mean) (hl_erlang_a)."""
    out = _result()
    _check(int(lib.hl_erlang_a(ctypes.byref(workload._c()), agents, patience_seconds,
                               ctypes.byref(out))),
           f"erlang_a({workload}, agents={agents}, patience_seconds={patience_seconds})")
    return ErlangResult._from_c(out)


def erlang_agents(workload: Workload, goal: StaffingGoal = StaffingGoal(),
                  patience_seconds: float = 0.0) -> Tuple[int, int]:
    """Agents needed for the goal, and agents to schedule once shrinkage is allowed for
    (hl_erlang_agents). `patience_seconds` <= 0 uses Erlang C, otherwise Erlang A."""
    agents = ctypes.c_int()
    scheduled = ctypes.c_int()
    _check(int(lib.hl_erlang_agents(ctypes.byref(workload._c()), ctypes.byref(goal._c()),
                                    patience_seconds, ctypes.byref(agents),
                                    ctypes.byref(scheduled))),
           f"erlang_agents({workload}, {goal}, patience_seconds={patience_seconds})")
    return agents.value, scheduled.value
