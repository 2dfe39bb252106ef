// What a queue's rings ask of an agent alone (Membership::static_rings,
// level_sum, signature) depends only on a few of the agent's values: its
// levels in the queue's skills, and the values at the paths its rings'
// agent-only parts and the agent's side of its membership tests read. A
// million agents have a handful of distinct such values per queue, so the
// answers are kept by those values and reused: an agent whose values are
// alike to an earlier one's gets that agent's answer, evaluating nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hotline/expr/attributes.hpp"

namespace hotline::routing {

struct StaticAnswer {
  std::uint32_t static_rings = 0;
  int level_sum = 0;
  std::uint32_t signature = ~0u;
};

// Whether answers are reused; cleared only by the tests that hold reused
// answers to answers evaluated for each agent.
extern bool g_reuse_static_answers;

class StaticAnswers {
 public:
  // Answers kept per queue at most: beyond, agents are evaluated one by one.
  static constexpr std::size_t kMaxAnswers = 4096;

  // An agent's values, written so that values are alike exactly when their
  // keys are equal: same kind; a number's bits; a string's length and
  // bytes; a list's length and items. Too long a key, or a value whose
  // likeness this does not tell (an object, a list holding one or a list),
  // spoils it: the agent is then evaluated.
  class Key {
   public:
    void add(int level) noexcept { put('i', &level, sizeof level); }
    void add(const expr::Value& v) noexcept;
    bool spoilt() const noexcept { return spoilt_; }
    std::string_view bytes() const noexcept { return {bytes_, size_}; }

   private:
    void put(char kind, const void* p, std::size_t n) noexcept;
    char bytes_[240];
    std::size_t size_ = 0;
    bool spoilt_ = false;
  };

  // For a queue whose rings are compiled anew: forgets every answer and
  // takes the paths its answers read (nullopt: answers are not reused).
  void reset(std::optional<std::vector<std::string>> paths);
  bool reusable() const noexcept { return reusable_; }
  // Adds the values at the paths in `view` to `key`.
  void add_values(const expr::Attributes& view, Key& key) const noexcept;

  const StaticAnswer* find(const Key& key) const;
  void keep(const Key& key, const StaticAnswer& answer);

 private:
  std::vector<std::string> paths_;
  bool reusable_ = false;
  std::unordered_map<std::string, StaticAnswer> answers_;
  // A key looked up is copied here, into memory kept from one lookup to
  // the next (the map cannot be asked with a view before C++20).
  mutable std::string probe_;
};

}  // namespace hotline::routing
