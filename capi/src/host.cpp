// The host's side of the driver: the hl_telephony vtable as its Telephony,
// the listener (or the polling queue) as its notification sink. The driver
// (hotline/runtime/driver.hpp) decides what goes where and when, so engine
// calls the host makes from a callback are delivered after it returns.
#include <cstddef>
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

hl_engine::hl_engine(hotline::engine::EngineOptions o) : engine(o) {
  driver.use_sink(&listener);
  // With a store attached, a ring's screen pop gains the customer's open
  // tickets before the host sees it (an indexed read by customer id).
  driver.use_ring_amender([this](hotline::engine::Command& ring) -> hotline::Status {
    std::shared_ptr<hotline::runtime::CustomerResolver> resolver;
    {
      std::lock_guard<std::mutex> lock(customers_mutex);
      resolver = customers;
    }
    if (!resolver) return {};
    return resolver->add_open_tickets(ring);
  });
}

hl_engine::~hl_engine() { detach(); }

void hl_engine::deliver() {
  if (driver.in_callback()) return;  // the round in progress picks these up
  if (runtime) {
    runtime->flush();
    return;
  }
  driver.deliver();
}

void hl_engine::report_host_error(const char* what, const std::string& call_id, int status,
                                  const std::string& message) {
  driver.report(hotline::runtime::HostError{
      what, call_id, hotline::Error{static_cast<hotline::Errc>(-status), message}, now()});
}

namespace hotline::capi {

void ListenerSink::emit(const std::string& text) {
  if (!listener) {
    queued.push_back(text);
    return;
  }
  listener(listener_user, text.c_str());
}

void ListenerSink::notification(const he::Notification& n) {
  emit(json_text(notification_json(n)));
}

void ListenerSink::host_error(const runtime::HostError& e) {
  json j{{"kind", "host_error"},
         {"what", e.what},
         {"status", -static_cast<int>(e.error.code)},
         {"message", e.error.message},
         {"time", e.time}};
  if (!e.call_id.empty()) j["call_id"] = e.call_id;
  if (!e.event.empty()) j["event"] = e.event;
  emit(json_text(j));
}

namespace {

// A vtable function's status as the driver reads it.
Status status_of(int rc) {
  if (rc == HL_OK) return {};
  return Error{static_cast<Errc>(-rc),
               std::string("the host's telephony returned ") +
                   hl_status_str(static_cast<hl_status>(rc))};
}

}  // namespace

bool TelephonyTable::supports(he::Command::Kind kind) const {
  using K = he::Command::Kind;
  switch (kind) {
    case K::kAnswer: return t_.answer != nullptr;
    case K::kPlay: return t_.play_request != nullptr || t_.play != nullptr;
    case K::kStopPlayback: return t_.stop_playback != nullptr;
    case K::kCollectDigits: return t_.collect_digits != nullptr;
    case K::kRecord: return t_.record != nullptr;
    case K::kTransfer: return t_.transfer != nullptr;
    case K::kHangup: return t_.hangup != nullptr;
    case K::kRingAgent: return t_.ring_agent != nullptr;
    case K::kStopRinging: return t_.stop_ringing != nullptr;
    case K::kBridge: return t_.bridge != nullptr;
    case K::kLookup:
    case K::kCreateTicket:
    case K::kRegisterCallback: return t_.host_request != nullptr;
    case K::kHold: return t_.hold != nullptr;
    case K::kResume: return t_.resume != nullptr;
    case K::kDial: return t_.dial != nullptr;
    case K::kHangupLeg: return t_.hangup_leg != nullptr;
    case K::kMix: return t_.mix != nullptr;
    case K::kRecordControl: return t_.record_control != nullptr;
  }
  return false;
}

// Each slot is read when it is called: a callback may replace the table.
Status TelephonyTable::answer(const he::Command& c) {
  return status_of(t_.answer(t_.user, c.call_id.c_str()));
}

Status TelephonyTable::play(const he::Command& c) {
  const std::string prompts = json_text(command_json(c)["prompts"]);
  if (t_.play_request) {
    return status_of(t_.play_request(t_.user, c.request_id, c.call_id.c_str(), prompts.c_str(),
                                     c.barge_in, c.loop));
  }
  return status_of(t_.play(t_.user, c.call_id.c_str(), prompts.c_str(), c.barge_in, c.loop));
}

Status TelephonyTable::stop_playback(const he::Command& c) {
  return status_of(t_.stop_playback(t_.user, c.call_id.c_str()));
}

Status TelephonyTable::collect_digits(const he::Command& c) {
  return status_of(
      t_.collect_digits(t_.user, c.call_id.c_str(), c.min_digits, c.max_digits, c.terminator));
}

Status TelephonyTable::record(const he::Command& c) {
  return status_of(t_.record(t_.user, c.call_id.c_str(), c.max_ms, c.finish_key));
}

Status TelephonyTable::transfer(const he::Command& c) {
  return status_of(t_.transfer(t_.user, c.call_id.c_str(), c.target.c_str()));
}

Status TelephonyTable::hangup(const he::Command& c) {
  return status_of(t_.hangup(t_.user, c.call_id.c_str()));
}

Status TelephonyTable::ring_agent(const he::Command& c) {
  return status_of(
      t_.ring_agent(t_.user, c.call_id.c_str(), c.agent_id.c_str(), c.reservation));
}

Status TelephonyTable::stop_ringing(const he::Command& c) {
  return status_of(
      t_.stop_ringing(t_.user, c.call_id.c_str(), c.agent_id.c_str(), c.reservation));
}

Status TelephonyTable::bridge(const he::Command& c) {
  return status_of(t_.bridge(t_.user, c.call_id.c_str(), c.agent_id.c_str()));
}

Status TelephonyTable::lookup(const he::Command& c) { return host_request(c); }
Status TelephonyTable::create_ticket(const he::Command& c) { return host_request(c); }
Status TelephonyTable::register_callback(const he::Command& c) { return host_request(c); }

Status TelephonyTable::hold(const he::Command& c) {
  const std::string prompts = json_text(command_json(c)["prompts"]);
  return status_of(t_.hold(t_.user, c.call_id.c_str(), prompts.c_str()));
}

Status TelephonyTable::resume(const he::Command& c) {
  return status_of(t_.resume(t_.user, c.call_id.c_str()));
}

Status TelephonyTable::dial(const he::Command& c) {
  // Exactly one of the two is the party; the other is NULL, not "".
  const char* agent = c.agent_id.empty() ? nullptr : c.agent_id.c_str();
  const char* target = c.target.empty() ? nullptr : c.target.c_str();
  return status_of(t_.dial(t_.user, c.call_id.c_str(), c.leg.c_str(), agent, target));
}

Status TelephonyTable::hangup_leg(const he::Command& c) {
  return status_of(t_.hangup_leg(t_.user, c.call_id.c_str(), c.leg.c_str()));
}

Status TelephonyTable::mix(const he::Command& c) {
  const char* mix = c.mix_json.empty() ? "{}" : c.mix_json.c_str();
  return status_of(t_.mix(t_.user, c.call_id.c_str(), mix));
}

Status TelephonyTable::record_control(const he::Command& c) {
  return status_of(t_.record_control(t_.user, c.call_id.c_str(), c.action.c_str()));
}

Status TelephonyTable::host_request(const he::Command& c) {
  return status_of(t_.host_request(t_.user, c.request_id, he::command_kind_name(c.kind),
                                   c.function.c_str(),
                                   c.args_json.empty() ? "{}" : c.args_json.c_str()));
}

}  // namespace hotline::capi

extern "C" {

hl_status hl_engine_set_telephony(hl_engine* handle, const hl_telephony* t, hl_error** err) {
  return hotline::capi::guarded(err, [&]() -> hotline::Status {
    hl_engine* h = hotline::capi::resolve(handle);
    if (!h) return hotline::capi::invalid("the engine handle is NULL or destroyed");
    // The size of each version of hl_telephony: version 1 ended at
    // host_request, version 2 at destroy, version 3 at record_control.
    static const std::size_t kSizes[] = {offsetof(hl_telephony, destroy),
                                         offsetof(hl_telephony, hold),
                                         offsetof(hl_telephony, play_request),
                                         sizeof(hl_telephony)};
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
    h->driver.use_telephony(h->has_telephony ? &h->telephony_adapter : nullptr);
    h->telephony_release = hotline::capi::HostRelease(table.destroy, table.user);
    if (h->driver.in_callback()) {
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
  h->listener.listener = listener;
  h->listener.listener_user = user;
  return HL_OK;
}

}  // extern "C"
