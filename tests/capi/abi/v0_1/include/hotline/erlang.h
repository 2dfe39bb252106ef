/*
 * Hotline C ABI: Erlang C and Erlang A staffing calculators (docs/metrics.md).
 * Pure functions: no handle, no allocation, callable from any thread.
 */
#ifndef HOTLINE_ERLANG_H
#define HOTLINE_ERLANG_H

#include "hotline/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hl_workload {
  uint32_t size; /* sizeof(hl_workload) */
  double arrivals_per_hour;
  double aht_seconds;
  double target_answer_seconds; /* T in "80 % answered within T" */
} hl_workload;
#define HL_WORKLOAD_INIT {sizeof(hl_workload), 0, 0, 20}

typedef struct hl_staffing_goal {
  uint32_t size;        /* sizeof(hl_staffing_goal) */
  double service_level; /* at least this fraction answered within T */
  double max_occupancy; /* 1: no cap */
  double shrinkage;     /* 0: none */
} hl_staffing_goal;
#define HL_STAFFING_GOAL_INIT {sizeof(hl_staffing_goal), 0.8, 1.0, 0.0}

typedef struct hl_erlang_result {
  uint32_t size;
  int agents;
  int stable; /* Erlang C: agents exceed the offered load */
  double probability_wait;
  double probability_abandon; /* Erlang A only */
  double service_level;
  double asa_seconds;          /* Erlang C: average speed of answer */
  double average_wait_seconds; /* Erlang A: time in queue over all arrivals */
  double occupancy;
} hl_erlang_result;
#define HL_ERLANG_RESULT_INIT {sizeof(hl_erlang_result), 0, 0, 0, 0, 0, 0, 0, 0}

/* Erlang C for `agents`. */
HL_API hl_status hl_erlang_c(const hl_workload *w, int agents, hl_erlang_result *out);
/* Erlang A (exponential patience with mean `patience_seconds`) for `agents`. */
HL_API hl_status hl_erlang_a(const hl_workload *w, int agents, double patience_seconds,
                             hl_erlang_result *out);
/* Agents needed for the goal, and agents to schedule once shrinkage is allowed
 * for. `patience_seconds` <= 0 uses Erlang C, otherwise Erlang A. */
HL_API hl_status hl_erlang_agents(const hl_workload *w, const hl_staffing_goal *goal,
                                  double patience_seconds, int *agents_out,
                                  int *scheduled_out);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_ERLANG_H */
