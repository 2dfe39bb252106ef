#include "hotline/erlang.h"

#include <cmath>

#include "hotline/metrics/erlang.hpp"

namespace {

bool valid(const hl_workload* w) {
  return w && w->size >= sizeof(hl_workload) && std::isfinite(w->arrivals_per_hour) &&
         w->arrivals_per_hour >= 0 && std::isfinite(w->aht_seconds) && w->aht_seconds > 0 &&
         std::isfinite(w->target_answer_seconds) && w->target_answer_seconds >= 0;
}

hotline::metrics::Workload workload(const hl_workload* w) {
  return {w->arrivals_per_hour, w->aht_seconds, w->target_answer_seconds};
}

}  // namespace

extern "C" {

hl_status hl_erlang_c(const hl_workload* w, int agents, hl_erlang_result* out) {
  if (!valid(w) || agents < 0 || !out || out->size < sizeof(hl_erlang_result)) return HL_EINVAL;
  const auto r = hotline::metrics::erlang_c(workload(w), agents);
  out->agents = r.agents;
  out->stable = r.stable ? 1 : 0;
  out->probability_wait = r.probability_wait;
  out->probability_abandon = 0;
  out->service_level = r.service_level;
  out->asa_seconds = r.stable ? r.asa_seconds : INFINITY;
  out->average_wait_seconds = out->asa_seconds;
  out->occupancy = r.occupancy;
  return HL_OK;
}

hl_status hl_erlang_a(const hl_workload* w, int agents, double patience_seconds,
                      hl_erlang_result* out) {
  if (!valid(w) || agents < 0 || !out || out->size < sizeof(hl_erlang_result) ||
      !(patience_seconds > 0) || !std::isfinite(patience_seconds)) {
    return HL_EINVAL;
  }
  const auto r = hotline::metrics::erlang_a(workload(w), agents, patience_seconds);
  out->agents = r.agents;
  out->stable = 1;  // impatience keeps an M/M/N+M queue finite
  out->probability_wait = r.probability_wait;
  out->probability_abandon = r.probability_abandon;
  out->service_level = r.service_level;
  out->asa_seconds = 0;
  out->average_wait_seconds = r.average_wait_seconds;
  out->occupancy = r.occupancy;
  return HL_OK;
}

hl_status hl_erlang_agents(const hl_workload* w, const hl_staffing_goal* goal,
                           double patience_seconds, int* agents_out, int* scheduled_out) {
  if (!valid(w) || !goal || goal->size < sizeof(hl_staffing_goal) || !agents_out ||
      !(goal->service_level >= 0 && goal->service_level < 1) ||
      !(goal->max_occupancy > 0 && goal->max_occupancy <= 1) ||
      !(goal->shrinkage >= 0 && goal->shrinkage < 1)) {
    return HL_EINVAL;
  }
  const hotline::metrics::StaffingGoal g{goal->service_level, goal->max_occupancy, goal->shrinkage};
  const auto r = patience_seconds > 0
                     ? hotline::metrics::erlang_a_agents(workload(w), patience_seconds, g)
                     : hotline::metrics::erlang_c_agents(workload(w), g);
  *agents_out = r.agents;
  if (scheduled_out) *scheduled_out = r.scheduled;
  return HL_OK;
}

}  // extern "C"
