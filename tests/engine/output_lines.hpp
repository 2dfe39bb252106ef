// Everything a listener learns of a notification or a command, on one line:
// tests that compare two engines' outputs compare these lines, so a field
// that differs shows in the failure.
#pragma once

#include <string>

#include "hotline/engine/engine.hpp"

namespace hotline::engine::test {

inline std::string line_of(const Notification& n) {
  return std::to_string(static_cast<int>(n.kind)) + " " +
         std::to_string(static_cast<int>(n.routing)) + " " + std::to_string(n.time) + " " +
         n.call_id + " " + n.agent_id + " " + n.queue_id + " " + std::to_string(n.contact) + " " +
         std::to_string(n.reservation) + " " + std::to_string(n.value) + " " + n.text + " " +
         n.actor;
}

inline std::string line_of(const Command& c) {
  return std::to_string(static_cast<int>(c.kind)) + " " + std::to_string(c.time) + " " +
         c.call_id + " " + c.agent_id + " " + c.queue_id + " " + std::to_string(c.reservation) +
         " " + std::to_string(c.request_id) + " " + std::to_string(c.prompts.size()) + " " +
         c.leg + " " + c.target + " " + c.mix_json;
}

}  // namespace hotline::engine::test
