/* The Erlang calculators through the C ABI, on the published worked example. */
#include <math.h>
#include <stdio.h>

#include "check.h"
#include "hotline.h"

/* Input the calculators cannot answer in bounded time is refused with
 * HL_EINVAL instead of looping or overflowing. */
static void refuses_unbounded_input(void) {
  hl_workload w = HL_WORKLOAD_INIT;
  hl_staffing_goal goal = HL_STAFFING_GOAL_INIT;
  hl_erlang_result r = HL_ERLANG_RESULT_INIT;
  int agents = -7;
  w.arrivals_per_hour = 1e12; /* 5e10 erlangs: more agents than an int holds */
  w.aht_seconds = 180;
  CHECK(hl_erlang_agents(&w, &goal, 0, &agents, NULL) == HL_EINVAL);
  CHECK(hl_erlang_agents(&w, &goal, 120, &agents, NULL) == HL_EINVAL);
  CHECK(agents == -7); /* nothing written on failure */
  CHECK(hl_erlang_c(&w, 14, &r) == HL_EINVAL);
  w.arrivals_per_hour = NAN;
  CHECK(hl_erlang_c(&w, 14, &r) == HL_EINVAL);
  w.arrivals_per_hour = 200;
  w.aht_seconds = INFINITY;
  CHECK(hl_erlang_a(&w, 14, 120, &r) == HL_EINVAL);
  w.aht_seconds = 0;
  CHECK(hl_erlang_agents(&w, &goal, 0, &agents, NULL) == HL_EINVAL);
  w.aht_seconds = 180;
  w.target_answer_seconds = NAN;
  CHECK(hl_erlang_c(&w, 14, &r) == HL_EINVAL);
  w.target_answer_seconds = 20;
  CHECK(hl_erlang_a(&w, 14, NAN, &r) == HL_EINVAL);
  CHECK(hl_erlang_a(&w, 14, INFINITY, &r) == HL_EINVAL);
  CHECK(hl_erlang_agents(&w, &goal, NAN, &agents, NULL) == HL_EINVAL);
  CHECK(hl_erlang_c(&w, -1, &r) == HL_EINVAL);
  goal.service_level = 1.0; /* unreachable: the search would never end */
  CHECK(hl_erlang_agents(&w, &goal, 0, &agents, NULL) == HL_EINVAL);
  goal.service_level = 0;
  CHECK(hl_erlang_agents(&w, &goal, 120, &agents, NULL) == HL_EINVAL);
  goal.service_level = NAN;
  CHECK(hl_erlang_agents(&w, &goal, 0, &agents, NULL) == HL_EINVAL);
  goal.service_level = 0.8;
  goal.max_occupancy = NAN;
  CHECK(hl_erlang_agents(&w, &goal, 0, &agents, NULL) == HL_EINVAL);
  CHECK(agents == -7);
}

int main(void) {
  hl_workload w = HL_WORKLOAD_INIT;
  hl_staffing_goal goal = HL_STAFFING_GOAL_INIT;
  hl_erlang_result r = HL_ERLANG_RESULT_INIT;
  int agents = 0, scheduled = 0;
  w.arrivals_per_hour = 200; /* 100 calls per 30 minutes */
  w.aht_seconds = 180;
  CHECK(hl_erlang_agents(&w, &goal, 0, &agents, &scheduled) == HL_OK);
  CHECK(agents == 14);
  CHECK(hl_erlang_c(&w, 14, &r) == HL_OK);
  CHECK(fabs(r.probability_wait - 0.1741) < 0.0005);
  CHECK(fabs(r.service_level - 0.888) < 0.001);
  CHECK(fabs(r.asa_seconds - 7.8) < 0.05);
  CHECK(fabs(r.occupancy - 0.714) < 0.001);
  goal.shrinkage = 0.3;
  CHECK(hl_erlang_agents(&w, &goal, 0, &agents, &scheduled) == HL_OK);
  CHECK(scheduled == 20);
  CHECK(hl_erlang_a(&w, 12, 120, &r) == HL_OK);
  CHECK(r.probability_abandon > 0 && r.probability_abandon < 0.1);
  CHECK(hl_erlang_c(&w, 10, &r) == HL_OK && r.stable == 0);
  /* Bad input is refused, not computed. */
  w.aht_seconds = -1;
  CHECK(hl_erlang_c(&w, 14, &r) == HL_EINVAL);
  w.aht_seconds = 180;
  CHECK(hl_erlang_a(&w, 12, 0, &r) == HL_EINVAL);
  CHECK(hl_erlang_c(NULL, 14, &r) == HL_EINVAL);
  goal.service_level = 1.5;
  CHECK(hl_erlang_agents(&w, &goal, 0, &agents, NULL) == HL_EINVAL);
  refuses_unbounded_input();
  return check_summary();
}
