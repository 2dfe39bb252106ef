// What the fuzz targets share: a small contact center to run input against,
// and draining an engine's outboxes so nothing queued is leaked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "hotline.h"

namespace hotline::fuzz {

// Two queues, three agents, and a flow that exercises menus, digit
// collection with a pattern, a condition on an attribute, and a queue node.
inline constexpr const char* kSmallCenter = R"({
  "queues": [
    {"id": "sales", "wrap_up_seconds": 5, "max_wait_seconds": 120,
     "rings": [{"target": "agent.skills.sales >= 1", "timeout_seconds": 10}, {"target": ""}],
     "music_on_hold": ["moh.wav"], "recording": "on_demand",
     "announce_agent": ["tts:agent ${agent.number}"]},
    {"id": "support", "wrap_up_seconds": 0, "recording": "all", "survey_flow": "front"}
  ],
  "agents": [
    {"id": "ann", "queues": ["sales", "support"], "skills": {"sales": 2}, "number": "101"},
    {"id": "bob", "queues": ["sales"]},
    {"id": "cid", "queues": ["support"], "capacity": {"voice": 1, "chat": 2}},
    {"id": "sue", "queues": ["sales"], "role": "supervisor"}
  ],
  "flows": [{"id": "front", "start": "menu", "nodes": {
    "menu": {"type": "menu", "prompts": ["tts:1 sales, 2 account"],
             "options": {"1": "sales", "2": "account"}, "fail": "bye"},
    "account": {"type": "collect", "prompts": ["tts:account"], "min_digits": 4,
                "max_digits": 8, "pattern": "[0-9]{4,8}", "variable": "account",
                "next": "check", "fail": "bye"},
    "check": {"type": "branch", "conditions": [{"if": "customer.tier == \"vip\"",
                                                "next": "sales"}],
              "default": "support"},
    "sales": {"type": "queue", "queue": "sales", "hold": ["moh.wav"]},
    "support": {"type": "queue", "queue": "support"},
    "bye": {"type": "hangup"}
  }}]
})";

// The engine's clock in the fuzz targets: a fixed epoch, so runs repeat.
inline constexpr std::int64_t kEpochMs = 1'700'000'000'000;

inline std::string text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// Frees every pending command and notification.
inline void drain(hl_engine* engine) {
  char* json = nullptr;
  while (hl_engine_poll_command(engine, &json) == HL_OK) hl_free(json);
  while (hl_engine_poll_notification(engine, &json) == HL_OK) hl_free(json);
}

inline void forget(hl_error* err) { hl_error_free(err); }

}  // namespace hotline::fuzz
