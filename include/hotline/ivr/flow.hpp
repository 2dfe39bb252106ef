// An IVR flow, loaded from JSON (docs/ivr-flows.md) and validated as a whole:
// every problem is reported at once, each with its JSON path. A loaded Flow
// is immutable and shared by every session that runs it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "hotline/expr/expression.hpp"
#include "hotline/ivr/prompt.hpp"
#include "hotline/util/result.hpp"
#include "hotline/util/time.hpp"

namespace re2 {
class RE2;
}

namespace hotline::ivr {

// Limits on a collect node's `pattern`, checked when the flow loads: the
// source text, and the size of the program RE2 compiles it into (which grows
// with counted repetitions such as `[0-9]{64}`). Matching is linear in the
// caller's digits whatever the pattern.
inline constexpr std::size_t kMaxPatternBytes = 256;
inline constexpr int kMaxPatternProgramSize = 2000;

using NodeIndex = std::uint32_t;
inline constexpr NodeIndex kNoNode = UINT32_MAX;

// How long a request to the host waits for its result unless the engine's
// options say otherwise (options.host_timeout_seconds), and the timeout of
// a lookup node without its own timeout_seconds: the engine's, whatever it
// is when the node runs.
inline constexpr DurationMs kDefaultHostTimeoutMs = 8000;
inline constexpr DurationMs kEngineHostTimeout = -1;

enum class NodeType : std::uint8_t {
  kPlay, kMenu, kCollect, kSet, kBranch, kHours, kLookup, kQueue, kCallback,
  kRecord, kTransfer, kTicket, kSubflow, kReturn, kGoto, kHangup,
};

const char* node_type_name(NodeType t) noexcept;

// Retry behaviour of menu and collect, after VoiceXML's counted events: the
// n-th no-input (or no-match) plays the n-th prompt of its list (the last one
// again when the list is shorter), then the main prompt again.
struct Retries {
  int max_attempts = 3;
  std::vector<std::vector<Prompt>> no_input;
  std::vector<std::vector<Prompt>> no_match;
};

struct Node {
  NodeType type = NodeType::kHangup;
  std::string id;
  std::vector<Prompt> prompts;
  bool barge_in = true;
  NodeIndex next = kNoNode;

  // menu, collect; lookup (kEngineHostTimeout: the engine's host timeout)
  Retries retries;
  DurationMs timeout_ms = 5000;  // first digit
  NodeIndex on_fail = kNoNode;   // retries exhausted
  std::vector<std::pair<char, NodeIndex>> options;  // menu: digit → node
  // collect
  int min_digits = 1;
  int max_digits = 1;
  char terminator = 0;
  DurationMs inter_digit_timeout_ms = 3000;
  std::string variable;  // collect, lookup, record, ticket: where the result goes
  std::string pattern;   // collect: digits allowed, e.g. "[0-9]{6}"
  std::shared_ptr<const re2::RE2> pattern_program;  // `pattern` compiled; null without one
  expr::Expression validate;  // collect: over `input` and the session's variables

  // set
  std::vector<std::pair<std::string, expr::Expression>> assignments;
  // branch
  std::vector<std::pair<expr::Expression, NodeIndex>> conditions;
  // hours
  std::string calendar;
  NodeIndex on_open = kNoNode, on_closed = kNoNode, on_holiday = kNoNode;
  // lookup
  std::string function;
  std::vector<std::pair<std::string, std::string>> args;  // name → template
  NodeIndex on_error = kNoNode, on_timeout = kNoNode;
  // queue, callback
  std::string queue;
  int priority = 0;
  std::vector<std::pair<std::string, int>> skills;
  std::vector<std::pair<std::string, std::string>> attributes;  // name → template
  std::vector<Prompt> hold;  // music on hold, looped
  DurationMs announce_every_ms = 0;
  std::vector<std::pair<char, NodeIndex>> keys;  // digit pressed while queued
  NodeIndex on_answered = kNoNode, on_overflow = kNoNode, on_no_agents = kNoNode;
  std::string number;  // callback: template for the number to call (default the caller)
  // record
  DurationMs max_ms = 120000;
  char finish_key = '#';
  bool create_ticket = false;
  // transfer
  std::string target;
  // ticket: field → template
  std::vector<std::pair<std::string, std::string>> fields;
  // subflow
  std::string flow;

  // Some text of this node (a prompt, a data field, a number, a target) has
  // ${...} placeholders. Only such nodes make the session refresh the live
  // time and queue variables before rendering, which is not free.
  bool templated = false;
};

struct Diagnostic {
  enum class Severity { kError, kWarning };
  Severity severity;
  std::string path;  // JSON path, e.g. $.nodes.main.options.1
  std::string message;
};

class Flow {
 public:
  const std::string& id() const noexcept { return id_; }
  const std::string& version() const noexcept { return version_; }
  NodeIndex start() const noexcept { return start_; }
  const Node& node(NodeIndex i) const { return nodes_[i]; }
  std::size_t size() const noexcept { return nodes_.size(); }
  std::optional<NodeIndex> find(std::string_view id) const;
  const std::string& default_queue() const noexcept { return queue_; }
  const std::string& calendar() const noexcept { return calendar_; }

  // Filled in by FlowLoader; once shared, a flow is only seen as const.
  std::map<std::string, NodeIndex, std::less<>> index_;  // node id → index
  std::string id_;
  std::string version_;
  std::string queue_;     // the queue `queue.*` variables describe
  std::string calendar_;  // the zone of `time.*` variables
  NodeIndex start_ = 0;
  std::vector<Node> nodes_;
};

struct LoadResult {
  std::shared_ptr<const Flow> flow;  // null when there are errors
  std::vector<Diagnostic> diagnostics;
  bool ok() const noexcept { return flow != nullptr; }
  std::string error_text() const;  // every error, one per line
};

class FlowLoader {
 public:
  static LoadResult load(const nlohmann::json& j);
  static LoadResult load_text(std::string_view text);
};

// The current version of each flow. Replacing a flow never disturbs
// sessions already running: they hold the version they started with.
class FlowRegistry {
 public:
  Status put(const nlohmann::json& j);  // refuses a flow with errors (all listed)
  void put(std::shared_ptr<const Flow> flow);
  std::shared_ptr<const Flow> get(std::string_view id) const;

 private:
  std::map<std::string, std::shared_ptr<const Flow>, std::less<>> flows_;
};

}  // namespace hotline::ivr
