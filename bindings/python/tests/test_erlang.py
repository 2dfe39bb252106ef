"""The Erlang C and Erlang A calculators through the binding, on the worked example
of docs/metrics.md (100 calls per half hour, 3 minutes each, 80 % in 20 s)."""
import pytest

import hotline
from hotline import StaffingGoal, Workload

WORK = Workload(arrivals_per_hour=200, aht_seconds=180)


def test_erlang_c_matches_the_published_example():
    assert hotline.erlang_agents(WORK) == (14, 14)
    r = hotline.erlang_c(WORK, 14)
    assert r.agents == 14 and r.stable
    assert r.probability_wait == pytest.approx(0.1741, abs=5e-4)
    assert r.service_level == pytest.approx(0.888, abs=1e-3)
    assert r.asa_seconds == pytest.approx(7.8, abs=0.05)
    assert r.occupancy == pytest.approx(0.714, abs=1e-3)
    assert not hotline.erlang_c(WORK, 10).stable


def test_shrinkage_raises_the_agents_to_schedule():
    assert hotline.erlang_agents(WORK, StaffingGoal(shrinkage=0.3)) == (14, 20)


def test_erlang_a_counts_callers_who_give_up():
    r = hotline.erlang_a(WORK, 12, patience_seconds=120)
    assert 0 < r.probability_abandon < 0.1
    needed, _ = hotline.erlang_agents(WORK, patience_seconds=120)
    assert needed <= 14  # impatient callers leave, so fewer agents reach the level


def test_bad_input_is_refused_with_what_was_wrong():
    with pytest.raises(hotline.InvalidArgumentError, match=r"erlang_c\(.*aht_seconds=-1"):
        hotline.erlang_c(Workload(200, -1), 14)
    with pytest.raises(hotline.InvalidArgumentError, match="patience_seconds=0"):
        hotline.erlang_a(WORK, 12, 0)
    with pytest.raises(hotline.InvalidArgumentError, match="service_level=1.5"):
        hotline.erlang_agents(WORK, StaffingGoal(service_level=1.5))
