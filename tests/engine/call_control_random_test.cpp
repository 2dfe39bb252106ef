// Random sequences of call-control actions, refused or not, on a few calls:
// no crash, no sanitizer report, and once every caller has hung up and the
// timers have run, no agent is left busy, ringing or wrapping up (a
// consulted agent the engine reserved is always given back).
#include <map>
#include <random>

#include "call_control_fixture.hpp"

using namespace call_control_test;

namespace {

const char* pick(std::mt19937_64& rng, std::initializer_list<const char*> choices) {
  std::uniform_int_distribution<std::size_t> d(0, choices.size() - 1);
  return choices.begin()[d(rng)];
}

// Answers every ring and dial the engine asked for, as a host would.
void host_answers(Engine& e, std::mt19937_64& rng, TimeMs now) {
  std::vector<Command> commands;
  commands.swap(e.commands());
  for (const Command& c : commands) {
    if (c.kind == Command::Kind::kRingAgent && rng() % 4 != 0) {
      (void)e.agent_answered(c.reservation, now);
    } else if (c.kind == Command::Kind::kDial) {
      if (rng() % 3 != 0) {
        (void)e.leg_answered(c.call_id, c.leg, now);
      } else {
        (void)e.leg_ended(c.call_id, c.leg, now);
      }
    } else if (c.kind == Command::Kind::kPlay && !c.agent_id.empty()) {
      (void)e.prompt_done(c.call_id, now);  // the agent-number announcement
    }
  }
  e.notifications().clear();
}

}  // namespace

TEST_CASE("random call control leaves no agent reserved once every call is over") {
  std::map<std::string, int> accepted;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    CAPTURE(seed);
    std::mt19937_64 rng(seed);
    Engine e;
    configure(e, R"({
      "queues": [
        {"id": "sales", "wrap_up_seconds": 5, "recording": "on_demand",
         "announce_agent": "tts:Agent ${agent.number}"},
        {"id": "support", "recording": "all"}],
      "agents": [
        {"id": "a1", "queues": ["sales", "support"]},
        {"id": "a2", "queues": ["sales"]},
        {"id": "a3", "queues": ["support"]},
        {"id": "a4", "queues": ["sales"]},
        {"id": "sv", "role": "supervisor"}]})");
    TimeMs now = 0;
    for (const char* a : {"a1", "a2", "a3", "a4"}) REQUIRE(e.agent_login(a, now).ok());
    int next_call = 1;
    // Actions the engine took, so the run shows it reached the states it
    // explores rather than being refused throughout.
    const char* action_name = "";
    auto count = [&](const Status& st) {
      if (st) ++accepted[action_name];
    };
    std::vector<std::string> calls;
    for (int step = 0; step < 400; ++step) {
      now += 1 + static_cast<TimeMs>(rng() % 3000);
      e.advance(now);
      const int action = static_cast<int>(rng() % 24);
      static const char* const kNames[] = {
          "arrive", "arrive", "hold", "resume", "consult", "transfer_complete", "consult_cancel",
          "conference", "conference_add", "conference_drop", "mute", "blind_transfer",
          "wrap_up_code", "supervise", "force_release", "force_not_ready", "force_logout",
          "ready", "login", "recording_control", "agent_hung_up", "leg_ended", "transfer",
          "hang_up"};
      action_name = kNames[action];
      const std::string call =
          calls.empty() ? "none" : calls[rng() % calls.size()];
      const char* agent = pick(rng, {"a1", "a2", "a3", "a4", "sv"});
      const Engine::Party party =
          rng() % 2 ? Engine::Party{agent, ""} : Engine::Party{"", "+100"};
      const std::string leg =
          rng() % 2 ? call + ":1" : pick(rng, {"a1", "a2", "a3", "a4", "sv", "x"});
      switch (action) {
        case 0:
        case 1: {
          CallInfo info;
          info.call_id = "c" + std::to_string(next_call++);
          info.queue_id = pick(rng, {"sales", "support"});
          REQUIRE(e.call_arrived(info, now).ok());
          calls.push_back(info.call_id);
          break;
        }
        case 2: count(e.hold(call, now)); break;
        case 3: count(e.resume(call, now)); break;
        case 4: count(e.consult(call, party, now)); break;
        case 5: count(e.transfer_complete(call, now)); break;
        case 6: count(e.consult_cancel(call, now)); break;
        case 7: count(e.conference(call, now)); break;
        case 8: count(e.conference_add(call, party, now)); break;
        case 9: count(e.conference_drop(call, leg, now)); break;
        case 10: count(e.mute(call, pick(rng, {"a1", "a2", "x"}), rng() % 2, now)); break;
        case 11: count(e.blind_transfer(call, party, now)); break;
        case 12: count(e.wrap_up_code(call, "done", now)); break;
        case 13:
          count(e.supervise(call, "sv", pick(rng, {"monitor", "whisper", "barge", "take_over"}),
                            rng() % 2 ? "" : "sv", now));
          break;
        case 14: count(e.force_release(call, "sv", now)); break;
        case 15: count(e.force_not_ready(agent, "sv", "", now)); break;
        case 16: count(e.force_logout(agent, "sv", now)); break;
        case 17: count(e.agent_ready(agent, now)); break;
        case 18: count(e.agent_login(agent, now)); break;
        case 19: count(e.recording_control(call, pick(rng, {"start", "stop", "pause", "resume"}),
                                           now));
          break;
        case 20: count(e.agent_hung_up(call, now)); break;
        case 21: count(e.leg_ended(call, leg, now)); break;
        case 22: count(e.transfer_to_queue(call, pick(rng, {"sales", "support"}), now)); break;
        default: (void)e.call_hung_up(call, now); break;
      }
      host_answers(e, rng, now);
    }
    // Everyone hangs up; the timers run out.
    for (const std::string& call : calls) {
      (void)e.agent_hung_up(call, now);
      (void)e.call_hung_up(call, now);
      host_answers(e, rng, now);
    }
    e.advance(kNever);
    for (const char* a : {"a1", "a2", "a3", "a4", "sv"}) {
      const std::string agent_name = a;
      CAPTURE(agent_name);
      const routing::AgentState s = state_of(e, a);
      CHECK(s != routing::AgentState::kBusy);
      CHECK(s != routing::AgentState::kReserved);
      CHECK(s != routing::AgentState::kWrapUp);
    }
  }
  for (const char* action : {"hold", "resume", "consult", "transfer_complete", "consult_cancel",
                             "conference", "conference_add", "conference_drop", "mute",
                             "blind_transfer", "supervise", "force_release", "recording_control"}) {
    const std::string name = action;
    CAPTURE(name);
    CHECK(accepted[name] > 0);
  }
}
