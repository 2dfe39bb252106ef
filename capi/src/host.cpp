// Where the engine's outputs go: the host's telephony vtable and listener,
// or the queues it polls. Every host callback runs inside `dispatching`, so
// engine calls the host makes from there are delivered after it returns.
#include <algorithm>
#include <cstddef>
#include <exception>
#include <memory>
#include <string>

#include "boundary.hpp"
#include "engine_handle.hpp"
#include "handles.hpp"
#include "versioned_table.hpp"

using nlohmann::json;
namespace he = hotline::engine;

namespace hotline::capi {

hl_engine* resolve(const hl_engine* handle) {
  return static_cast<hl_engine*>(handle_find(HandleType::kEngine, handle));
}

hl_engine* register_engine(std::unique_ptr<hl_engine> engine) {
  void* handle = handle_add(HandleType::kEngine, engine.get());
  if (!handle) return nullptr;
  engine.release();  // the registry holds it until unregister_engine
  return static_cast<hl_engine*>(handle);
}

std::unique_ptr<hl_engine> unregister_engine(const hl_engine* handle) {
  return std::unique_ptr<hl_engine>(
      static_cast<hl_engine*>(handle_remove(HandleType::kEngine, handle)));
}

std::string json_text(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace hotline::capi

hl_engine::~hl_engine() { detach(); }

hotline::TimeMs hl_engine::now() const { return runtime ? runtime->now() : engine.now(); }

void hl_engine::deliver() {
  if (dispatching > 0) return;  // the outer round picks these up
  if (runtime) {
    runtime->flush();
    return;
  }
  for (int rounds = 0; rounds < 64; ++rounds) {
    std::vector<he::Command> cs;
    cs.swap(engine.commands());
    std::vector<he::Notification> ns;
    ns.swap(engine.notifications());
    if (cs.empty() && ns.empty()) break;
    // Each output on its own: one that cannot be handed on is reported and
    // the rest of the batch still goes out.
    for (const auto& n : ns) {
      try {
        notification(n);
      } catch (const std::exception& e) {
        report_host_error("notification", n.call_id, HL_EINTERNAL, e.what());
      }
    }
    for (const auto& c : cs) {
      try {
        command(c);
      } catch (const std::exception& e) {
        report_host_error(he::command_kind_name(c.kind), c.call_id, HL_EINTERNAL, e.what());
      }
    }
  }
}

void hl_engine::emit_notification(const json& j) {
  std::string text = hotline::capi::json_text(j);
  if (!listener) {
    notifications.push_back(std::move(text));
    return;
  }
  if (dispatching > 0) {
    deferred_notifications.push_back(std::move(text));
    return;
  }
  ++dispatching;
  listener(listener_user, text.c_str());
  --dispatching;
  drain_deferred_notifications();
}

void hl_engine::drain_deferred_notifications() {
  while (dispatching == 0 && !deferred_notifications.empty()) {
    const std::string text = std::move(deferred_notifications.front());
    deferred_notifications.pop_front();
    if (!listener) {
      notifications.push_back(text);
      continue;
    }
    ++dispatching;
    listener(listener_user, text.c_str());
    --dispatching;
  }
  if (dispatching == 0) destroy_refused = false;
}

void hl_engine::notification(const he::Notification& n) {
  kpi_time = std::max(kpi_time, n.time);
  kpi_feed.on(n);
  emit_notification(hotline::capi::notification_json(n));
}

void hl_engine::report_host_error(const char* what, const std::string& call_id, int status,
                                  const std::string& message) {
  json j{{"kind", "host_error"},
         {"what", what},
         {"status", status},
         {"message", message},
         {"time", now()}};
  if (!call_id.empty()) j["call_id"] = call_id;
  emit_notification(j);
}

// Calls the vtable function for `c`; `handled` is false when it has none.
int hl_engine::call_telephony(const he::Command& c, bool& handled) {
  const hl_telephony& t = telephony;
  void* u = t.user;
  const char* call = c.call_id.c_str();
  handled = true;
  using K = he::Command::Kind;
  switch (c.kind) {
    case K::kAnswer:
      if (t.answer) return t.answer(u, call);
      break;
    case K::kPlay:
      if (t.play) {
        const std::string prompts = hotline::capi::command_json(c)["prompts"].dump();
        return t.play(u, call, prompts.c_str(), c.barge_in, c.loop);
      }
      break;
    case K::kStopPlayback:
      if (t.stop_playback) return t.stop_playback(u, call);
      break;
    case K::kCollectDigits:
      if (t.collect_digits) return t.collect_digits(u, call, c.min_digits, c.max_digits, c.terminator);
      break;
    case K::kRecord:
      if (t.record) return t.record(u, call, c.max_ms, c.finish_key);
      break;
    case K::kTransfer:
      if (t.transfer) return t.transfer(u, call, c.target.c_str());
      break;
    case K::kHangup:
      if (t.hangup) return t.hangup(u, call);
      break;
    case K::kRingAgent:
      if (t.ring_agent) return t.ring_agent(u, call, c.agent_id.c_str(), c.reservation);
      break;
    case K::kStopRinging:
      if (t.stop_ringing) return t.stop_ringing(u, call, c.agent_id.c_str(), c.reservation);
      break;
    case K::kBridge:
      if (t.bridge) return t.bridge(u, call, c.agent_id.c_str());
      break;
    case K::kLookup:
    case K::kCreateTicket:
    case K::kRegisterCallback:
      if (t.host_request) {
        return t.host_request(u, c.request_id, he::command_kind_name(c.kind), c.function.c_str(),
                              c.args_json.empty() ? "{}" : c.args_json.c_str());
      }
      break;
  }
  handled = false;
  return HL_OK;
}

void hl_engine::command(const he::Command& c) {
  if (!has_telephony) {
    commands.push_back(c);
    return;
  }
  bool handled = false;
  ++dispatching;
  const int rc = call_telephony(c, handled);
  --dispatching;
  drain_deferred_notifications();
  if (!handled) {
    commands.push_back(c);
    return;
  }
  if (rc == HL_OK) return;
  // The switch could not do it: report, then take the safe path.
  const hotline::TimeMs now = runtime ? runtime->now() : c.time;
  report_host_error(he::command_kind_name(c.kind), c.call_id, rc,
                    std::string("the host's telephony returned ") + hl_status_str(rc));
  using K = he::Command::Kind;
  switch (c.kind) {
    case K::kRingAgent: (void)engine.agent_rejected(c.reservation, now); break;
    case K::kLookup:
    case K::kCreateTicket:
    case K::kRegisterCallback:
      (void)engine.host_result(c.request_id, false, json{{"error", "host request failed"}}, now);
      break;
    case K::kAnswer:
    case K::kPlay:
    case K::kCollectDigits:
    case K::kRecord:
    case K::kBridge:
    case K::kTransfer: (void)engine.call_hung_up(c.call_id, now); break;
    default: break;  // hangup, stop_playback, stop_ringing: nothing safer to do
  }
}

extern "C" {

hl_status hl_engine_set_telephony(hl_engine* handle, const hl_telephony* t, hl_error** err) {
  return hotline::capi::guarded(err, [&]() -> hotline::Status {
    hl_engine* h = hotline::capi::resolve(handle);
    if (!h) return hotline::capi::invalid("the engine handle is NULL or destroyed");
    // The size of each version of hl_telephony: version 1 ended at host_request.
    static const std::size_t kSizes[] = {offsetof(hl_telephony, destroy), sizeof(hl_telephony)};
    static_assert(sizeof(kSizes) / sizeof(kSizes[0]) == HL_TELEPHONY_VERSION,
                  "one size per version of hl_telephony");
    hl_telephony table{};
    if (t) {
      auto copy = hotline::capi::copy_versioned_table(t, "telephony", kSizes);
      if (!copy) return std::move(copy).error();
      table = *copy;
    }
    hotline::capi::HostRelease dropped = std::move(h->telephony_release);
    h->telephony = table;
    h->has_telephony = t != nullptr;
    h->telephony_release = hotline::capi::HostRelease(table.destroy, table.user);
    if (h->dispatching > 0) {
      // One of the dropped table's callbacks may be running: release it later.
      h->telephony_released_in_callback.push_back(std::move(dropped));
      return {};
    }
    h->telephony_released_in_callback.clear();  // their callbacks have returned
    dropped.run();
    return {};
  });
}

hl_status hl_engine_set_listener(hl_engine* handle, hl_listener listener, void* user) {
  hl_engine* h = hotline::capi::resolve(handle);
  if (!h) return HL_EINVAL;
  h->listener = listener;
  h->listener_user = user;
  return HL_OK;
}

}  // extern "C"
