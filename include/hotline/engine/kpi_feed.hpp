// Turns what the core reports into KPI facts, so every host counts the same
// way: the engine's notifications (the C ABI's statistics, the simulator) or,
// for a host that drives the router alone, the router's outputs. The KPI
// collector is the one place contacts are counted; the feed also tells it
// each queue's own service-level threshold, read from the router when an
// answer or an abandon is counted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "hotline/engine/notification.hpp"
#include "hotline/metrics/kpi.hpp"
#include "hotline/routing/output.hpp"
#include "hotline/routing/router.hpp"
#include "hotline/util/id_map.hpp"
#include "hotline/util/keyed_map.hpp"

namespace hotline::engine {

class KpiFeed {
 public:
  // Both outlive the feed. `router` is the one whose outputs (or whose
  // engine's notifications) are fed in.
  KpiFeed(metrics::KpiCollector& kpi, const routing::Router& router)
      : kpi_(kpi), router_(router) {}

  void on(const Notification& n);
  // For hosts on the router alone. Not for outputs that also reach on() as
  // notifications: each fact would be counted twice.
  void on(const routing::Output& o);

 private:
  // One routing fact about `queue` and `agent` (ids; empty when none).
  void count(const routing::Output& o, std::string_view queue, std::string_view agent);
  void tell_threshold(std::string_view queue);
  // Live call control (docs/call-control.md): holds, consultations and
  // conferences as the conversation's state changes.
  void conversation(const Notification& n);
  // The hold time of `call` up to `at`, which then stops being followed.
  DurationMs hold_time_of(const std::string& call_id, TimeMs at);

  // A call whose caller has been on hold. Only calls that left "connected"
  // are followed, so a host without call control pays nothing per call.
  struct CallOnHold {
    bool holding = false;  // held or consulting now
    TimeMs since = 0;      // when the current hold began
    DurationMs total = 0;  // earlier holds of the conversation
  };

  metrics::KpiCollector& kpi_;
  const routing::Router& router_;
  IdMap<TimeMs> completed_at_;  // contact → end of talk
  std::unordered_map<std::string, CallOnHold> holds_;  // by call id
  // Calls not (yet) queued, by call id: when they started. A call that ends
  // while still here ended in the IVR (self-service). Every call comes and
  // goes here: a flat map, with no node to allocate per call.
  struct InIvr {
    std::string call_id;
    TimeMs since = 0;
  };
  struct InIvrId {
    std::string_view operator()(const InIvr& c) const noexcept { return c.call_id; }
  };
  KeyedMap<InIvr, InIvrId> in_ivr_;
};

}  // namespace hotline::engine
