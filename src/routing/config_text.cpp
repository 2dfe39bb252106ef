#include "hotline/routing/config_text.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "config_text_readers.hpp"
#include "hotline/routing/config_json.hpp"
#include "hotline/util/json_input.hpp"
#include "json_fields.hpp"

namespace hotline::routing {

namespace {

using nlohmann::json;

// Builds a document from parser events exactly as json::parse would (a
// repeated key keeps its last value). Written here because nlohmann's own
// builder lives in its detail namespace and changes shape between releases.
class DomBuilder {
 public:
  explicit DomBuilder(json& root) : root_(root) {}

  bool null() { return put(nullptr) != nullptr; }
  bool boolean(bool v) { return put(v) != nullptr; }
  bool number_integer(json::number_integer_t v) { return put(v) != nullptr; }
  bool number_unsigned(json::number_unsigned_t v) { return put(v) != nullptr; }
  bool number_float(json::number_float_t v, const json::string_t&) { return put(v) != nullptr; }
  bool string(json::string_t& v) { return put(std::move(v)) != nullptr; }
  bool binary(json::binary_t&) { return false; }  // JSON text has no binary values
  bool start_object(std::size_t) {
    open_.push_back(put(json::object()));
    return true;
  }
  bool key(json::string_t& k) {
    slot_ = &(*open_.back())[k];
    return true;
  }
  bool end_object() {
    open_.pop_back();
    return true;
  }
  bool start_array(std::size_t) {
    open_.push_back(put(json::array()));
    return true;
  }
  bool end_array() {
    open_.pop_back();
    return true;
  }

 private:
  // Places a value where the events say and returns it. A container on the
  // stack stays put while it is open: only its own elements move.
  template <typename V>
  json* put(V&& value) {
    if (open_.empty()) {
      root_ = json(std::forward<V>(value));
      return &root_;
    }
    json& container = *open_.back();
    if (container.is_array()) {
      container.emplace_back(std::forward<V>(value));
      return &container.back();
    }
    *slot_ = json(std::forward<V>(value));
    return slot_;
  }

  json& root_;
  std::vector<json*> open_;
  json* slot_ = nullptr;  // the member the last key named
};

// Parser events go to the document being built, except those of an element
// of the top-level "agents" array, which go to a document of that element
// alone; when the element ends it is read into an AgentConfig and dropped.
class ConfigTextReader {
 public:
  ConfigTextReader(json& document, PreparsedAgents& agents)
      : document_(document), agents_(agents) {}

  bool null() { return scalar([](DomBuilder& b) { return b.null(); }); }
  bool boolean(bool v) { return scalar([&](DomBuilder& b) { return b.boolean(v); }); }
  bool number_integer(json::number_integer_t v) {
    return scalar([&](DomBuilder& b) { return b.number_integer(v); });
  }
  bool number_unsigned(json::number_unsigned_t v) {
    return scalar([&](DomBuilder& b) { return b.number_unsigned(v); });
  }
  bool number_float(json::number_float_t v, const json::string_t& s) {
    return scalar([&](DomBuilder& b) { return b.number_float(v, s); });
  }
  bool string(json::string_t& v) { return scalar([&](DomBuilder& b) { return b.string(v); }); }
  bool binary(json::binary_t& v) { return scalar([&](DomBuilder& b) { return b.binary(v); }); }

  bool start_object(std::size_t n) {
    return open([&](DomBuilder& b) { return b.start_object(n); });
  }
  bool start_array(std::size_t n) {
    const bool agents_array = depth_ == 1 && agents_key_ && !element_;
    if (!open([&](DomBuilder& b) { return b.start_array(n); })) return false;
    if (agents_array) {
      in_agents_ = true;
      agents_.read = true;
    }
    return true;
  }
  bool end_object() { return close([](DomBuilder& b) { return b.end_object(); }); }
  bool end_array() {
    if (in_agents_ && !element_ && depth_ == 2) in_agents_ = false;
    return close([](DomBuilder& b) { return b.end_array(); });
  }

  bool key(json::string_t& k) {
    if (element_) return element_->key(k);
    if (depth_ == 1) {
      section_ = k;
      agents_key_ = k == "agents";
      // A later "agents" replaces an earlier one, as in the document.
      if (agents_key_) {
        agents_ = PreparsedAgents{};
        next_index_ = 0;
      }
    }
    return document_.key(k);
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    error_ = without_exception_tag(e.what());
    return false;
  }

  const std::string& error() const { return error_; }
  bool too_deep() const { return too_deep_; }

 private:
  // Where a value starting at the current depth goes: an element of the
  // agents array begins a document of its own.
  DomBuilder& sink() {
    if (!element_ && in_agents_ && depth_ == 2) {
      element_doc_ = json();
      element_.emplace(element_doc_);
    }
    return element_ ? *element_ : document_;
  }

  template <typename F>
  bool scalar(F feed) {
    if (depth_ == 1) agents_key_ = false;
    if (!feed(sink())) return false;
    if (element_ && depth_ == 2) finish_element();
    return true;
  }

  template <typename F>
  bool open(F feed) {
    // Refused before it is built: a document nested without end would
    // exhaust the stack of every recursive copy and destruction after it.
    if (depth_ >= kMaxJsonDepth) {
      too_deep_ = true;
      error_ = fmt::format("{}: nested deeper than {} levels",
                           section_.empty() ? std::string("$") : "$." + section_, kMaxJsonDepth);
      return false;
    }
    const bool ok = feed(sink());
    if (depth_ == 1) agents_key_ = false;
    ++depth_;
    return ok;
  }

  template <typename F>
  bool close(F feed) {
    const bool ok = feed(element_ ? *element_ : document_);
    --depth_;
    if (element_ && depth_ == 2) finish_element();
    return ok;
  }

  void finish_element() {
    const std::size_t i = next_index_++;
    element_.reset();
    if (agents_.error) return;  // only the first refusal is raised
    auto agent = agent_from_json(element_doc_, json_fields::item("$.agents", i));
    if (agent) {
      agents_.agents.push_back(std::move(agent).value());
    } else {
      agents_.error = std::move(agent).error();
    }
  }

  DomBuilder document_;
  PreparsedAgents& agents_;
  json element_doc_;
  std::optional<DomBuilder> element_;
  int depth_ = 0;           // containers open around the next event
  bool too_deep_ = false;
  std::string section_;     // the top-level key whose value is being read
  bool agents_key_ = false;  // the top-level key just read is "agents"
  bool in_agents_ = false;   // inside the top-level "agents" array
  std::size_t next_index_ = 0;
  std::string error_;
};

}  // namespace

Result<json> read_config_text_events(std::string_view text, PreparsedAgents& agents) {
  agents = PreparsedAgents{};
  json document;
  ConfigTextReader reader(document, agents);
  if (!json::sax_parse(text, &reader)) {
    agents = PreparsedAgents{};
    return make_error(Errc::kInvalidArgument,
                      reader.too_deep() ? reader.error() : "not valid JSON: " + reader.error());
  }
  return document;
}

Result<json> read_config_text(std::string_view text, PreparsedAgents& agents) {
  if (auto document = read_config_text_simd(text, agents)) return std::move(*document);
  return read_config_text_events(text, agents);
}

}  // namespace hotline::routing
