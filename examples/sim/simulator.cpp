#include "simulator.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "agenda.hpp"
#include "call_control.hpp"
#include "hotline/runtime/driver.hpp"
#include "hotline/runtime/telephony.hpp"
#include "hotline/store/ticket_service.hpp"
#include "hotline/util/id_map.hpp"
#include "hotline/util/timer_heap.hpp"

namespace hotline::sim {

using engine::Command;
using engine::Notification;
using nlohmann::json;

double Distribution::sample(std::mt19937_64& rng) const {
  switch (kind) {
    case Kind::kFixed: return mean_seconds;
    case Kind::kExponential: return std::exponential_distribution<double>(1.0 / mean_seconds)(rng);
    case Kind::kLogNormal: {
      // Parameterised by its mean: mu = ln(mean) − sigma²/2.
      const double mu = std::log(mean_seconds) - sigma * sigma / 2;
      return std::lognormal_distribution<double>(mu, sigma)(rng);
    }
  }
  return mean_seconds;
}

namespace {

Error bad(const std::string& path, const std::string& what) {
  return make_error(Errc::kInvalidArgument, path + ": " + what);
}

}  // namespace

Result<Distribution> distribution_from_json(const json& j, const std::string& path) {
  Distribution d;
  if (j.is_number()) {
    d.mean_seconds = j.get<double>();
  } else if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      if (key != "kind" && key != "mean_seconds" && key != "sigma") {
        return bad(path + "." + key, "unknown field (expected one of: kind, mean_seconds, sigma)");
      }
    }
    if (j.contains("kind") && !j["kind"].is_string()) {
      return bad(path + ".kind", "expected exponential, lognormal or fixed");
    }
    const std::string kind = j.value("kind", "exponential");
    if (kind == "exponential") d.kind = Distribution::Kind::kExponential;
    else if (kind == "lognormal") d.kind = Distribution::Kind::kLogNormal;
    else if (kind == "fixed") d.kind = Distribution::Kind::kFixed;
    else return bad(path + ".kind", "expected exponential, lognormal or fixed");
    if (!j.contains("mean_seconds") || !j["mean_seconds"].is_number()) {
      return bad(path + ".mean_seconds", "required");
    }
    d.mean_seconds = j["mean_seconds"].get<double>();
    if (j.contains("sigma")) {
      const json& sigma = j["sigma"];
      if (!sigma.is_number() || !(sigma.get<double>() > 0 && sigma.get<double>() <= 10)) {
        return bad(path + ".sigma", "expected a number in (0, 10]");
      }
      d.sigma = sigma.get<double>();
    }
  } else {
    return bad(path, "expected seconds or {\"kind\": ..., \"mean_seconds\": ...}");
  }
  if (!(d.mean_seconds > 0)) return bad(path, "the mean must be positive");
  return d;
}

namespace {

DurationMs clock_ms(const std::string& hhmm) {
  return (std::stoi(hhmm.substr(0, 2)) * 60 + std::stoi(hhmm.substr(3, 2))) * 60'000LL;
}

}  // namespace

Result<Scenario> scenario_from_json(const json& j) {
  if (!j.is_object()) return bad("$", "expected a scenario object");
  Scenario sc;
  sc.engine = j;
  sc.engine.erase("simulation");
  const json sim = j.value("simulation", json::object());
  if (!sim.is_object()) return bad("$.simulation", "expected an object");
  sc.seed = sim.value("seed", 1);
  sc.start = sim.value("start_epoch_ms", static_cast<TimeMs>(0));
  sc.length = static_cast<DurationMs>(sim.value("hours", 24.0) * 3'600'000);
  sc.ring_ms = static_cast<DurationMs>(sim.value("ring_seconds", 3.0) * 1000);
  sc.prompt_ms = static_cast<DurationMs>(sim.value("prompt_seconds", 2.5) * 1000);
  sc.no_answer_share = sim.value("no_answer_share", 0.0);
  if (sim.contains("target_service_level")) {
    const json& target = sim["target_service_level"];
    if (!target.is_number() || !(target.get<double>() > 0 && target.get<double>() < 1)) {
      return bad("$.simulation.target_service_level", "expected a number in (0, 1)");
    }
    sc.target_service_level = target.get<double>();
  }
  if (sim.contains("tickets")) {
    const json& t = sim["tickets"];
    if (!t.is_object()) return bad("$.simulation.tickets", "expected an object");
    TicketModel& m = sc.tickets;
    m.share = t.value("share", m.share);
    m.first_contact_resolution = t.value("first_contact_resolution", m.first_contact_resolution);
    m.csat_response_share = t.value("csat_response_share", m.csat_response_share);
    if (t.contains("resolution_hours")) {
      m.resolution_delay.mean_seconds = t["resolution_hours"].get<double>() * 3600;
    }
    for (const char* share : {"share", "first_contact_resolution", "csat_response_share"}) {
      const double v = t.value(share, 0.0);
      if (v < 0 || v > 1) return bad(fmt::format("$.simulation.tickets.{}", share), "expected 0 to 1");
    }
  }
  if (sim.contains("call_control")) {
    auto models = call_control_from_json(sim["call_control"], sc.engine);
    if (!models) return std::move(models).error();
    sc.call_control = std::move(*models);
  }
  sc.kpi.interval_ms = static_cast<DurationMs>(sim.value("interval_minutes", 30.0) * 60'000);
  sc.kpi.service_level_ms = static_cast<DurationMs>(sim.value("sl_seconds", 20.0) * 1000);
  // Each queue is measured against its own threshold (the KPI feed reads it
  // from the router), so sl_seconds is the threshold of queues that set
  // none: the engine's default, which it sets unless the scenario does.
  if (sim.contains("sl_seconds")) {
    json& options = sc.engine["options"];
    if (options.is_null()) options = json::object();
    if (options.is_object() && options.contains("service_level_seconds")) {
      const json& engine_sl = options["service_level_seconds"];
      if (!engine_sl.is_number() || engine_sl.get<double>() != sim["sl_seconds"].get<double>()) {
        return bad("$.simulation.sl_seconds",
                   fmt::format("{} s disagrees with $.options.service_level_seconds ({} s)",
                               sim["sl_seconds"].dump(), engine_sl.dump()));
      }
    } else if (options.is_object()) {
      options["service_level_seconds"] = sim["sl_seconds"];
    }
  }
  const json streams = sim.value("streams", json::array());
  for (std::size_t i = 0; i < streams.size(); ++i) {
    const std::string p = fmt::format("$.simulation.streams[{}]", i);
    const json& s = streams[i];
    Stream st;
    st.queue = s.value("queue", "");
    st.flow = s.value("flow", "");
    if (st.queue.empty() == st.flow.empty()) return bad(p, "give exactly one of queue or flow");
    const json rates = s.value("arrivals_per_hour", json());
    if (rates.is_number()) st.arrivals_per_hour = {rates.get<double>()};
    else if (rates.is_array()) for (const auto& r : rates) st.arrivals_per_hour.push_back(r.get<double>());
    if (st.arrivals_per_hour.empty()) return bad(p + ".arrivals_per_hour", "expected a rate or a list");
    st.rate_interval_ms = static_cast<DurationMs>(s.value("rate_interval_minutes", 60.0) * 60'000);
    auto handle =
        distribution_from_json(s.value("handle_seconds", json(180)), p + ".handle_seconds");
    if (!handle) return std::move(handle).error();
    st.handle = *handle;
    if (s.contains("patience_seconds")) {
      auto patience = distribution_from_json(s["patience_seconds"], p + ".patience_seconds");
      if (!patience) return std::move(patience).error();
      st.patience = *patience;
    }
    st.vip_share = s.value("vip_share", 0.0);
    st.callback_share = s.value("callback_share", 0.5);
    for (const auto& path : s.value("paths", json::array())) {
      Stream::Path sp;
      sp.weight = path.value("weight", 1.0);
      for (const auto& k : path.value("keys", json::array())) sp.keys.push_back(k.get<std::string>());
      st.paths.push_back(std::move(sp));
    }
    sc.streams.push_back(std::move(st));
  }
  for (const auto& s : sim.value("shifts", json::array())) {
    Shift sh;
    for (const auto& a : s.value("agents", json::array())) sh.agents.push_back(a.get<std::string>());
    sh.start = clock_ms(s.value("start", "00:00"));
    sh.end = clock_ms(s.value("end", "24:00"));
    if (s.contains("break")) {
      sh.break_start = clock_ms(s["break"][0].get<std::string>());
      sh.break_end = clock_ms(s["break"][1].get<std::string>());
    }
    sc.shifts.push_back(std::move(sh));
  }
  return sc;
}

Scenario single_queue(int agents, double arrivals_per_hour, double aht_seconds,
                      std::optional<double> patience_seconds, double hours, std::uint64_t seed,
                      double sl_seconds) {
  Scenario sc;
  json agent_list = json::array();
  for (int i = 0; i < agents; ++i) {
    agent_list.push_back({{"id", fmt::format("agent{:03}", i + 1)}, {"queues", {"main"}}});
  }
  sc.engine = {{"queues", json::array({json{{"id", "main"},
                                            {"offer_timeout_seconds", 0},
                                            {"service_level_seconds", sl_seconds}}})},
               {"agents", agent_list}};
  Stream st;
  st.queue = "main";
  st.arrivals_per_hour = {arrivals_per_hour};
  st.handle.mean_seconds = aht_seconds;
  if (patience_seconds) st.patience = Distribution{Distribution::Kind::kExponential, *patience_seconds};
  sc.streams.push_back(st);
  sc.length = static_cast<DurationMs>(hours * 3'600'000);
  sc.seed = seed;
  sc.ring_ms = 0;  // M/M/N: agents pick up at once
  sc.kpi.service_level_ms = static_cast<DurationMs>(sl_seconds * 1000);
  sc.kpi.interval_ms = minutes(60);
  sc.kpi.short_abandon_ms = 0;
  return sc;
}

Scenario menu_day(double contacts) {
  const double per_hour = contacts / 24;
  const double aht = 180;
  const int agents = static_cast<int>(per_hour * aht / 3600 * 1.1) + 5;
  Scenario sc = single_queue(agents, per_hour, aht, 300.0, 24, 1, 20);
  sc.streams[0].queue.clear();
  sc.streams[0].flow = "menu";
  sc.streams[0].paths = {{1.0, {"1"}}};
  sc.engine["flows"] = json::array({json::parse(R"({"id": "menu", "start": "m", "nodes": {
      "m": {"type": "menu", "prompts": ["tts:For service press 1."], "options": {"1": "q"},
            "fail": "q"},
      "q": {"type": "queue", "queue": "main", "hold": ["moh.wav"]}}})")});
  sc.prompt_ms = 2000;
  return sc;
}

Result<std::vector<TraceCall>> read_bank_trace(const std::string& path, std::string date,
                                               const std::string& queue, TimeMs day_start,
                                               std::string* chosen_date) {
  std::ifstream in(path);
  if (!in) return make_error(Errc::kIo, "cannot open " + path);
  std::string line;
  std::getline(in, line);  // header
  std::map<std::string, std::vector<TraceCall>> by_day;
  int row = 1;
  auto seconds_of = [](const std::string& t) {
    const auto a = t.find(':'), b = t.rfind(':');
    return std::stoi(t.substr(0, a)) * 3600 + std::stoi(t.substr(a + 1, b - a - 1)) * 60 +
           std::stoi(t.substr(b + 1));
  };
  while (std::getline(in, line)) {
    ++row;
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    if (f.size() < 9) return make_error(Errc::kInvalidArgument, fmt::format("{}: row {}: expected 9 fields", path, row));
    try {
      // A call that went straight to an agent has q_start 0:00:00.
      const int arrival = f[2] == "0:00:00" ? seconds_of(f[5]) : seconds_of(f[2]);
      const int handle = std::stoi(f[7]);
      by_day[f[1]].push_back(TraceCall{day_start + arrival * 1000LL, std::max(1, handle) * 1000LL, queue});
    } catch (const std::exception&) {
      return make_error(Errc::kInvalidArgument, fmt::format("{}: row {}: malformed time or duration", path, row));
    }
  }
  if (by_day.empty()) return make_error(Errc::kInvalidArgument, path + ": no calls");
  if (date.empty()) {
    for (const auto& [d, calls] : by_day) {
      if (date.empty() || calls.size() > by_day[date].size()) date = d;
    }
  }
  auto it = by_day.find(date);
  if (it == by_day.end()) return make_error(Errc::kNotFound, "no calls on " + date);
  if (chosen_date) *chosen_date = date;
  std::sort(it->second.begin(), it->second.end(),
            [](const TraceCall& a, const TraceCall& b) { return a.arrival < b.arrival; });
  return it->second;
}

namespace {

// Calls are named c<N>, and their callback requests callback:c<N>; events
// carry that as one number (N·2, plus 1 for a callback) so that the agenda
// holds plain data and costs no allocation per event.
using CallKey = std::uint64_t;
constexpr CallKey kNoCall = 0;
constexpr std::string_view kCallbackPrefix = "callback:";

CallKey call_key(std::string_view id) {
  bool callback = false;
  // Nearly every id is a caller's own, c<N>: a digit second rules the prefix out unread.
  if (id.size() > 1 && id[1] == 'a' && id.substr(0, kCallbackPrefix.size()) == kCallbackPrefix) {
    callback = true;
    id.remove_prefix(kCallbackPrefix.size());
  }
  if (id.size() < 2 || id.size() > 19 || id[0] != 'c') return kNoCall;
  std::uint64_t n = 0;
  for (char ch : id.substr(1)) {
    if (ch < '0' || ch > '9') return kNoCall;
    n = n * 10 + static_cast<std::uint64_t>(ch - '0');
  }
  return n * 2 + (callback ? 1 : 0);
}

std::uint64_t caller_of(CallKey key) { return key / 2; }

// Room for "callback:c" and a 64-bit number.
using NameBuffer = std::array<char, 40>;

// The engine's name for a call key; the view lives in `buf`. Written by hand:
// it is made for nearly every event, where a formatting call shows.
std::string_view call_name(CallKey key, NameBuffer& buf) {
  char* at = buf.data();
  if (key % 2) at = std::copy(kCallbackPrefix.begin(), kCallbackPrefix.end(), at);
  *at++ = 'c';
  at = std::to_chars(at, buf.data() + buf.size(), caller_of(key)).ptr;
  return {buf.data(), static_cast<std::size_t>(at - buf.data())};
}

// "+97235" and the number's last six digits, zero-padded.
std::string caller_number(std::uint64_t n) {
  std::string s = "+97235000000";
  n %= 1'000'000;
  for (std::size_t i = s.size(); n > 0; n /= 10) s[--i] = static_cast<char>('0' + n % 10);
  return s;
}

struct Event {
  enum Kind : std::uint8_t {
    kArrival, kTraceArrival, kPromptDone, kDigits, kAgentAnswer, kAgentDone, kRecordingDone,
    kHostResult, kLogin, kLogout, kBreakStart, kBreakEnd, kSample, kTicketResolved,
    kCallControl,  // id: the conversation << 8 | the CallControlStep::Kind
    kLegAnswered,  // id: the conversation
  };
  TimeMs at = 0;          // filled in when the agenda hands the event out
  std::uint64_t id = 0;   // stream, trace row, reservation, request, generation
  std::uint64_t who = 0;  // a CallKey, or an agent's index in the shifts' agent list
  Kind kind = kSample;
};

struct Caller {
  std::size_t stream = 0;
  const Stream::Path* path = nullptr;
  std::size_t next_key = 0;
  std::uint64_t play_generation = 0;
  DurationMs handle_ms = 0;  // from a trace
  bool gave_up_scheduled = false;
  bool connected = false;  // bridged to an agent: no longer gives up
  TimerHeap::TimerId give_up = 0;  // in the give-up heap while waiting
  // Call control: the model of the queue that answered, and the
  // conversation's number (events of an earlier one are stale).
  const CallControlModel* control = nullptr;
  std::uint64_t conversation = 0;
};

// The simulated switch and callers are the driver's telephony and
// notification sink: the driver drains the engine and feeds the KPIs as it
// does for every host, and the simulation answers with events on its agenda.
class Simulation final : public runtime::Telephony, public runtime::NotificationSink {
 public:
  // `served`: whether the run is watched (hotline-sim --serve), whose
  // desktops and pages read each ring's screen pop, each IVR node the calls
  // pass and each conversation's states. Nobody reads the first two in a
  // batch run, nor the last without call control, so it builds none of them.
  Simulation(const Scenario& sc, Outcome& out, bool served)
      : sc_(sc), out_(out), rng_(sc.seed), engine_(engine_options(sc, served)) {
    driver_.use_telephony(this);
    driver_.use_sink(this);
    if (sc_.tickets.share > 0) {
      ticket_storage_ = store::open_memory_storage();
      store::TicketService::Options o;
      o.clock = [this] { return now_; };
      tickets_.emplace(*ticket_storage_, std::move(o));
    }
  }

  static engine::EngineOptions engine_options(const Scenario& sc, bool served) {
    engine::EngineOptions options{{sc.seed}};
    options.screen_pop_in_rings = served;
    options.ivr_node_notes = served;
    // Only call control (holds, consultations, conferences) makes the KPI
    // feed follow a conversation; without it nobody reads their states.
    options.conversation_notes = served || !sc.call_control.empty();
    return options;
  }

  Status run() {
    if (auto st = begin(); !st) return st;
    while (step(kNever)) {
    }
    finish();
    return {};
  }

  // The run in steps, for a caller that paces it (hotline-sim --serve).
  Status begin() {
    if (auto st = engine_.load_config(sc_.engine, sc_.start); !st) return st;
    if (!sc_.queue_log.empty()) {
      auto writer = runtime::QueueLogWriter::open(sc_.queue_log);
      if (!writer) return std::move(writer).error();
      queue_log_ = std::move(writer).value();
      driver_.use_queue_log(queue_log_.get());
    }
    drain();
    schedule_agents();
    for (std::size_t i = 0; i < sc_.streams.size(); ++i) next_arrival(i, sc_.start);
    for (std::size_t i = 0; i < sc_.trace.size(); ++i) {
      push(sc_.trace[i].arrival, Event::kTraceArrival, i);
    }
    push(sc_.start, Event::kSample, 0);
    return {};
  }

  // Runs everything due at or before `until`; false once nothing is left
  // before the hard stop (after the last arrival the day runs on until the
  // calls in progress end).
  bool step(TimeMs until) {
    const TimeMs end = sc_.start + sc_.length;
    const TimeMs hard_stop = end + 4 * 3'600'000;
    for (;;) {
      const TimeMs a = agenda_.next_time();
      const TimeMs d = engine_.next_deadline();
      const TimeMs g = give_ups_.next_deadline();
      const TimeMs t = std::min({a, d, g});
      if (t == kNever || t > hard_stop) return false;
      if (t > until) return true;
      if (d == t) {
        engine_.advance(t);
        ++out_.engine_events;
        drain();
        continue;
      }
      if (g < a) {
        TimerHeap::Due due;
        (void)give_ups_.pop_due(g, &due);
        now_ = last_time_ = g;
        give_up(due.subject, g);
        drain();
        continue;
      }
      TimeMs at = 0;
      Event e = agenda_.pop(&at);
      e.at = at;
      now_ = e.at;
      if (e.at > end && (e.kind == Event::kArrival || e.kind == Event::kSample)) continue;
      handle(e, end);
      drain();
    }
  }

  void finish() {
    const TimeMs end = sc_.start + sc_.length;
    out_.kpi.flush(std::min(end + 4 * 3'600'000, std::max(end, last_time_)));
  }

  engine::Engine& engine() noexcept { return engine_; }
  runtime::Driver& driver() noexcept { return driver_; }
  // Also hands every notification to `listener` (nullptr: none).
  void also_notify(runtime::NotificationSink* listener) noexcept { listener_ = listener; }
  void use_caller_lookup(SteppedRun::CallerLookup lookup) { caller_lookup_ = std::move(lookup); }
  // Reports a failed callback of the last step, if any, and forgets it.
  std::optional<Error> take_failure() { return std::exchange(failure_, std::nullopt); }

 private:
  void push(TimeMs at, Event::Kind kind, std::uint64_t id, std::uint64_t who = 0) {
    agenda_.push(at, Event{0, id, who, kind});
  }

  void schedule_agents() {
    std::map<std::string, bool> in_shift;
    for (const Shift& s : sc_.shifts) {
      for (const std::string& a : s.agents) {
        in_shift[a] = true;
        const std::uint64_t who = shift_agents_.size();
        shift_agents_.push_back(a);
        push(sc_.start + s.start, Event::kLogin, 0, who);
        push(sc_.start + s.end, Event::kLogout, 0, who);
        if (s.break_end > s.break_start) {
          push(sc_.start + s.break_start, Event::kBreakStart, 0, who);
          push(sc_.start + s.break_end, Event::kBreakEnd, 0, who);
        }
      }
    }
    for (const std::string& a : engine_.router().agent_ids()) {
      if (!in_shift.count(a)) {
        (void)engine_.agent_login(a, sc_.start);
        ++out_.engine_events;
      }
    }
    drain();
  }

  void next_arrival(std::size_t stream, TimeMs from) {
    // A Poisson process whose rate changes per interval: draw in the
    // current interval; past its end, start afresh at the boundary (the
    // process is memoryless).
    const Stream& s = sc_.streams[stream];
    TimeMs t = from;
    for (int guard = 0; guard < 10000; ++guard) {
      const auto interval = static_cast<std::size_t>((t - sc_.start) / s.rate_interval_ms);
      const double rate = s.arrivals_per_hour[std::min(interval, s.arrivals_per_hour.size() - 1)];
      const TimeMs boundary = sc_.start + static_cast<TimeMs>(interval + 1) * s.rate_interval_ms;
      if (rate > 0) {
        const double gap = std::exponential_distribution<double>(rate / 3'600'000.0)(rng_);
        const TimeMs at = t + static_cast<TimeMs>(gap);
        if (at < boundary) {
          push(at, Event::kArrival, stream);
          return;
        }
      }
      t = boundary;
      if (t >= sc_.start + sc_.length) return;
    }
  }

  // The live caller behind `key`; callback requests have none of their own.
  Caller* caller(CallKey key) {
    if (key == kNoCall || key % 2) return nullptr;
    return callers_.find(caller_of(key));
  }

  std::string_view name_of(CallKey key) { return call_name(key, name_buf_); }

  // A waiting caller's patience ran out.
  void give_up(CallKey key, TimeMs at) {
    Caller* c = caller(key);
    if (!c || c->connected) return;
    c->give_up = 0;
    (void)engine_.call_hung_up(name_of(key), at);
    ++out_.engine_events;
    callers_.erase(caller_of(key));
  }

  void handle(const Event& e, TimeMs end) {
    last_time_ = e.at;
    switch (e.kind) {
      case Event::kArrival: {
        const Stream& s = sc_.streams[e.id];
        arrive(e.at, e.id, s.queue, s.flow, 0);
        next_arrival(e.id, e.at);
        break;
      }
      case Event::kTraceArrival: {
        const TraceCall& t = sc_.trace[e.id];
        arrive(e.at, 0, t.queue, "", t.handle);
        break;
      }
      case Event::kPromptDone: {
        const Caller* c = caller(e.who);
        if (!c || c->play_generation != e.id) break;
        (void)engine_.prompt_done(name_of(e.who), e.at);
        ++out_.engine_events;
        break;
      }
      case Event::kDigits: {
        const Caller* c = caller(e.who);
        if (!c) break;
        std::string_view keys;
        if (c->path && c->next_key <= c->path->keys.size() && c->next_key > 0) {
          keys = c->path->keys[c->next_key - 1];  // the scenario's: outlives the run
        } else {
          // Beyond the scripted path (a callback offer): accept or keep waiting.
          const double share = sc_.streams.empty() ? 0.5 : sc_.streams[c->stream].callback_share;
          keys = std::uniform_real_distribution<double>(0, 1)(rng_) < share ? "1" : "2";
        }
        for (char k : keys) {
          if (!caller(e.who)) break;
          (void)engine_.digit(name_of(e.who), k, e.at);
          ++out_.engine_events;
        }
        break;
      }
      case Event::kAgentAnswer:
        (void)engine_.agent_answered(e.id, e.at);  // refused if rescinded meanwhile
        ++out_.engine_events;
        break;
      case Event::kAgentDone:
        (void)engine_.agent_hung_up(name_of(e.who), e.at);
        ++out_.engine_events;
        break;
      case Event::kRecordingDone: {
        const std::string name(name_of(e.who));
        (void)engine_.recording_done(name, "recordings/" + name + ".wav", e.at);
        ++out_.engine_events;
        break;
      }
      case Event::kHostResult:
        (void)engine_.host_result(e.id, true,
                                  json{{"amount", 1000 + static_cast<int>(rng_() % 9000)},
                                       {"currency", "ILS"},
                                       {"number", fmt::format("T-SIM-{:06}", e.id)}},
                                  e.at);
        ++out_.engine_events;
        break;
      case Event::kLogin:
        (void)engine_.agent_login(shift_agents_[e.who], e.at);
        ++out_.engine_events;
        break;
      case Event::kLogout:
        if (!engine_.agent_logout(shift_agents_[e.who], e.at)) {
          push(e.at + 30'000, Event::kLogout, 0, e.who);
        }
        ++out_.engine_events;
        break;
      case Event::kBreakStart:
        (void)engine_.agent_not_ready(shift_agents_[e.who], "break", e.at);
        ++out_.engine_events;
        break;
      case Event::kBreakEnd:
        (void)engine_.agent_ready(shift_agents_[e.who], e.at);
        ++out_.engine_events;
        break;
      case Event::kTicketResolved:
        resolve_pending_ticket(static_cast<store::TicketId>(e.id), e.at);
        break;
      case Event::kCallControl: call_control_step(e); break;
      case Event::kLegAnswered: {
        Caller* c = caller(e.who);
        auto leg = consult_legs_.find(e.who);
        if (!c || c->conversation != e.id || leg == consult_legs_.end()) break;
        (void)engine_.leg_answered(name_of(e.who), leg->second, e.at);
        ++out_.engine_events;
        break;
      }
      case Event::kSample: {
        int waiting = 0;
        for (const std::string& q : engine_.router().queue_ids()) {
          // Counts only: a snapshot would walk the queue's members.
          waiting += engine_.router().queue_load(q)->waiting;
        }
        const TimeMs interval = out_.kpi.interval_start(e.at - sc_.start) + sc_.start;
        if (out_.waiting_samples.empty() || out_.waiting_samples.back().first != interval) {
          out_.waiting_samples.emplace_back(interval, waiting);
        } else {
          out_.waiting_samples.back().second = std::max(out_.waiting_samples.back().second, waiting);
        }
        if (e.at + 60'000 <= end) push(e.at + 60'000, Event::kSample, 0);
        break;
      }
    }
  }

  void arrive(TimeMs at, std::size_t stream, const std::string& queue, const std::string& flow,
              DurationMs handle) {
    const std::uint64_t number = ++out_.contacts;
    Caller c;
    c.stream = stream;
    c.handle_ms = handle;
    if (!sc_.streams.empty() && !sc_.streams[stream].paths.empty()) {
      c.path = &sc_.streams[stream].paths[path_choice(stream)(rng_)];
    }
    engine::CallInfo info;
    info.call_id = name_of(number * 2);
    info.caller = caller_number(out_.contacts);
    info.dialled = "1800";
    info.flow_id = flow;
    info.queue_id = queue;
    if (!sc_.streams.empty() && std::uniform_real_distribution<double>(0, 1)(rng_) < sc_.streams[stream].vip_share) {
      info.attributes.set("tier", "vip");
    }
    if (caller_lookup_) caller_lookup_(info);
    callers_[number] = c;
    if (!engine_.call_arrived(std::move(info), at)) callers_.erase(number);
    ++out_.engine_events;
  }

  // The stream's choice among its paths, by weight; built once per stream.
  std::discrete_distribution<std::size_t>& path_choice(std::size_t stream) {
    if (path_choice_.size() <= stream) path_choice_.resize(stream + 1);
    auto& d = path_choice_[stream];
    if (!d) {
      std::vector<double> weights;
      for (const auto& p : sc_.streams[stream].paths) weights.push_back(p.weight);
      d.emplace(weights.begin(), weights.end());
    }
    return *d;
  }

  // A callback that throws would be reported here rather than stop the run
  // half-way unnoticed: the run ends with it.
  void drain() {
    driver_.deliver();
    if (failure_) throw std::runtime_error(failure_->message);
  }

  void host_error(const runtime::HostError& e) override {
    if (!failure_) failure_ = make_error(e.error.code, e.what + ": " + e.error.message);
  }

  void notification(const Notification& n) override {
    on_note(n);
    if (listener_) listener_->notification(n);
  }

  // Every command is carried out; those with nothing to simulate are done at once.
  bool supports(Command::Kind) const override { return true; }
  Status answer(const Command&) override { return {}; }
  Status play(const Command& c) override { return on_command(c); }
  Status stop_playback(const Command& c) override { return on_command(c); }
  Status collect_digits(const Command& c) override { return on_command(c); }
  Status record(const Command& c) override { return on_command(c); }
  Status transfer(const Command& c) override { return on_command(c); }
  Status hangup(const Command& c) override { return on_command(c); }
  Status ring_agent(const Command& c) override { return on_command(c); }
  Status stop_ringing(const Command&) override { return {}; }
  Status bridge(const Command& c) override { return on_command(c); }
  Status lookup(const Command& c) override { return on_command(c); }
  Status create_ticket(const Command& c) override { return on_command(c); }
  Status register_callback(const Command&) override { return {}; }
  Status hold(const Command&) override { return {}; }
  Status resume(const Command&) override { return {}; }
  Status dial(const Command& c) override { return on_command(c); }
  Status hangup_leg(const Command&) override { return {}; }
  Status mix(const Command&) override { return {}; }
  Status record_control(const Command&) override { return {}; }

  DurationMs handle_of(CallKey key) {
    // A callback takes the handle time of the caller who asked for it.
    const Caller* c = key == kNoCall ? nullptr : callers_.find(caller_of(key));
    const std::size_t stream = c ? c->stream : 0;
    if (c && c->handle_ms > 0) return c->handle_ms;
    if (sc_.streams.empty()) return 180'000;
    return static_cast<DurationMs>(sc_.streams[stream].handle.sample(rng_) * 1000);
  }

  Status on_command(const Command& c) {
    switch (c.kind) {
      case Command::Kind::kPlay: {
        const CallKey key = call_key(c.call_id);
        Caller* caller_state = caller(key);
        if (!caller_state) break;
        ++caller_state->play_generation;
        if (!c.loop) {
          push(c.time + sc_.prompt_ms * static_cast<DurationMs>(std::max<std::size_t>(1, c.prompts.size())),
               Event::kPromptDone, caller_state->play_generation, key);
        }
        break;
      }
      case Command::Kind::kStopPlayback: {
        if (Caller* caller_state = caller(call_key(c.call_id))) ++caller_state->play_generation;
        break;
      }
      case Command::Kind::kCollectDigits: {
        const CallKey key = call_key(c.call_id);
        Caller* caller_state = caller(key);
        if (!caller_state) break;
        ++caller_state->next_key;
        push(c.time + 1500, Event::kDigits, 0, key);
        break;
      }
      case Command::Kind::kRecord:
        push(c.time + 20'000, Event::kRecordingDone, 0, call_key(c.call_id));
        break;
      case Command::Kind::kRingAgent:
        if (std::uniform_real_distribution<double>(0, 1)(rng_) >= sc_.no_answer_share) {
          push(c.time + sc_.ring_ms, Event::kAgentAnswer, c.reservation);
        }
        break;
      case Command::Kind::kBridge: {
        const CallKey key = call_key(c.call_id);
        Caller* caller_state = caller(key);
        if (caller_state) {
          caller_state->connected = true;
          if (caller_state->give_up) (void)give_ups_.cancel(caller_state->give_up);
          caller_state->give_up = 0;
        }
        if (caller_state && caller_state->control) {
          plan_conversation(*caller_state, key, c.time);
          break;
        }
        push(c.time + handle_of(key), Event::kAgentDone, 0, key);
        break;
      }
      case Command::Kind::kDial: {
        const CallKey key = call_key(c.call_id);
        Caller* caller_state = caller(key);
        if (!caller_state) break;
        consult_legs_[key] = c.leg;
        push(c.time + sc_.ring_ms, Event::kLegAnswered, caller_state->conversation, key);
        break;
      }
      case Command::Kind::kLookup:
      case Command::Kind::kCreateTicket:
        push(c.time + 200, Event::kHostResult, c.request_id);
        break;
      case Command::Kind::kHangup:
      case Command::Kind::kTransfer: {
        const CallKey key = call_key(c.call_id);
        if (key != kNoCall && key % 2 == 0) callers_.erase(caller_of(key));
        break;
      }
      default: break;
    }
    return {};
  }

  void on_note(const Notification& n) {
    if (n.kind == Notification::Kind::kCallEnded) {
      const CallKey key = call_key(n.call_id);
      if (key != kNoCall && key % 2 == 0) callers_.erase(caller_of(key));
      if (!consult_legs_.empty()) consult_legs_.erase(key);
      return;
    }
    if (n.kind != Notification::Kind::kRouting) return;
    using K = routing::Output::Kind;
    switch (n.routing) {
      case K::kOfferAccepted:
        if (!sc_.call_control.empty()) {
          if (Caller* c = caller(call_key(n.call_id))) c->control = control_of(n.queue_id);
        }
        break;
      case K::kContactQueued: {
        const CallKey key = call_key(n.call_id);
        Caller* c = caller(key);
        if (c && !c->gave_up_scheduled && !sc_.streams.empty() && sc_.streams[c->stream].patience) {
          c->gave_up_scheduled = true;
          const double p = sc_.streams[c->stream].patience->sample(rng_);
          c->give_up = give_ups_.schedule(n.time + static_cast<DurationMs>(p * 1000), 0, key);
        }
        break;
      }
      case K::kContactCompleted: open_ticket(n); break;
      case K::kWrapUpEnded: settle_ticket(n); break;
      default: break;
    }
  }

  const CallControlModel* control_of(const std::string& queue) const {
    for (const CallControlModel& m : sc_.call_control) {
      if (m.queue == queue) return &m;
    }
    return nullptr;
  }

  // The agent's holds, consultation and transfer for the conversation that
  // starts at `bridged`, and its end.
  void plan_conversation(Caller& c, CallKey key, TimeMs bridged) {
    const ConversationPlan plan = sim::plan_conversation(*c.control, handle_of(key), rng_);
    const std::uint64_t conversation = ++c.conversation;
    for (const CallControlStep& step : plan.steps) {
      push(bridged + step.at, Event::kCallControl, conversation << 8 | step.kind, key);
    }
    if (!plan.transfers) push(bridged + plan.end, Event::kAgentDone, 0, key);
  }

  void call_control_step(const Event& e) {
    Caller* c = caller(e.who);
    if (!c || !c->control || c->conversation != e.id >> 8) return;
    const std::string_view call = name_of(e.who);
    switch (static_cast<CallControlStep::Kind>(e.id & 0xff)) {
      case CallControlStep::kHold: (void)engine_.hold(call, e.at); break;
      case CallControlStep::kResume: (void)engine_.resume(call, e.at); break;
      case CallControlStep::kConsult:
        (void)engine_.consult(call, engine::Engine::Party{"", c->control->consult_target}, e.at);
        break;
      case CallControlStep::kConsultCancel:
        consult_legs_.erase(e.who);
        (void)engine_.consult_cancel(call, e.at);
        break;
      case CallControlStep::kTransfer:
        (void)engine_.transfer_to_queue(call, c->control->transfer_queue, e.at);
        break;
    }
    ++out_.engine_events;
  }

  // The agent opens a ticket as the conversation ends (wrap-up starts).
  void open_ticket(const Notification& n) {
    if (!tickets_ || std::uniform_real_distribution<double>(0, 1)(rng_) >= sc_.tickets.share) return;
    now_ = n.time;
    store::NewTicket t;
    t.subject = "Call " + n.call_id;
    t.contact_id = n.call_id;
    t.group = n.queue_id;
    t.assignee = n.agent_id;
    auto created = tickets_->create(store::Actor{n.agent_id, store::Role::kAgent}, t);
    if (!created) return;
    ++out_.tickets;
    ticket_of_contact_[n.contact] = created->id;
  }

  // At the end of wrap-up the ticket is resolved on this contact, or waits.
  void settle_ticket(const Notification& n) {
    auto it = ticket_of_contact_.find(n.contact);
    if (it == ticket_of_contact_.end()) return;
    const store::TicketId id = it->second;
    ticket_of_contact_.erase(it);
    now_ = n.time;
    const store::Actor agent{n.agent_id, store::Role::kAgent};
    (void)tickets_->set_status(agent, id, store::TicketStatus::kOpen);
    first_contact_end_[id] = n.time;
    out_.kpi.issue_contact(n.queue_id, n.time);
    if (std::uniform_real_distribution<double>(0, 1)(rng_) < sc_.tickets.first_contact_resolution) {
      resolve_ticket(id, n.queue_id, n.time);
      return;
    }
    (void)tickets_->set_status(agent, id, store::TicketStatus::kPending);
    const auto delay = static_cast<DurationMs>(sc_.tickets.resolution_delay.sample(rng_) * 1000);
    pending_queue_[id] = n.queue_id;
    push(n.time + std::max<DurationMs>(delay, 1), Event::kTicketResolved,
         static_cast<std::uint64_t>(id));
  }

  // A ticket left pending at the end of its call is resolved later.
  void resolve_pending_ticket(store::TicketId id, TimeMs at) {
    auto it = pending_queue_.find(id);
    if (it == pending_queue_.end()) return;
    const std::string queue = std::move(it->second);
    pending_queue_.erase(it);
    resolve_ticket(id, queue, at);
  }

  // First-contact resolution and CSAT come from the ticket record itself.
  void resolve_ticket(store::TicketId id, const std::string& queue, TimeMs at) {
    now_ = at;
    const store::Actor system = store::system_actor();
    auto t = tickets_->get(id);
    if (!t) return;
    if (t->status == store::TicketStatus::kPending) {
      (void)tickets_->set_status(system, id, store::TicketStatus::kOpen);
    }
    auto resolved = tickets_->set_status(system, id, store::TicketStatus::kResolved);
    if (!resolved) return;
    const bool first_contact =
        resolved->reopen_count == 0 && resolved->resolved_at <= first_contact_end_[id];
    first_contact_end_.erase(id);
    out_.kpi.ticket_resolved(queue, first_contact, at);
    if (std::uniform_real_distribution<double>(0, 1)(rng_) >= sc_.tickets.csat_response_share) return;
    const auto& w = first_contact ? sc_.tickets.csat_first_contact : sc_.tickets.csat_later;
    const int score = 1 + static_cast<int>(std::discrete_distribution<int>(w.begin(), w.end())(rng_));
    auto rated = tickets_->rate(system, id, score);
    if (rated) out_.kpi.satisfaction(queue, rated->satisfaction, at);
  }

  const Scenario& sc_;
  Outcome& out_;
  std::mt19937_64 rng_;
  engine::Engine engine_;
  Agenda<Event> agenda_;
  // Patience deadlines apart from the agenda: most callers are answered
  // first, and their deadlines are cancelled instead of lingering there.
  TimerHeap give_ups_;
  IdMap<Caller> callers_;  // by the N of c<N>
  runtime::Driver driver_{engine_, out_.kpi};  // feeds out_.kpi
  std::unique_ptr<runtime::QueueLogWriter> queue_log_;  // Scenario::queue_log
  SteppedRun::CallerLookup caller_lookup_;  // who is calling, when a host can tell
  std::optional<Error> failure_;  // the first output the driver could not hand on
  std::vector<std::string> shift_agents_;
  std::vector<std::optional<std::discrete_distribution<std::size_t>>> path_choice_;
  NameBuffer name_buf_;
  TimeMs last_time_ = 0;
  TimeMs now_ = 0;  // the ticket store's clock
  std::unique_ptr<store::Storage> ticket_storage_;
  std::optional<store::TicketService> tickets_;
  std::unordered_map<CallKey, std::string> consult_legs_;  // the leg each consultation dialled
  std::unordered_map<std::uint64_t, store::TicketId> ticket_of_contact_;
  std::unordered_map<store::TicketId, TimeMs> first_contact_end_;
  std::unordered_map<store::TicketId, std::string> pending_queue_;  // the queue it came from
  runtime::NotificationSink* listener_ = nullptr;
};

}  // namespace

Outcome run(const Scenario& scenario) {
  Outcome out(scenario.kpi);
  Simulation sim(scenario, out, /*served=*/false);
  if (auto st = sim.run(); !st) throw std::runtime_error(st.error().message);
  return out;
}

struct SteppedRun::Impl {
  Impl(const Scenario& scenario, runtime::NotificationSink* listener)
      : out(scenario.kpi), sim(scenario, out, /*served=*/true) {
    sim.also_notify(listener);
  }
  Outcome out;
  Simulation sim;
  bool running = true;
};

SteppedRun::SteppedRun(const Scenario& scenario, runtime::NotificationSink* listener)
    : impl_(std::make_unique<Impl>(scenario, listener)) {}
SteppedRun::~SteppedRun() = default;

void SteppedRun::use_caller_lookup(CallerLookup lookup) {
  impl_->sim.use_caller_lookup(std::move(lookup));
}

Status SteppedRun::begin() { return impl_->sim.begin(); }

bool SteppedRun::step(TimeMs until) {
  if (!impl_->running) return false;
  impl_->running = impl_->sim.step(until);
  return impl_->running;
}

engine::Engine& SteppedRun::engine() noexcept { return impl_->sim.engine(); }
runtime::Driver& SteppedRun::driver() noexcept { return impl_->sim.driver(); }
const metrics::KpiCollector& SteppedRun::kpi() const noexcept { return impl_->out.kpi; }
void SteppedRun::deliver() {
  impl_->sim.driver().deliver();
  if (auto failure = impl_->sim.take_failure()) throw std::runtime_error(failure->message);
}

}  // namespace hotline::sim
