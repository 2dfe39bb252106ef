// The engine's history for reports: hl_engine_intervals, the interval
// history of its KPIs (hotline/runtime/interval_history.hpp) as JSON, and
// hl_engine_set_queue_log, its notifications as Asterisk's queue_log.
#include "boundary.hpp"
#include "engine_handle.hpp"
#include "hotline/runtime.h"
#include "hotline/runtime/interval_history.hpp"
#include "hotline/util/utf8.hpp"

using hotline::Status;
using hotline::capi::guarded;
using hotline::capi::invalid;
using hotline::capi::resolve;

extern "C" {

hl_status hl_engine_intervals(hl_engine* handle, const hl_interval_query* query, char** json_out,
                              hl_error** err) {
  if (json_out) *json_out = nullptr;
  return guarded(err, [&]() -> Status {
    hl_engine* h = resolve(handle);
    if (!h) return invalid("the engine handle is NULL or destroyed");
    if (!json_out) return invalid("json_out is NULL");
    if (!query || query->size < sizeof(hl_interval_query)) {
      return invalid("query is NULL or smaller than hl_interval_query (HL_INTERVAL_QUERY_INIT)");
    }
    if (query->from_ms < 0) {
      return invalid("from_ms: must be >= 0 (HL_TIME_ENGINE is only for to_ms)");
    }
    if (query->to_ms < 0 && query->to_ms != HL_TIME_ENGINE) {
      return invalid("to_ms: must be >= 0, or HL_TIME_ENGINE for the engine's time");
    }
    hotline::runtime::IntervalQuery q;
    q.from = query->from_ms;
    q.to = query->to_ms == HL_TIME_ENGINE ? h->engine.now() : query->to_ms;
    q.interval_ms = static_cast<hotline::DurationMs>(query->interval_minutes) * 60'000;
    if (query->queue_id) {
      if (auto ok = hotline::require_utf8(query->queue_id, "queue_id"); !ok) return ok;
      q.queue = query->queue_id;
    }
    if (query->agent_id) {
      if (auto ok = hotline::require_utf8(query->agent_id, "agent_id"); !ok) return ok;
      q.agent = query->agent_id;
    }
    if ((query->include & ~(HL_INTERVALS_QUEUES | HL_INTERVALS_AGENTS)) != 0 ||
        query->include == 0) {
      return invalid("include: expected HL_INTERVALS_QUEUES, HL_INTERVALS_AGENTS or both");
    }
    q.queues = (query->include & HL_INTERVALS_QUEUES) != 0;
    q.agents = (query->include & HL_INTERVALS_AGENTS) != 0;
    // Activity periods still open are counted up to the engine's time.
    h->kpi.flush(h->engine.now());
    auto out = hotline::runtime::interval_history(h->engine, h->kpi, q);
    if (!out) return std::move(out).error();
    *json_out = hotline::capi::copy_string(out->dump());
    if (!*json_out) return hotline::make_error(hotline::Errc::kNoMemory, "out of memory");
    return {};
  });
}

hl_status hl_engine_set_queue_log(hl_engine* handle, const char* path, hl_error** err) {
  return guarded(err, [&]() -> Status {
    hl_engine* h = resolve(handle);
    if (!h) return invalid("the engine handle is NULL or destroyed");
    if (!path) {
      h->driver.use_queue_log(nullptr);
      h->queue_log.reset();
      return {};
    }
    if (auto ok = hotline::require_utf8(path, "path"); !ok) return ok;
    auto writer = hotline::runtime::QueueLogWriter::open(path);
    if (!writer) return std::move(writer).error();
    h->queue_log = std::move(writer).value();
    h->driver.use_queue_log(h->queue_log.get());
    return {};
  });
}

}  // extern "C"
