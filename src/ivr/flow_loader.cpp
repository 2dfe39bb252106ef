// Loading is two passes: first every node is read (collecting every problem
// with its JSON path, never stopping at the first), then exits are resolved
// to node indexes, loops that never wait are looked for, and unreachable
// nodes are reported as warnings. Every pass is linear in the size of the
// flow (node ids are found through an index) and none recurses, so a flow of
// hundreds of thousands of nodes, or a goto chain as long, loads in moments.
#include <cmath>
#include <cstdint>
#include <fmt/format.h>
#include <re2/re2.h>

#include "hotline/ivr/flow.hpp"
#include "hotline/util/json_input.hpp"

namespace hotline::ivr {

using nlohmann::json;

const char* node_type_name(NodeType t) noexcept {
  static const char* names[] = {"play",     "menu",   "collect", "set",     "branch", "hours",
                                "lookup",   "queue",  "callback", "record", "transfer", "ticket",
                                "subflow",  "return", "goto",    "hangup"};
  return names[static_cast<int>(t)];
}

std::optional<NodeIndex> Flow::find(std::string_view id) const {
  auto it = index_.find(id);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::string LoadResult::error_text() const {
  std::string out;
  for (const auto& d : diagnostics) {
    if (d.severity != Diagnostic::Severity::kError) continue;
    if (!out.empty()) out += '\n';
    out += d.path + ": " + d.message;
  }
  return out;
}

namespace {

bool has_placeholder(std::string_view text) { return text.find("${") != std::string_view::npos; }

bool has_placeholders(const Node& n) {
  const auto in_prompts = [](const std::vector<Prompt>& prompts) {
    for (const Prompt& p : prompts) {
      if (has_placeholder(p.value)) return true;
    }
    return false;
  };
  const auto in_lists = [&](const std::vector<std::vector<Prompt>>& lists) {
    for (const auto& prompts : lists) {
      if (in_prompts(prompts)) return true;
    }
    return false;
  };
  const auto in_fields = [](const std::vector<std::pair<std::string, std::string>>& fields) {
    for (const auto& [name, value] : fields) {
      if (has_placeholder(value)) return true;
    }
    return false;
  };
  return in_prompts(n.prompts) || in_prompts(n.hold) || in_lists(n.retries.no_input) ||
         in_lists(n.retries.no_match) || in_fields(n.args) || in_fields(n.attributes) ||
         in_fields(n.fields) || has_placeholder(n.number) || has_placeholder(n.target);
}

// An exit waiting to be resolved once every node id is known.
struct PendingExit {
  NodeIndex* slot;
  std::string target;
  std::string path;
};

class Loader {
 public:
  LoadResult run(const json& j) {
    auto flow = std::make_shared<Flow>();
    flow_ = flow.get();
    if (!j.is_object()) {
      error("$", "expected a flow object");
      return finish(nullptr);
    }
    known(j, "$", {"id", "version", "start", "queue", "calendar", "nodes", "description"});
    string_field(j, "$", "id", flow_->id_, true);
    if (auto it = j.find("version"); it != j.end()) {
      // An integer is written back as JSON wrote it, unsigned ones included.
      if (it->is_string() || it->is_number_integer()) {
        flow_->version_ = it->is_string() ? it->get<std::string>() : it->dump();
      } else {
        error("$.version", "expected a string or an integer");
      }
    }
    string_field(j, "$", "queue", flow_->queue_, false);
    string_field(j, "$", "calendar", flow_->calendar_, false);
    std::string start;
    string_field(j, "$", "start", start, true);
    auto nodes = j.find("nodes");
    if (nodes == j.end() || !nodes->is_object() || nodes->empty()) {
      error("$.nodes", "expected an object of nodes by id");
      return finish(nullptr);
    }
    // Indexes are assigned before reading so exits can point forward. The
    // nodes never move after this: pending exits point into them.
    flow_->nodes_.reserve(nodes->size());
    for (const auto& [id, n] : nodes->items()) {
      flow_->index_.emplace_hint(flow_->index_.end(), id,
                                 static_cast<NodeIndex>(flow_->nodes_.size()));
      flow_->nodes_.emplace_back().id = id;
    }
    NodeIndex i = 0;
    for (const auto& [id, n] : nodes->items()) {
      Node& node = flow_->nodes_[i++];
      read_node(n, "$.nodes." + id, node);
      node.templated = has_placeholders(node);
    }
    if (!start.empty()) {
      auto s = flow_->find(start);
      if (!s) error("$.start", "no node '" + start + "'");
      else flow_->start_ = *s;
    }
    for (auto& p : pending_) {
      auto target = flow_->find(p.target);
      if (!target) error(p.path, "no node '" + p.target + "'");
      else *p.slot = *target;
    }
    if (!has_errors()) {
      find_spinning_loops();
      find_unreachable();
    }
    return finish(has_errors() ? nullptr : std::move(flow));
  }

 private:
  LoadResult finish(std::shared_ptr<const Flow> flow) {
    LoadResult r;
    r.flow = std::move(flow);
    r.diagnostics = std::move(diagnostics_);
    return r;
  }
  bool has_errors() const {
    for (const auto& d : diagnostics_) {
      if (d.severity == Diagnostic::Severity::kError) return true;
    }
    return false;
  }
  void error(std::string path, std::string message) {
    diagnostics_.push_back({Diagnostic::Severity::kError, std::move(path), std::move(message)});
  }
  void warning(std::string path, std::string message) {
    diagnostics_.push_back({Diagnostic::Severity::kWarning, std::move(path), std::move(message)});
  }

  // Refuses keys other than `keys`, listing those in the order given.
  void known(const json& obj, const std::string& path, std::initializer_list<const char*> keys) {
    for (const auto& [key, v] : obj.items()) {
      bool ok = false;
      for (const char* k : keys) ok = ok || key == k;
      if (ok) continue;
      std::string expected;
      for (const char* k : keys) {
        if (!expected.empty()) expected += ", ";
        expected += k;
      }
      error(path + "." + key, "unknown field (expected one of: " + expected + ")");
    }
  }

  void string_field(const json& obj, const std::string& path, const char* key, std::string& out,
                    bool required) {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) error(path + "." + key, "required");
      return;
    }
    if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
      error(path + "." + key, "expected a non-empty string");
      return;
    }
    out = it->get<std::string>();
  }

  void exit(const json& obj, const std::string& path, const char* key, NodeIndex& slot,
            bool required) {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) error(path + "." + key, "required");
      return;
    }
    if (!it->is_string()) {
      error(path + "." + key, "expected a node id");
      return;
    }
    pending_.push_back({&slot, it->get<std::string>(), path + "." + key});
  }

  void seconds(const json& obj, const std::string& path, const char* key, DurationMs& out) {
    auto it = obj.find(key);
    if (it == obj.end()) return;
    if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0 ||
        it->get<double>() > 86400) {
      error(path + "." + key, "expected seconds between 0 and 86400");
      return;
    }
    out = static_cast<DurationMs>(std::llround(it->get<double>() * 1000));
  }

  // Reads the integer as JSON wrote it: an unsigned value too large for a
  // signed one (2^64-1) is out of range, never wrapped to a negative number.
  static bool integer_in(const json& v, long long lo, long long hi, long long& out) {
    if (v.is_number_unsigned()) {
      const std::uint64_t u = v.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(hi) || (lo > 0 && u < static_cast<std::uint64_t>(lo))) {
        return false;
      }
      out = static_cast<long long>(u);
      return true;
    }
    if (!v.is_number_integer()) return false;
    const std::int64_t i = v.get<std::int64_t>();
    if (i < lo || i > hi) return false;
    out = i;
    return true;
  }

  void integer(const json& obj, const std::string& path, const char* key, int& out, int lo,
               int hi) {
    auto it = obj.find(key);
    if (it == obj.end()) return;
    long long v = 0;
    if (!integer_in(*it, lo, hi, v)) {
      error(path + "." + key, fmt::format("expected an integer from {} to {}", lo, hi));
      return;
    }
    out = static_cast<int>(v);
  }

  void key_char(const json& obj, const std::string& path, const char* key, char& out) {
    auto it = obj.find(key);
    if (it == obj.end()) return;
    if (!it->is_string() || it->get_ref<const std::string&>().size() != 1 ||
        std::string_view("0123456789*#").find(it->get_ref<const std::string&>()[0]) ==
            std::string_view::npos) {
      error(path + "." + key, "expected one key: 0-9, * or #");
      return;
    }
    out = it->get_ref<const std::string&>()[0];
  }

  bool prompt(const json& p, const std::string& path, Prompt& out) {
    if (p.is_string()) {
      const std::string& s = p.get_ref<const std::string&>();
      if (s.rfind("tts:", 0) == 0) {
        out = Prompt{Prompt::Kind::kTts, s.substr(4)};
      } else {
        out = Prompt{Prompt::Kind::kAudio, s};
      }
      return true;
    }
    if (p.is_object()) {
      const std::size_t errors = diagnostics_.size();
      known(p, path, {"tts", "audio"});
      if (diagnostics_.size() != errors) return false;
    }
    if (p.is_object() && p.size() == 1 && p.begin()->is_string()) {
      out = Prompt{p.contains("tts") ? Prompt::Kind::kTts : Prompt::Kind::kAudio,
                   p.begin()->get<std::string>()};
      return true;
    }
    error(path, "expected a prompt: \"file.wav\", \"tts:text\", {\"audio\": ...} or {\"tts\": ...}");
    return false;
  }

  void prompts(const json& obj, const std::string& path, const char* key, std::vector<Prompt>& out) {
    auto it = obj.find(key);
    if (it != obj.end()) prompt_list(*it, path + "." + key, out);
  }

  // One prompt, or a list of them.
  void prompt_list(const json& v, const std::string& p, std::vector<Prompt>& out) {
    if (!v.is_array()) {
      Prompt one;
      if (prompt(v, p, one)) out.push_back(std::move(one));
      return;
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
      Prompt one;
      if (prompt(v[i], fmt::format("{}[{}]", p, i), one)) out.push_back(std::move(one));
    }
  }

  void prompt_lists(const json& obj, const std::string& path, const char* key,
                    std::vector<std::vector<Prompt>>& out) {
    auto it = obj.find(key);
    if (it == obj.end()) return;
    if (!it->is_array()) {
      error(path + "." + key, "expected a list with the prompts of each attempt");
      return;
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      std::vector<Prompt> attempt;
      prompt_list((*it)[i], fmt::format("{}.{}[{}]", path, key, i), attempt);
      out.push_back(std::move(attempt));
    }
  }

  bool expression(const json& v, const std::string& path, expr::Expression& out) {
    if (!v.is_string()) {
      error(path, "expected an expression");
      return false;
    }
    auto e = expr::Expression::compile(v.get<std::string>());
    if (!e) {
      error(path, e.error().message);
      return false;
    }
    out = std::move(e).value();
    return true;
  }

  void templates(const json& obj, const std::string& path, const char* key,
                 std::vector<std::pair<std::string, std::string>>& out) {
    auto it = obj.find(key);
    if (it == obj.end()) return;
    if (!it->is_object()) {
      error(path + "." + key, "expected an object");
      return;
    }
    for (const auto& [name, v] : it->items()) {
      if (v.is_string()) out.emplace_back(name, v.get<std::string>());
      else if (v.is_number() || v.is_boolean()) out.emplace_back(name, v.dump());
      else error(path + "." + key + "." + name, "expected a string, number or boolean");
    }
  }

  void digit_map(const json& obj, const std::string& path, const char* key,
                 std::vector<std::pair<char, NodeIndex>>& out) {
    auto it = obj.find(key);
    if (it == obj.end()) return;
    if (!it->is_object()) {
      error(path + "." + key, "expected an object of key → node");
      return;
    }
    out.reserve(it->size());  // exits below point into this vector
    for (const auto& [digit, target] : it->items()) {
      const std::string p = path + "." + key + "." + digit;
      if (digit.size() != 1 || std::string_view("0123456789*#").find(digit[0]) == std::string_view::npos) {
        error(p, "expected one key: 0-9, * or #");
        continue;
      }
      if (!target.is_string()) {
        error(p, "expected a node id");
        continue;
      }
      out.emplace_back(digit[0], kNoNode);
    }
    std::size_t k = 0;
    for (const auto& [digit, target] : it->items()) {
      if (k < out.size() && out[k].first == digit[0]) {
        pending_.push_back({&out[k].second, target.get<std::string>(), path + "." + key + "." + digit});
        ++k;
      }
    }
  }

  void skills(const json& obj, const std::string& path, std::vector<std::pair<std::string, int>>& out) {
    auto it = obj.find("skills");
    if (it == obj.end()) return;
    if (!it->is_object()) {
      error(path + ".skills", "expected an object of skill → least level");
      return;
    }
    for (const auto& [name, level] : it->items()) {
      long long v = 0;
      if (!integer_in(level, 0, 1000, v)) {
        error(path + ".skills." + name, "expected a level from 0 to 1000");
        continue;
      }
      out.emplace_back(name, static_cast<int>(v));
    }
  }

  void read_node(const json& n, const std::string& path, Node& node) {
    if (!n.is_object()) {
      error(path, "expected a node object");
      return;
    }
    auto type = n.find("type");
    if (type == n.end() || !type->is_string()) {
      error(path + ".type", "required");
      return;
    }
    const std::string t = type->get<std::string>();
    bool found = false;
    for (int k = 0; k <= static_cast<int>(NodeType::kHangup); ++k) {
      if (t == node_type_name(static_cast<NodeType>(k))) {
        node.type = static_cast<NodeType>(k);
        found = true;
      }
    }
    if (!found) {
      error(path + ".type", "unknown node type '" + t + "'");
      return;
    }
    prompts(n, path, "prompts", node.prompts);
    if (auto b = n.find("barge_in"); b != n.end()) {
      if (!b->is_boolean()) error(path + ".barge_in", "expected true or false");
      else node.barge_in = b->get<bool>();
    }
    switch (node.type) {
      case NodeType::kPlay:
        known(n, path, {"type", "prompts", "barge_in", "next"});
        exit(n, path, "next", node.next, true);
        break;
      case NodeType::kMenu:
        known(n, path, {"type", "prompts", "barge_in", "options", "timeout_seconds", "max_attempts",
                        "no_input", "no_match", "fail"});
        digit_map(n, path, "options", node.options);
        if (node.options.empty() && !n.contains("options")) error(path + ".options", "required");
        retries(n, path, node);
        exit(n, path, "fail", node.on_fail, true);
        break;
      case NodeType::kCollect:
        known(n, path, {"type", "prompts", "barge_in", "min_digits", "max_digits", "terminator",
                        "timeout_seconds", "inter_digit_seconds", "pattern", "validate", "variable",
                        "max_attempts", "no_input", "no_match", "next", "fail"});
        integer(n, path, "min_digits", node.min_digits, 1, 64);
        integer(n, path, "max_digits", node.max_digits, 1, 64);
        if (node.min_digits > node.max_digits) {
          error(path + ".min_digits", "must not exceed max_digits");
        }
        key_char(n, path, "terminator", node.terminator);
        seconds(n, path, "inter_digit_seconds", node.inter_digit_timeout_ms);
        string_field(n, path, "variable", node.variable, true);
        if (auto p = n.find("pattern"); p != n.end()) pattern(*p, path + ".pattern", node);
        if (auto v = n.find("validate"); v != n.end()) expression(*v, path + ".validate", node.validate);
        retries(n, path, node);
        exit(n, path, "next", node.next, true);
        exit(n, path, "fail", node.on_fail, true);
        break;
      case NodeType::kSet: {
        known(n, path, {"type", "assign", "next"});
        auto a = n.find("assign");
        if (a == n.end() || !a->is_object()) {
          error(path + ".assign", "expected an object of variable → expression");
        } else {
          for (const auto& [name, e] : a->items()) {
            expr::Expression compiled;
            if (expression(e, path + ".assign." + name, compiled)) {
              node.assignments.emplace_back(name, std::move(compiled));
            }
          }
        }
        exit(n, path, "next", node.next, true);
        break;
      }
      case NodeType::kBranch: {
        known(n, path, {"type", "conditions", "default"});
        auto c = n.find("conditions");
        if (c == n.end() || !c->is_array()) {
          error(path + ".conditions", "expected a list of {\"if\": ..., \"next\": ...}");
        } else {
          node.conditions.reserve(c->size());  // exits point into this vector
          for (std::size_t k = 0; k < c->size(); ++k) {
            const std::string p = fmt::format("{}.conditions[{}]", path, k);
            const json& cond = (*c)[k];
            if (!cond.is_object() || !cond.contains("if")) {
              error(p, "expected {\"if\": ..., \"next\": ...}");
              continue;
            }
            known(cond, p, {"if", "next"});
            expr::Expression e;
            if (!expression(cond["if"], p + ".if", e)) continue;
            node.conditions.emplace_back(std::move(e), kNoNode);
            exit(cond, p, "next", node.conditions.back().second, true);
          }
        }
        exit(n, path, "default", node.next, true);
        break;
      }
      case NodeType::kHours:
        known(n, path, {"type", "calendar", "open", "closed", "holiday"});
        string_field(n, path, "calendar", node.calendar, false);
        exit(n, path, "open", node.on_open, true);
        exit(n, path, "closed", node.on_closed, true);
        exit(n, path, "holiday", node.on_holiday, false);
        break;
      case NodeType::kLookup:
        known(n, path, {"type", "function", "args", "variable", "timeout_seconds", "next", "error",
                        "timeout"});
        string_field(n, path, "function", node.function, true);
        templates(n, path, "args", node.args);
        string_field(n, path, "variable", node.variable, true);
        node.timeout_ms = kEngineHostTimeout;
        seconds(n, path, "timeout_seconds", node.timeout_ms);
        exit(n, path, "next", node.next, true);
        exit(n, path, "error", node.on_error, true);
        exit(n, path, "timeout", node.on_timeout, false);
        break;
      case NodeType::kQueue:
        known(n, path, {"type", "queue", "priority", "skills", "attributes", "hold", "prompts",
                        "barge_in", "announce_every_seconds", "keys", "answered", "overflow",
                        "no_agents"});
        string_field(n, path, "queue", node.queue, flow_->queue_.empty());
        if (node.queue.empty()) node.queue = flow_->queue_;
        integer(n, path, "priority", node.priority, -1000000, 1000000);
        skills(n, path, node.skills);
        templates(n, path, "attributes", node.attributes);
        prompts(n, path, "hold", node.hold);
        seconds(n, path, "announce_every_seconds", node.announce_every_ms);
        digit_map(n, path, "keys", node.keys);
        exit(n, path, "answered", node.on_answered, false);
        exit(n, path, "overflow", node.on_overflow, false);
        exit(n, path, "no_agents", node.on_no_agents, false);
        break;
      case NodeType::kCallback:
        known(n, path, {"type", "queue", "number", "prompts", "barge_in", "next"});
        string_field(n, path, "queue", node.queue, false);
        string_field(n, path, "number", node.number, false);
        exit(n, path, "next", node.next, true);
        break;
      case NodeType::kRecord:
        known(n, path, {"type", "prompts", "barge_in", "max_seconds", "finish_key", "variable",
                        "ticket", "next"});
        seconds(n, path, "max_seconds", node.max_ms);
        key_char(n, path, "finish_key", node.finish_key);
        string_field(n, path, "variable", node.variable, true);
        if (auto tk = n.find("ticket"); tk != n.end()) {
          if (tk->is_boolean()) {
            node.create_ticket = tk->get<bool>();
          } else if (tk->is_object()) {
            node.create_ticket = true;
            json wrapper = json::object({{"ticket", *tk}});
            templates(wrapper, path, "ticket", node.fields);
          } else {
            error(path + ".ticket", "expected true, false or an object of ticket fields");
          }
        }
        exit(n, path, "next", node.next, true);
        break;
      case NodeType::kTransfer:
        known(n, path, {"type", "target", "prompts", "barge_in"});
        string_field(n, path, "target", node.target, true);
        break;
      case NodeType::kTicket:
        known(n, path, {"type", "fields", "variable", "next", "error"});
        templates(n, path, "fields", node.fields);
        if (!n.contains("fields")) error(path + ".fields", "required");
        string_field(n, path, "variable", node.variable, false);
        exit(n, path, "next", node.next, true);
        exit(n, path, "error", node.on_error, false);
        break;
      case NodeType::kSubflow:
        known(n, path, {"type", "flow", "next"});
        string_field(n, path, "flow", node.flow, true);
        exit(n, path, "next", node.next, true);
        break;
      case NodeType::kReturn:
        known(n, path, {"type"});
        break;
      case NodeType::kGoto:
        known(n, path, {"type", "next"});
        exit(n, path, "next", node.next, true);
        break;
      case NodeType::kHangup:
        known(n, path, {"type", "prompts", "barge_in"});
        break;
    }
  }

  // A collect pattern, compiled by RE2: matching takes time linear in the
  // caller's digits, with no backtracking however the groups nest.
  void pattern(const json& p, const std::string& path, Node& node) {
    if (!p.is_string()) {
      error(path, "expected a regular expression");
      return;
    }
    const std::string& text = p.get_ref<const std::string&>();
    if (text.size() > kMaxPatternBytes) {
      error(path, fmt::format("a pattern is at most {} bytes; this one has {}", kMaxPatternBytes,
                              text.size()));
      return;
    }
    RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(1 << 20);
    auto program = std::make_shared<const RE2>(text, options);
    if (!program->ok()) {
      error(path, "invalid regular expression: " + program->error());
      return;
    }
    if (program->ProgramSize() > kMaxPatternProgramSize) {
      error(path, fmt::format("pattern too complex: it compiles to {} instructions, at most {}",
                              program->ProgramSize(), kMaxPatternProgramSize));
      return;
    }
    node.pattern = text;
    node.pattern_program = std::move(program);
  }

  void retries(const json& n, const std::string& path, Node& node) {
    seconds(n, path, "timeout_seconds", node.timeout_ms);
    integer(n, path, "max_attempts", node.retries.max_attempts, 1, 10);
    prompt_lists(n, path, "no_input", node.retries.no_input);
    prompt_lists(n, path, "no_match", node.retries.no_match);
  }

  // Every exit of a node, with whether taking it waits for the caller (or
  // the host) first.
  static std::vector<NodeIndex> exits_of(const Node& n) {
    std::vector<NodeIndex> v{n.next, n.on_fail, n.on_open, n.on_closed, n.on_holiday, n.on_error,
                             n.on_timeout, n.on_answered, n.on_overflow, n.on_no_agents};
    for (const auto& [d, t] : n.options) v.push_back(t);
    for (const auto& [d, t] : n.keys) v.push_back(t);
    for (const auto& [e, t] : n.conditions) v.push_back(t);
    return v;
  }

  static bool waits(const Node& n) {
    switch (n.type) {
      case NodeType::kPlay: return !n.prompts.empty();
      case NodeType::kMenu:
      case NodeType::kCollect:
      case NodeType::kQueue:
      case NodeType::kRecord:
      case NodeType::kLookup:
      case NodeType::kTicket:
      case NodeType::kSubflow:  // runs another flow, which is checked on its own
        return true;
      default: return false;
    }
  }

  // Depth-first search, with an explicit stack, over exits of nodes that do
  // not wait; an exit back to a node on the stack is a loop the interpreter
  // could spin in forever. Each node and exit is visited once.
  void find_spinning_loops() {
    const auto& nodes = flow_->nodes_;
    constexpr std::size_t kOffStack = SIZE_MAX;
    std::vector<std::uint8_t> done(nodes.size(), 0);
    std::vector<std::size_t> stack_position(nodes.size(), kOffStack);
    std::vector<std::uint8_t> reported(nodes.size(), 0);
    struct Visit {
      NodeIndex node;
      std::vector<NodeIndex> exits;
      std::size_t next_exit = 0;
    };
    std::vector<Visit> stack;
    auto push = [&](NodeIndex i) {
      stack_position[i] = stack.size();
      stack.push_back(Visit{i, exits_of(nodes[i]), 0});
    };
    for (NodeIndex root = 0; root < nodes.size(); ++root) {
      if (done[root] || waits(nodes[root])) continue;
      push(root);
      while (!stack.empty()) {
        Visit& top = stack.back();
        if (top.next_exit == top.exits.size()) {
          stack_position[top.node] = kOffStack;
          done[top.node] = 1;
          stack.pop_back();
          continue;
        }
        const NodeIndex t = top.exits[top.next_exit++];
        if (t == kNoNode || done[t] || waits(nodes[t])) continue;
        if (stack_position[t] == kOffStack) {
          push(t);
        } else if (!reported[t]) {
          reported[t] = 1;
          report_loop(stack, stack_position[t], t);
        }
      }
    }
  }

  // Names the loop's nodes, the first and last few of a long one.
  template <typename Stack>
  void report_loop(const Stack& stack, std::size_t from, NodeIndex to) {
    const auto& nodes = flow_->nodes_;
    constexpr std::size_t kShown = 8;
    const std::size_t length = stack.size() - from;
    std::string cycle;
    for (std::size_t k = from; k < stack.size(); ++k) {
      const std::size_t offset = k - from;
      if (length > 2 * kShown && offset == kShown) {
        cycle += fmt::format("… ({} more) → ", length - 2 * kShown);
        k = stack.size() - kShown - 1;
        continue;
      }
      cycle += nodes[stack[k].node].id + " → ";
    }
    cycle += nodes[to].id;
    error("$.nodes." + nodes[to].id, "loop " + cycle + " never waits for input");
  }

  void find_unreachable() {
    const auto& nodes = flow_->nodes_;
    std::vector<bool> seen(nodes.size(), false);
    std::vector<NodeIndex> todo{flow_->start_};
    seen[flow_->start_] = true;
    while (!todo.empty()) {
      NodeIndex i = todo.back();
      todo.pop_back();
      for (NodeIndex t : exits_of(nodes[i])) {
        if (t != kNoNode && !seen[t]) {
          seen[t] = true;
          todo.push_back(t);
        }
      }
    }
    for (NodeIndex i = 0; i < nodes.size(); ++i) {
      if (!seen[i]) warning("$.nodes." + nodes[i].id, "unreachable from the start node");
    }
  }

  Flow* flow_ = nullptr;
  std::vector<Diagnostic> diagnostics_;
  std::vector<PendingExit> pending_;
};

}  // namespace

LoadResult FlowLoader::load(const json& j) { return Loader().run(j); }

LoadResult FlowLoader::load_text(std::string_view text) {
  auto j = parse_json(text, "$");
  if (!j) {
    // "$: <what>": the path is the diagnostic's own.
    std::string message = j.error().message;
    if (message.rfind("$: ", 0) == 0) message.erase(0, 3);
    LoadResult r;
    r.diagnostics.push_back({Diagnostic::Severity::kError, "$", std::move(message)});
    return r;
  }
  return load(*j);
}

Status FlowRegistry::put(const json& j) {
  LoadResult r = FlowLoader::load(j);
  if (!r.ok()) return make_error(Errc::kInvalidArgument, r.error_text());
  put(std::move(r.flow));
  return {};
}

void FlowRegistry::put(std::shared_ptr<const Flow> flow) {
  const std::string id = flow->id();
  flows_[id] = std::move(flow);
}

std::shared_ptr<const Flow> FlowRegistry::get(std::string_view id) const {
  auto it = flows_.find(id);
  return it == flows_.end() ? nullptr : it->second;
}

}  // namespace hotline::ivr
