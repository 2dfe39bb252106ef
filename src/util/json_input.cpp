#include "hotline/util/json_input.hpp"

#include <string>
#include <utility>
#include <vector>

namespace hotline {
namespace {

using nlohmann::json;
using DomParser = nlohmann::detail::json_sax_dom_parser<json>;

// Builds the document with nlohmann's own DOM builder, refusing to open a
// container past the depth limit and keeping the path so far for messages.
class BoundedSax {
 public:
  BoundedSax(json& out, int max_depth) : dom_(out, false), max_depth_(max_depth) {}

  bool null() { return value() && dom_.null(); }
  bool boolean(bool v) { return value() && dom_.boolean(v); }
  bool number_integer(json::number_integer_t v) { return value() && dom_.number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return value() && dom_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const std::string& s) {
    return value() && dom_.number_float(v, s);
  }
  bool string(std::string& v) { return value() && dom_.string(v); }
  bool binary(json::binary_t& v) { return value() && dom_.binary(v); }
  bool start_object(std::size_t n) { return open(false) && dom_.start_object(n); }
  bool key(std::string& k) {
    frames_.back().key = k;
    return dom_.key(k);
  }
  bool end_object() {
    frames_.pop_back();
    return dom_.end_object();
  }
  bool start_array(std::size_t n) { return open(true) && dom_.start_array(n); }
  bool end_array() {
    frames_.pop_back();
    return dom_.end_array();
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    syntax_ = e.what();
    return false;
  }

  const std::string& too_deep_at() const { return too_deep_at_; }
  const std::string& syntax_error() const { return syntax_; }

 private:
  struct Frame {
    bool array = false;
    std::size_t index = 0;
    std::string key;
  };

  // Every value inside an array takes the next index.
  bool value() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
    return true;
  }

  bool open(bool array) {
    value();
    if (static_cast<int>(frames_.size()) >= max_depth_) {
      too_deep_at_ = path();
      return false;
    }
    frames_.push_back(Frame{array, 0, {}});
    return true;
  }

  std::string path() const {
    std::string p = "$";
    for (const auto& f : frames_) {
      if (f.array) {
        p += "[" + std::to_string(f.index - 1) + "]";
      } else {
        p += "." + f.key;
      }
    }
    return p;
  }

  DomParser dom_;
  int max_depth_;
  std::vector<Frame> frames_;
  std::string too_deep_at_;
  std::string syntax_;
};

}  // namespace

std::string without_exception_tag(const std::string& what) {
  const auto close = what.find("] ");
  return what.rfind("[json.exception", 0) == 0 && close != std::string::npos
             ? what.substr(close + 2)
             : what;
}

Result<nlohmann::json> parse_json(std::string_view text, std::string_view what, int max_depth) {
  json out;
  BoundedSax sax(out, max_depth);
  const bool ok = json::sax_parse(text.begin(), text.end(), &sax);
  if (!sax.too_deep_at().empty()) {
    return make_error(Errc::kInvalidArgument,
                      std::string(what) + ": nested deeper than " + std::to_string(max_depth) +
                          " levels at " + sax.too_deep_at());
  }
  if (!ok || !sax.syntax_error().empty()) {
    return make_error(Errc::kInvalidArgument,
                      std::string(what) + ": not valid JSON: " +
                          without_exception_tag(sax.syntax_error()));
  }
  return out;
}

int json_depth(const nlohmann::json& document, int limit) {
  // Breadth-first, level by level: no recursion, and no more than one
  // level's containers held at once.
  std::vector<const json*> level{&document}, next;
  int depth = 0;
  while (depth <= limit) {
    next.clear();
    for (const json* j : level) {
      if (!j->is_structured()) continue;
      for (const auto& child : *j) next.push_back(&child);
    }
    bool any_container = false;
    for (const json* j : level) any_container = any_container || j->is_structured();
    if (!any_container) return depth;
    ++depth;
    level.swap(next);
  }
  return depth;
}

}  // namespace hotline
