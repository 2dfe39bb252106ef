// A fake world for IVR sessions: queues, calendars and flows the test sets,
// and a recorder of every directive a session emits.
#pragma once

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "hotline/ivr/session.hpp"

namespace hotline::ivr::testing {

using nlohmann::json;
using K = Directive::Kind;

struct FakeEnv : Environment {
  std::map<std::string, QueueStatus> queues;
  std::map<std::string, Calendar> calendars;
  FlowRegistry flows;

  QueueStatus queue_status(std::string_view q, std::string_view) const override {
    auto it = queues.find(std::string(q));
    return it == queues.end() ? QueueStatus{} : it->second;
  }
  const Calendar* calendar(std::string_view id) const override {
    auto it = calendars.find(std::string(id));
    return it == calendars.end() ? nullptr : &it->second;
  }
  std::shared_ptr<const Flow> flow(std::string_view id) const override { return flows.get(id); }
};

inline std::shared_ptr<const Flow> load(const std::string& text) {
  LoadResult r = FlowLoader::load_text(text);
  INFO(r.error_text());
  REQUIRE(r.ok());
  return r.flow;
}

struct Call {
  FakeEnv& env;
  Session session;
  std::vector<Directive> out;
  TimeMs now = 1'767'000'000'000;  // Monday 29 December 2025, 09:20 UTC

  Call(FakeEnv& e, std::shared_ptr<const Flow> flow, const expr::Attributes* customer = nullptr)
      : env(e), session(std::move(flow), e, CallFacts{"call-1", "+493012345", "800", "voice", 0},
                        customer) {}

  void start() { session.start(now, out); }
  void digits(const std::string& ds) {
    for (char d : ds) session.digit(d, now, out);
  }
  void prompt_done() { session.prompt_done(now, out); }
  void wait(DurationMs ms) {
    now += ms;
    session.timer_fired(now, out);
  }
  std::vector<Directive> of(K kind) const {
    std::vector<Directive> v;
    for (const auto& d : out) {
      if (d.kind == kind) v.push_back(d);
    }
    return v;
  }
  bool has(K kind) const { return !of(kind).empty(); }
  const Directive& last(K kind) const {
    static Directive none;
    for (auto it = out.rbegin(); it != out.rend(); ++it) {
      if (it->kind == kind) return *it;
    }
    FAIL("no directive of that kind");
    return none;
  }
  std::string last_text() const {
    const auto& p = last(K::kPlay).prompts;
    REQUIRE(!p.empty());
    return p.front().value;
  }
  std::string var(const std::string& path) const {
    const expr::Value* v = session.variables().find_path(path);
    return v ? std::string(v->as_string()) : "<missing>";
  }
  void clear() { out.clear(); }
};

}  // namespace hotline::ivr::testing
