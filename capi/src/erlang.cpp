#include "hotline/erlang.h"

#include <cmath>

#include "boundary.hpp"
#include "hotline/metrics/erlang.hpp"

namespace {

using hotline::Status;
using hotline::capi::guarded;
using hotline::capi::invalid;

// The struct checks the ABI adds; the values themselves are checked by the
// calculators (hotline/metrics/erlang.hpp), whose limits apply here too.
Status read_workload(const hl_workload* w, hotline::metrics::Workload* out) {
  if (!w || w->size < sizeof(hl_workload)) return invalid("workload is NULL or too small");
  *out = {w->arrivals_per_hour, w->aht_seconds, w->target_answer_seconds};
  return {};
}

Status need_result(const hl_erlang_result* out) {
  if (!out || out->size < sizeof(hl_erlang_result)) return invalid("result is NULL or too small");
  return {};
}

}  // namespace

extern "C" {

hl_status hl_erlang_c(const hl_workload* w, int agents, hl_erlang_result* out) {
  return guarded(nullptr, [&]() -> Status {
    hotline::metrics::Workload workload;
    if (auto ok = read_workload(w, &workload); !ok) return ok;
    if (auto ok = need_result(out); !ok) return ok;
    const auto r = hotline::metrics::erlang_c(workload, agents);
    if (!r) return r.error();
    out->agents = r->agents;
    out->stable = r->stable ? 1 : 0;
    out->probability_wait = r->probability_wait;
    out->probability_abandon = 0;
    out->service_level = r->service_level;
    out->asa_seconds = r->stable ? r->asa_seconds : INFINITY;
    out->average_wait_seconds = out->asa_seconds;
    out->occupancy = r->occupancy;
    return {};
  });
}

hl_status hl_erlang_a(const hl_workload* w, int agents, double patience_seconds,
                      hl_erlang_result* out) {
  return guarded(nullptr, [&]() -> Status {
    hotline::metrics::Workload workload;
    if (auto ok = read_workload(w, &workload); !ok) return ok;
    if (auto ok = need_result(out); !ok) return ok;
    const auto r = hotline::metrics::erlang_a(workload, agents, patience_seconds);
    if (!r) return r.error();
    out->agents = r->agents;
    out->stable = 1;  // impatience keeps an M/M/N+M queue finite
    out->probability_wait = r->probability_wait;
    out->probability_abandon = r->probability_abandon;
    out->service_level = r->service_level;
    out->asa_seconds = 0;
    out->average_wait_seconds = r->average_wait_seconds;
    out->occupancy = r->occupancy;
    return {};
  });
}

hl_status hl_erlang_agents(const hl_workload* w, const hl_staffing_goal* goal,
                           double patience_seconds, int* agents_out, int* scheduled_out) {
  return guarded(nullptr, [&]() -> Status {
    hotline::metrics::Workload workload;
    if (auto ok = read_workload(w, &workload); !ok) return ok;
    if (!goal || goal->size < sizeof(hl_staffing_goal)) return invalid("goal is NULL or too small");
    if (!agents_out) return invalid("agents_out is NULL");
    // NaN would otherwise slip through "<= 0 means Erlang C".
    if (!std::isfinite(patience_seconds)) return invalid("patience_seconds is not finite");
    const hotline::metrics::StaffingGoal g{goal->service_level, goal->max_occupancy,
                                           goal->shrinkage};
    const auto r = patience_seconds > 0
                       ? hotline::metrics::erlang_a_agents(workload, patience_seconds, g)
                       : hotline::metrics::erlang_c_agents(workload, g);
    if (!r) return r.error();
    *agents_out = r->agents;
    if (scheduled_out) *scheduled_out = r->scheduled;
    return {};
  });
}

}  // extern "C"
