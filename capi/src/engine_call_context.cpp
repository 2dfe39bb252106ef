// hl_engine_call_context: a live call's screen pop on demand, for hosts
// whose telephony vtable's ring_agent slot has no room for it
// (docs/call-control.md, "Screen pop").
#include <memory>
#include <mutex>
#include <string>

#include "boundary.hpp"
#include "engine_handle.hpp"
#include "handles.hpp"
#include "hotline/engine.h"

extern "C" {

hl_status hl_engine_call_context(hl_engine* handle, const char* call_id, char** json_out,
                                 hl_error** err) {
  if (json_out) *json_out = nullptr;
  return hotline::capi::guarded(err, [&]() -> hotline::Status {
    hl_engine* h = hotline::capi::resolve(handle);
    if (!h) return hotline::capi::invalid("the engine handle is NULL or destroyed");
    if (auto st = hotline::capi::need(call_id, "call_id"); !st) return st;
    if (!json_out) return hotline::capi::invalid("json_out is NULL");
    auto pop = h->engine.call_context(call_id);
    if (!pop) return std::move(pop).error();
    // The same object the ring_agent command carried: with a store, the
    // customer's open tickets as they are now.
    hotline::engine::Command ring;
    ring.kind = hotline::engine::Command::Kind::kRingAgent;
    ring.args_json = std::move(*pop);
    std::shared_ptr<hotline::runtime::CustomerResolver> resolver;
    {
      std::lock_guard<std::mutex> lock(h->customers_mutex);
      resolver = h->customers;
    }
    if (resolver) {
      if (auto st = resolver->add_open_tickets(ring); !st) return st;
    }
    *json_out = hotline::capi::copy_string(ring.args_json);
    if (!*json_out) return hotline::make_error(hotline::Errc::kNoMemory, "out of memory");
    return {};
  });
}

}  // extern "C"
