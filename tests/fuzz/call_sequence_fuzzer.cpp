// A whole call's events against the C ABI: the input bytes are decoded into
// a sequence of typed calls (a call arrives, keys, prompts end, agents log
// in, answer, reject, ring out, hang up, wrap up, transfers, host results,
// live call control by agents and supervisors, time passes) on a small
// center stepped by hand, with the outboxes drained after each call.
// Refusals are expected; crashes, leaks and hangs are not.
#include <algorithm>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"

using namespace hotline::fuzz;

namespace {

class Decoder {
 public:
  Decoder(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool more() const { return at_ < size_; }
  std::uint8_t byte() { return at_ < size_ ? data_[at_++] : 0; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

const char* const kCalls[] = {"c0", "c1", "c2", "c3"};
const char* const kAgents[] = {"ann", "bob", "cid", "sue", "nobody"};
const char* const kModes[] = {"monitor", "whisper", "barge", "take_over", "spy"};
const char* const kRecordingActions[] = {"start", "stop", "pause", "resume", "rewind"};
const char* const kQueues[] = {"sales", "support", "missing"};
const char kKeys[] = "0123456789*#A";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  hl_engine* engine = nullptr;
  if (hl_engine_create(&engine, kSmallCenter, kEpochMs, nullptr) != HL_OK) return 0;
  Decoder in(data, size);
  std::int64_t now = kEpochMs;
  for (int step = 0; in.more() && step < 512; ++step) {
    const std::uint8_t op = in.byte();
    const char* call = kCalls[in.byte() % 4];
    const char* agent = kAgents[in.byte() % 5];
    // A leg of the call: an agent's, a dialled number's, or the caller's own.
    const std::uint8_t leg_pick = in.byte();
    const std::string leg = leg_pick % 3 == 0   ? std::string(agent)
                            : leg_pick % 3 == 1 ? std::string(call) + ":" +
                                                      std::to_string(1 + leg_pick / 3 % 3)
                                                : std::string(call);
    // A party: an agent or an outside number (both or neither are refused).
    const char* party_agent = leg_pick & 0x40 ? agent : nullptr;
    const char* party_number = leg_pick & 0x80 ? "+4930999" : nullptr;
    switch (op % 36) {
      case 0: {
        hl_call_info info = HL_CALL_INFO_INIT;
        info.call_id = call;
        info.caller = "+4930123456";
        const std::uint8_t how = in.byte();
        if (how % 3 == 0) info.flow_id = "front";
        else info.queue_id = kQueues[how % 3];
        if (how & 0x80) info.customer_json = R"({"tier": "vip", "id": 7})";
        hl_engine_call_arrived(engine, &info, now, nullptr);
        break;
      }
      case 1: hl_engine_digit(engine, call, kKeys[in.byte() % 13], now, nullptr); break;
      case 2: hl_engine_prompt_done(engine, call, now, nullptr); break;
      case 3: hl_engine_agent_login(engine, agent, now, nullptr); break;
      case 4: hl_engine_agent_ready(engine, agent, now, nullptr); break;
      case 5: hl_engine_agent_not_ready(engine, agent, "lunch", now, nullptr); break;
      case 6: hl_engine_agent_logout(engine, agent, now, nullptr); break;
      case 7: hl_engine_agent_answered(engine, in.byte() % 16, now, nullptr); break;
      case 8: hl_engine_agent_rejected(engine, in.byte() % 16, now, nullptr); break;
      case 9: hl_engine_agent_no_answer(engine, in.byte() % 16, now, nullptr); break;
      case 10: hl_engine_call_hung_up(engine, call, now, nullptr); break;
      case 11: hl_engine_agent_hung_up(engine, call, now, nullptr); break;
      case 12: hl_engine_wrap_up_done(engine, call, now, nullptr); break;
      case 13: hl_engine_transfer(engine, call, kQueues[in.byte() % 3], now, nullptr); break;
      case 14:
        hl_engine_host_result(engine, in.byte() % 8, in.byte() & 1, R"({"balance": 12})", now,
                              nullptr);
        break;
      case 15: hl_engine_recording_done(engine, call, "rec.wav", now, nullptr); break;
      case 16: {
        // Time passes: up to about four minutes, then the due deadlines fire;
        // 255 jumps to the documented "no deadline" value, the far future.
        const std::uint8_t seconds = in.byte();
        now = seconds == 255 ? INT64_MAX : now + static_cast<std::int64_t>(seconds) * 1'000;
        hl_engine_advance(engine, now, nullptr);
        if (now == INT64_MAX) step = 512;  // nothing can follow the end of time
        break;
      }
      case 18: hl_engine_hold(engine, call, now, nullptr); break;
      case 19: hl_engine_resume(engine, call, now, nullptr); break;
      case 20: hl_engine_consult(engine, call, party_agent, party_number, now, nullptr); break;
      case 21: hl_engine_leg_answered(engine, call, leg.c_str(), now, nullptr); break;
      case 22: hl_engine_leg_ended(engine, call, leg.c_str(), now, nullptr); break;
      case 23: hl_engine_transfer_complete(engine, call, now, nullptr); break;
      case 24: hl_engine_consult_cancel(engine, call, now, nullptr); break;
      case 25: hl_engine_conference(engine, call, now, nullptr); break;
      case 26:
        hl_engine_conference_add(engine, call, party_agent, party_number, now, nullptr);
        break;
      case 27: hl_engine_conference_drop(engine, call, leg.c_str(), now, nullptr); break;
      case 28: hl_engine_mute(engine, call, leg.c_str(), leg_pick & 1, now, nullptr); break;
      case 29:
        hl_engine_blind_transfer(engine, call, party_agent, party_number, now, nullptr);
        break;
      case 30: hl_engine_wrap_up_code(engine, call, "sale", now, nullptr); break;
      case 31:
        // With a leg the supervisor called in on, or dialled by the engine.
        hl_engine_supervise(engine, call, agent, kModes[in.byte() % 5],
                            leg_pick & 1 ? leg.c_str() : nullptr, now, nullptr);
        break;
      case 32: hl_engine_force_release(engine, call, agent, now, nullptr); break;
      case 33:
        if (leg_pick & 1) {
          hl_engine_force_not_ready(engine, kAgents[leg_pick / 2 % 5], agent, "coaching", now,
                                    nullptr);
        } else {
          hl_engine_force_logout(engine, kAgents[leg_pick / 2 % 5], agent, now, nullptr);
        }
        break;
      case 34:
        hl_engine_recording_control(engine, call, kRecordingActions[in.byte() % 5], now,
                                    nullptr);
        break;
      default: {
        std::int64_t deadline = 0;
        if (hl_engine_next_deadline(engine, &deadline) == HL_OK && deadline != INT64_MAX) {
          now = std::max(now, deadline);
          hl_engine_advance(engine, now, nullptr);
        }
        break;
      }
    }
    drain(engine);
  }
  hl_engine_destroy(engine);
  return 0;
}
