// The interpreter. A session is always in exactly one wait state; an event
// either belongs to that state or is ignored. Entering a node returns the
// node to continue at, or kNoNode when the session now waits for something.
#include "hotline/ivr/session.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <re2/re2.h>

namespace hotline::ivr {

namespace {

enum class Wait : std::uint8_t { kNone, kPrompt, kDigits, kHost, kQueue, kConnected, kRecording, kEnded };
// What a prompt that is playing leads to when it ends.
enum class Then : std::uint8_t { kNext, kCollect, kRecord, kTransfer, kHangup };

constexpr int kMaxStepsPerEvent = 1000;
// The screen pop shows how the caller got to the agent; a caller looping
// through a menu must not grow it without bound.
constexpr std::size_t kMaxPathLength = 64;

std::string value_text(const expr::Value& v) {
  switch (v.kind()) {
    case expr::Value::Kind::kString: return std::string(v.as_string());
    case expr::Value::Kind::kNumber: {
      const double n = v.as_number();
      if (std::floor(n) == n && std::fabs(n) < 1e15) return std::to_string(static_cast<long long>(n));
      return fmt::format("{}", n);
    }
    case expr::Value::Kind::kBool: return v.as_bool() ? "true" : "false";
    default: return "";
  }
}

}  // namespace

struct Frame {
  std::shared_ptr<const Flow> flow;
  NodeIndex return_to;
};

struct Session::State {
  State(std::shared_ptr<const Flow> f, const Environment& e, CallFacts c)
      : flow(std::move(f)), env(e), call(std::move(c)) {}

  std::shared_ptr<const Flow> flow;
  const Environment& env;
  CallFacts call;
  expr::Attributes scope;  // call, customer, vars, input, time, queue
  // The call's facts join the scope (as call.*) the first time anything may
  // read it: many calls pass through flows that never do.
  bool call_in_scope = false;
  std::vector<Frame> frames;
  // Collected so far, or typed ahead during a prompt: a key that barges in
  // is kept for the next menu or collect, and the bargeable prompts on the
  // way there are skipped. Dropped when the call waits for anything else
  // (a queue, the host, a recording), so a key never outlives its moment.
  std::string digits;
  // Play nodes skipped for type-ahead during the current walk (see go()).
  std::vector<NodeIndex> skipped_for_typeahead;
  // Node ids entered, in order (at most kMaxPathLength), and the digits each
  // collect node accepted, by its variable (a later entry replaces one).
  std::vector<std::string> path;
  std::vector<std::pair<std::string, std::string>> entered_digits;
  std::string queue_name;
  // The queue node that enqueued the call, in its flow: an agent's answer
  // continues there even when the caller has stepped into a menu meanwhile.
  std::shared_ptr<const Flow> queue_flow;
  NodeIndex queue_node = kNoNode;
  std::uint64_t pending_request = 0;
  std::uint64_t next_request = 1;
  NodeIndex node = kNoNode;
  Wait wait = Wait::kNone;
  Then then = Then::kNext;
  std::uint8_t no_input = 0;
  std::uint8_t no_match = 0;
  bool in_queue = false;

  const Node& current() const { return flow->node(node); }
  std::string_view call_id() const { return call.call_id; }
  std::string_view caller() const { return call.caller; }

  expr::Attributes& full_scope() {
    if (!call_in_scope) {
      call_in_scope = true;
      expr::Attributes& c = scope.object_at("call");  // in place: no copy
      c.set("id", std::string_view(call.call_id));
      c.set("caller", std::string_view(call.caller));
      c.set("dialled", std::string_view(call.dialled));
      c.set("channel", std::string_view(call.channel));
      c.set("start", static_cast<double>(call.start));
    }
    return scope;
  }
  expr::Attributes& vars() { return scope.object_at("vars"); }

  // ------------------------------------------------------------ helpers

  void refresh(TimeMs now) {
    // Time and queue state change between events; they are refreshed when an
    // expression or a template is about to read them.
    full_scope();
    const Calendar* cal = env.calendar(flow->calendar());
    static const Calendar kAlwaysOpen = Calendar::always_open();
    const LocalTime lt = (cal ? cal : &kAlwaysOpen)->local(now);
    expr::Attributes& t = scope.object_at("time");
    t.set("hour", lt.hour);
    t.set("minute", lt.minute);
    t.set("weekday", lt.weekday);
    t.set("hhmm", lt.hhmm);
    const std::string& q = queue_name.empty() ? flow->default_queue() : queue_name;
    if (!q.empty()) {
      const QueueStatus qs = env.queue_status(q, call_id());
      expr::Attributes& a = scope.object_at("queue");
      a.set("id", std::string_view(q));
      a.set("waiting", qs.waiting);
      a.set("agents_available", qs.agents_available);
      a.set("agents_logged_in", qs.agents_logged_in);
      a.set("expected_wait", static_cast<double>(qs.expected_wait_ms) / 1000.0);
      a.set("position", qs.position);
    }
  }

  // Fills ${path} placeholders from the session's variables.
  std::string render(std::string_view text) const {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
      const std::size_t open = text.find("${", i);
      if (open == std::string_view::npos) break;
      const std::size_t close = text.find('}', open + 2);
      if (close == std::string_view::npos) break;
      out.append(text.substr(i, open - i));
      const expr::Value* v = scope.find_path(text.substr(open + 2, close - open - 2));
      if (v) out += value_text(*v);
      i = close + 1;
    }
    out.append(text.substr(i));
    return out;
  }

  std::vector<Prompt> rendered(const std::vector<Prompt>& prompts) const {
    // Most prompts have no placeholder (a menu's fixed text, hold music):
    // those are copied whole, without building each text afresh.
    const bool fixed = std::none_of(prompts.begin(), prompts.end(), [](const Prompt& p) {
      return p.kind == Prompt::Kind::kTts && p.value.find("${") != std::string::npos;
    });
    if (fixed) return prompts;
    std::vector<Prompt> out;
    out.reserve(prompts.size());
    for (const Prompt& p : prompts) {
      out.push_back(p.kind == Prompt::Kind::kTts ? Prompt{p.kind, render(p.value)} : p);
    }
    return out;
  }

  nlohmann::json rendered(const std::vector<std::pair<std::string, std::string>>& fields) const {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [name, value] : fields) j[name] = render(value);
    return j;
  }

  // Directives are built in place in `out` (a directive is large: moving
  // one in costs more than filling it), from parts that are ready first.
  void emit(std::vector<Directive>& out, Directive::Kind kind) {
    Directive& d = out.emplace_back();
    d.kind = kind;
  }

  void timer(std::vector<Directive>& out, TimeMs deadline) {
    Directive& d = out.emplace_back();
    d.kind = Directive::Kind::kStartTimer;
    d.deadline = deadline;
  }

  void play(std::vector<Directive>& out, std::vector<Prompt> prompts, bool barge_in, Then next) {
    Directive& d = out.emplace_back();
    d.kind = Directive::Kind::kPlay;
    d.prompts = std::move(prompts);
    d.barge_in = barge_in;
    wait = Wait::kPrompt;
    then = next;
  }

  void fail(std::vector<Directive>& out, std::string what) {
    std::string message = fmt::format("flow {} node {}: {}", flow->id(),
                                      node == kNoNode ? "-" : current().id, what);
    Directive& d = out.emplace_back();
    d.kind = Directive::Kind::kError;
    d.target = std::move(message);
  }

  void finish(std::vector<Directive>& out, bool hang_up) {
    if (in_queue) {
      Directive& d = out.emplace_back();
      d.kind = Directive::Kind::kLeaveQueue;
      in_queue = false;
    }
    emit(out, Directive::Kind::kCancelTimer);
    if (hang_up) emit(out, Directive::Kind::kHangup);
    wait = Wait::kEnded;
    digits.clear();
  }

  // ------------------------------------------------------------ running

  // A queued caller who steps into a menu (to hear a callback offer, say)
  // keeps the place in the queue; the place is given up only when the flow
  // takes the call somewhere else (voicemail, a transfer, another queue).
  bool keeps_place(const Node& n) const {
    switch (n.type) {
      case NodeType::kPlay:
      case NodeType::kMenu:
      case NodeType::kCollect:
      case NodeType::kSet:
      case NodeType::kBranch:
      case NodeType::kGoto:
      case NodeType::kCallback: return true;
      case NodeType::kQueue: return n.queue == queue_name;
      default: return false;
    }
  }

  void go(NodeIndex target, TimeMs now, std::vector<Directive>& out) {
    int steps = 0;
    skipped_for_typeahead.clear();
    while (target != kNoNode && wait != Wait::kEnded) {
      if (++steps > kMaxStepsPerEvent) {
        fail(out, "too many steps without waiting; the call is ended");
        finish(out, true);
        return;
      }
      if (in_queue && !keeps_place(flow->node(target))) {
        emit(out, Directive::Kind::kLeaveQueue);
        in_queue = false;
      }
      node = target;
      if (path.size() < kMaxPathLength) path.push_back(current().id);
      no_input = no_match = 0;
      wait = Wait::kNone;
      target = enter(now, out);
    }
  }

  NodeIndex enter(TimeMs now, std::vector<Directive>& out) {
    const Node& n = current();
    switch (n.type) {
      case NodeType::kPlay:
        if (n.prompts.empty()) return n.next;
        if (n.barge_in && !digits.empty()) {
          if (std::find(skipped_for_typeahead.begin(), skipped_for_typeahead.end(), node) ==
              skipped_for_typeahead.end()) {
            skipped_for_typeahead.push_back(node);
            return n.next;
          }
          // The walk came round to this prompt again (a repeating
          // announcement) without meeting a node that takes the key: nothing
          // will, so it is dropped and the prompt plays.
          digits.clear();
        }
        if (n.templated) refresh(now);
        play(out, rendered(n.prompts), n.barge_in, Then::kNext);
        return kNoNode;
      case NodeType::kMenu:
      case NodeType::kCollect:
        if (n.prompts.empty() || (n.barge_in && !digits.empty())) return start_collect(now, out);
        if (n.templated) refresh(now);
        play(out, rendered(n.prompts), n.barge_in, Then::kCollect);
        return kNoNode;
      case NodeType::kSet: {
        refresh(now);
        for (const auto& [name, e] : n.assignments) {
          const expr::Value v = e.evaluate_value(expr::Scope{nullptr, nullptr, &scope});
          vars().set_value(name, v);
        }
        return n.next;
      }
      case NodeType::kBranch:
        refresh(now);
        for (const auto& [condition, target] : n.conditions) {
          if (condition.evaluate(expr::Scope{nullptr, nullptr, &scope})) return target;
        }
        return n.next;
      case NodeType::kHours: {
        const std::string& id = n.calendar.empty() ? flow->calendar() : n.calendar;
        const Calendar* cal = env.calendar(id);
        if (!cal) {
          fail(out, "unknown calendar '" + id + "'; treated as closed");
          return n.on_closed;
        }
        switch (cal->status(now)) {
          case Calendar::Status::kOpen: return n.on_open;
          case Calendar::Status::kHoliday: return n.on_holiday != kNoNode ? n.on_holiday : n.on_closed;
          case Calendar::Status::kClosed: return n.on_closed;
        }
        return n.on_closed;
      }
      case NodeType::kLookup: {
        if (n.templated) refresh(now);
        digits.clear();
        Directive d;
        d.kind = Directive::Kind::kLookup;
        d.request_id = pending_request = next_request++;
        d.target = n.function;
        d.data = rendered(n.args);
        out.push_back(std::move(d));
        const DurationMs timeout =
            n.timeout_ms == kEngineHostTimeout ? env.host_timeout_ms() : n.timeout_ms;
        timer(out, add_saturating(now, timeout));
        wait = Wait::kHost;
        return kNoNode;
      }
      case NodeType::kQueue: {
        if (in_queue && queue_name == n.queue) {  // back from a menu: same place
          hold(now, out, {});
          return kNoNode;
        }
        queue_name = n.queue;
        if (n.on_no_agents != kNoNode &&
            env.queue_status(n.queue, call_id()).agents_logged_in == 0) {
          return n.on_no_agents;
        }
        if (n.templated) refresh(now);
        Directive d;
        d.kind = Directive::Kind::kEnqueue;
        d.queue = n.queue;
        d.priority = n.priority;
        d.skills = n.skills;
        if (!n.attributes.empty()) d.data = rendered(n.attributes);  // else null: no allocation
        out.push_back(std::move(d));
        in_queue = true;
        queue_flow = flow;
        queue_node = node;
        hold(now, out, rendered(n.prompts));
        return kNoNode;
      }
      case NodeType::kCallback: {
        if (n.templated) refresh(now);
        Directive d;
        d.kind = Directive::Kind::kRegisterCallback;
        d.queue = !n.queue.empty() ? n.queue : in_queue ? queue_name : flow->default_queue();
        d.target = n.number.empty() ? std::string(caller()) : render(n.number);
        d.keep_place = in_queue && d.queue == queue_name;
        out.push_back(std::move(d));
        in_queue = false;
        if (n.prompts.empty()) return n.next;
        play(out, rendered(n.prompts), n.barge_in, Then::kNext);
        return kNoNode;
      }
      case NodeType::kRecord:
        if (n.prompts.empty()) return start_record(out);
        if (n.templated) refresh(now);
        play(out, rendered(n.prompts), n.barge_in, Then::kRecord);
        return kNoNode;
      case NodeType::kTransfer:
        if (n.templated) refresh(now);
        if (n.prompts.empty()) return transfer(out);
        play(out, rendered(n.prompts), n.barge_in, Then::kTransfer);
        return kNoNode;
      case NodeType::kTicket:
        if (n.templated) refresh(now);
        create_ticket(now, out, rendered(n.fields));
        return kNoNode;
      case NodeType::kSubflow: {
        auto sub = env.flow(n.flow);
        if (!sub) {
          fail(out, "unknown subflow '" + n.flow + "'; the call is ended");
          finish(out, true);
          return kNoNode;
        }
        frames.push_back(Frame{flow, n.next});
        flow = std::move(sub);
        return flow->start();
      }
      case NodeType::kReturn: {
        if (frames.empty()) {
          finish(out, true);
          return kNoNode;
        }
        Frame f = std::move(frames.back());
        frames.pop_back();
        flow = std::move(f.flow);
        return f.return_to;
      }
      case NodeType::kGoto: return n.next;
      case NodeType::kHangup:
        if (n.prompts.empty()) {
          finish(out, true);
          return kNoNode;
        }
        if (n.templated) refresh(now);
        play(out, rendered(n.prompts), false, Then::kHangup);
        return kNoNode;
    }
    return kNoNode;
  }

  void hold(TimeMs now, std::vector<Directive>& out, std::vector<Prompt> first) {
    const Node& n = current();
    digits.clear();  // keys in the queue go to its `keys`, not to a later menu
    first.insert(first.end(), n.hold.begin(), n.hold.end());
    Directive& d = out.emplace_back();
    d.kind = Directive::Kind::kPlay;
    d.prompts = std::move(first);
    d.barge_in = false;
    d.loop = true;
    wait = Wait::kQueue;
    if (n.announce_every_ms > 0) timer(out, add_saturating(now, n.announce_every_ms));
  }

  NodeIndex start_collect(TimeMs now, std::vector<Directive>& out) {
    const Node& n = current();
    Directive& d = out.emplace_back();
    d.kind = Directive::Kind::kCollect;
    d.min_digits = n.type == NodeType::kMenu ? 1 : n.min_digits;
    d.max_digits = n.type == NodeType::kMenu ? 1 : n.max_digits;
    d.terminator = n.terminator;
    wait = Wait::kDigits;
    timer(out, add_saturating(now, n.timeout_ms));
    // Digits typed ahead during the prompt count as input.
    std::string ahead;
    ahead.swap(digits);
    for (char c : ahead) {
      if (wait != Wait::kDigits) break;
      handle_digit(c, now, out);
    }
    return kNoNode;
  }

  void handle_digit(char d, TimeMs now, std::vector<Directive>& out) {
    const Node& n = current();
    if (n.type == NodeType::kMenu) {
      for (const auto& [key, target] : n.options) {
        if (key == d) {
          emit(out, Directive::Kind::kCancelTimer);
          go(target, now, out);
          return;
        }
      }
      retry(now, out, false);
      return;
    }
    if (n.terminator != 0 && d == n.terminator) {
      finish_collect(now, out);
      return;
    }
    digits += d;
    if (static_cast<int>(digits.size()) >= n.max_digits) {
      finish_collect(now, out);
    } else {
      timer(out, add_saturating(now, n.inter_digit_timeout_ms));
    }
  }

  void finish_collect(TimeMs now, std::vector<Directive>& out) {
    const Node& n = current();
    std::string input;
    input.swap(digits);
    bool valid = static_cast<int>(input.size()) >= n.min_digits &&
                 static_cast<int>(input.size()) <= n.max_digits;
    if (valid && n.pattern_program) valid = RE2::FullMatch(input, *n.pattern_program);
    scope.set("input", std::string_view(input));
    if (valid && !n.validate.always_true()) {
      refresh(now);
      valid = n.validate.evaluate(expr::Scope{nullptr, nullptr, &scope});
    }
    if (!valid) {
      retry(now, out, false);
      return;
    }
    emit(out, Directive::Kind::kCancelTimer);
    vars().set(n.variable, std::string_view(input));
    remember_digits(n.variable, input);
    go(n.next, now, out);
  }

  void remember_digits(const std::string& variable, const std::string& input) {
    for (auto& [name, value] : entered_digits) {
      if (name == variable) {
        value = input;
        return;
      }
    }
    entered_digits.emplace_back(variable, input);
  }

  // A no-input (timeout) or no-match: count it, and either give up or
  // prompt again, with the attempt's own prompt first.
  void retry(TimeMs now, std::vector<Directive>& out, bool no_input_event) {
    const Node& n = current();
    digits.clear();
    const int count = no_input_event ? ++no_input : ++no_match;
    if (count >= n.retries.max_attempts) {
      emit(out, Directive::Kind::kCancelTimer);
      go(n.on_fail, now, out);
      return;
    }
    const auto& lists = no_input_event ? n.retries.no_input : n.retries.no_match;
    std::vector<Prompt> prompts;
    if (!lists.empty()) {
      const auto& extra = lists[std::min<std::size_t>(static_cast<std::size_t>(count - 1), lists.size() - 1)];
      prompts.insert(prompts.end(), extra.begin(), extra.end());
    }
    prompts.insert(prompts.end(), n.prompts.begin(), n.prompts.end());
    emit(out, Directive::Kind::kCancelTimer);
    if (prompts.empty()) {
      start_collect(now, out);
      return;
    }
    if (n.templated) refresh(now);
    play(out, rendered(prompts), n.barge_in, Then::kCollect);
  }

  NodeIndex start_record(std::vector<Directive>& out) {
    const Node& n = current();
    digits.clear();  // a key that stopped the prompt is not input to what follows
    Directive& d = out.emplace_back();
    d.kind = Directive::Kind::kRecord;
    d.max_ms = n.max_ms;
    d.finish_key = n.finish_key;
    wait = Wait::kRecording;
    return kNoNode;
  }

  NodeIndex transfer(std::vector<Directive>& out) {
    Directive d;
    d.kind = Directive::Kind::kTransfer;
    d.target = render(current().target);
    out.push_back(std::move(d));
    finish(out, false);
    return kNoNode;
  }

  void create_ticket(TimeMs now, std::vector<Directive>& out, nlohmann::json fields) {
    Directive d;
    d.kind = Directive::Kind::kCreateTicket;
    d.request_id = pending_request = next_request++;
    fields["call_id"] = std::string(call_id());
    fields["caller"] = std::string(caller());
    if (!fields.contains("channel")) fields["channel"] = "phone";
    d.data = std::move(fields);
    out.push_back(std::move(d));
    timer(out, add_saturating(now, env.host_timeout_ms()));
    wait = Wait::kHost;
    digits.clear();
  }
};

// ---------------------------------------------------------------- Session

Session::Session(std::shared_ptr<const Flow> flow, const Environment& env, CallFacts call,
                 const expr::Attributes* customer)
    : s_(std::make_unique<State>(std::move(flow), env, std::move(call))) {
  if (customer && !customer->empty()) s_->scope.set("customer", *customer);
}

Session::~Session() {
  if (!s_) return;
  // A session ends long after the caller left its menu (at the agent's
  // hang-up, or later still): in a large day its state and the path's buffer
  // have left the caches. Destroying them member by member would wait for
  // each of their lines in turn; asking for all of them first waits once.
  const char* const state = reinterpret_cast<const char*>(s_.get());
  for (std::size_t at = 0; at < sizeof(State); at += 64) __builtin_prefetch(state + at);
  const std::vector<std::string>& path = s_->path;
  const char* const nodes = reinterpret_cast<const char*>(path.data());
  for (std::size_t at = 0; at < path.size() * sizeof(std::string); at += 64) {
    __builtin_prefetch(nodes + at);
  }
}

void Session::start(TimeMs now, std::vector<Directive>& out) {
  // Most callers pass a handful of nodes: one allocation for the path, not one per doubling.
  s_->path.reserve(8);
  s_->emit(out, Directive::Kind::kAnswer);
  s_->go(s_->flow->start(), now, out);
}

void Session::digit(char d, TimeMs now, std::vector<Directive>& out) {
  State& s = *s_;
  switch (s.wait) {
    case Wait::kPrompt: {
      if (!s.current().barge_in) return;  // the prompt must be heard out
      s.emit(out, Directive::Kind::kStopPlayback);
      s.digits += d;
      prompt_done(now, out);
      return;
    }
    case Wait::kDigits: s.handle_digit(d, now, out); return;
    case Wait::kQueue:
      for (const auto& [key, target] : s.current().keys) {
        if (key == d) {
          s.emit(out, Directive::Kind::kCancelTimer);
          s.emit(out, Directive::Kind::kStopPlayback);
          s.go(target, now, out);
          return;
        }
      }
      return;
    default: return;
  }
}

void Session::prompt_done(TimeMs now, std::vector<Directive>& out) {
  State& s = *s_;
  if (s.wait != Wait::kPrompt) return;  // music on hold loops on the host's side
  s.wait = Wait::kNone;
  switch (s.then) {
    case Then::kNext: s.go(s.current().next, now, out); return;
    case Then::kCollect: s.start_collect(now, out); return;
    case Then::kRecord: s.start_record(out); return;
    case Then::kTransfer: s.transfer(out); return;
    case Then::kHangup: s.finish(out, true); return;
  }
}

void Session::timer_fired(TimeMs now, std::vector<Directive>& out) {
  State& s = *s_;
  switch (s.wait) {
    case Wait::kDigits:
      if (s.current().type == NodeType::kCollect && !s.digits.empty()) {
        s.finish_collect(now, out);  // the caller stopped typing
      } else {
        s.retry(now, out, true);
      }
      return;
    case Wait::kHost: {
      const Node& n = s.current();
      s.pending_request = 0;
      NodeIndex to = n.on_timeout != kNoNode ? n.on_timeout
                     : n.on_error != kNoNode ? n.on_error
                                             : n.next;
      s.fail(out, "no answer from the host in time");
      s.go(to, now, out);
      return;
    }
    case Wait::kQueue: {
      const QueueStatus qs = s.env.queue_status(s.queue_name, s.call_id());
      std::vector<Prompt> announcement;
      if (qs.position > 0) {
        announcement.push_back(
            Prompt{Prompt::Kind::kTts, fmt::format("You are number {} in line.", qs.position)});
      }
      if (qs.expected_wait_ms > 0) {
        const long minutes = std::max<long>(1, static_cast<long>((qs.expected_wait_ms + 59'999) / 60'000));
        announcement.push_back(Prompt{Prompt::Kind::kTts,
                                      fmt::format("The expected wait is about {} minute{}.",
                                                  minutes, minutes == 1 ? "" : "s")});
      }
      s.emit(out, Directive::Kind::kStopPlayback);
      s.hold(now, out, std::move(announcement));
      return;
    }
    default: return;
  }
}

void Session::host_result(std::uint64_t request_id, bool ok, const nlohmann::json& result,
                          TimeMs now, std::vector<Directive>& out) {
  State& s = *s_;
  if (s.wait != Wait::kHost || request_id != s.pending_request) return;  // late or unknown
  s.pending_request = 0;
  s.emit(out, Directive::Kind::kCancelTimer);
  const Node& n = s.current();
  if (!ok) {
    s.go(n.on_error != kNoNode ? n.on_error : n.next, now, out);
    return;
  }
  if (n.type == NodeType::kLookup) {
    if (result.is_object()) {
      auto a = expr::Attributes::from_json(result, "$.result");
      if (!a) {
        s.fail(out, a.error().message);
        s.go(n.on_error, now, out);
        return;
      }
      s.vars().set(n.variable, std::move(a).value());
    } else {
      auto wrapped = expr::Attributes::from_json(nlohmann::json{{"v", result}}, "$.result");
      if (wrapped) s.vars().set_value(n.variable, *wrapped->find("v"));
    }
  } else if (n.type == NodeType::kRecord || !n.variable.empty()) {  // a ticket: keep its number
    const std::string number = result.is_object() && result.contains("number") &&
                                       result["number"].is_string()
                                   ? result["number"].get<std::string>()
                                   : result.is_string() ? result.get<std::string>() : "";
    s.vars().set(n.type == NodeType::kRecord ? std::string_view("ticket") : n.variable,
                 std::string_view(number));
  }
  s.go(n.next, now, out);
}

void Session::recording_done(std::string_view recording, TimeMs now, std::vector<Directive>& out) {
  State& s = *s_;
  if (s.wait != Wait::kRecording) return;
  const Node& n = s.current();
  s.vars().set(n.variable, recording);
  if (!n.create_ticket) {
    s.go(n.next, now, out);
    return;
  }
  if (n.templated) s.refresh(now);
  nlohmann::json fields = s.rendered(n.fields);
  if (!fields.contains("subject")) fields["subject"] = "Voicemail from " + std::string(s.caller());
  if (!fields.contains("category")) fields["category"] = "consultation";
  fields["recording"] = std::string(recording);
  s.create_ticket(now, out, std::move(fields));
}

void Session::queue_outcome(QueueOutcome outcome, TimeMs now, std::vector<Directive>& out) {
  State& s = *s_;
  switch (outcome) {
    case QueueOutcome::kAnswered:
      // The caller may be in a menu while keeping the place: an agent who
      // answers now takes the call from wherever it is.
      if (!s.in_queue) return;
      if (s.wait == Wait::kPrompt) s.emit(out, Directive::Kind::kStopPlayback);
      s.in_queue = false;
      s.digits.clear();
      s.emit(out, Directive::Kind::kCancelTimer);
      s.wait = Wait::kConnected;
      // Continue at the answered exit of the queue node the call is in (one
      // lookup, not a scan of the flow per answered call).
      if (s.current().type == NodeType::kQueue) return;
      if (s.queue_flow == s.flow) {
        s.node = s.queue_node;
        return;
      }
      for (NodeIndex i = 0; i < s.flow->size(); ++i) {  // enqueued by another flow
        if (s.flow->node(i).type == NodeType::kQueue && s.flow->node(i).queue == s.queue_name) {
          s.node = i;
          break;
        }
      }
      return;
    case QueueOutcome::kOverflow:
    case QueueOutcome::kNoAgents: {
      if (s.wait != Wait::kQueue) return;
      const Node& n = s.current();
      const NodeIndex to = outcome == QueueOutcome::kOverflow ? n.on_overflow : n.on_no_agents;
      if (to == kNoNode) return;  // no exit: the caller keeps waiting
      s.emit(out, Directive::Kind::kCancelTimer);
      s.emit(out, Directive::Kind::kStopPlayback);
      s.go(to, now, out);
      return;
    }
    case QueueOutcome::kAgentDone: {
      if (s.wait != Wait::kConnected) return;
      const NodeIndex to = s.current().on_answered;
      if (to == kNoNode) {
        s.finish(out, true);
        return;
      }
      s.go(to, now, out);
      return;
    }
  }
}

void Session::hangup(TimeMs now, std::vector<Directive>& out) {
  (void)now;
  State& s = *s_;
  if (s.wait == Wait::kEnded) return;
  if (s.in_queue) {
    Directive& d = out.emplace_back();
    d.kind = Directive::Kind::kLeaveQueue;
    d.abandoned = true;
    s.in_queue = false;
  }
  s.finish(out, false);
}

bool Session::finished() const noexcept { return s_->wait == Wait::kEnded; }
bool Session::queued() const noexcept { return s_->in_queue; }
const std::string& Session::queue() const noexcept { return s_->queue_name; }
std::string_view Session::current_node() const noexcept {
  return s_->node == kNoNode ? std::string_view() : std::string_view(s_->current().id);
}
const expr::Attributes& Session::variables() const { return s_->full_scope(); }
const std::vector<std::string>& Session::path() const noexcept { return s_->path; }
const std::vector<std::pair<std::string, std::string>>& Session::entered_digits() const noexcept {
  return s_->entered_digits;
}
std::string_view Session::call_id() const noexcept { return s_->call_id(); }
const Flow& Session::flow() const noexcept { return *s_->flow; }

}  // namespace hotline::ivr
