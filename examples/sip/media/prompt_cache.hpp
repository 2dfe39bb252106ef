// Decoded prompts kept in memory, so a thousand callers hearing the same
// greeting share one decoded copy instead of each reading the file. Bounded
// by total samples; the least recently used entries go first. An evicted clip
// that a leg is still playing lives on through that leg's shared pointer.
// Media thread only.
#pragma once

#include <cstddef>
#include <list>
#include <string>
#include <unordered_map>

#include "audio_clip.hpp"

namespace hotline::sip::media {

class PromptCache {
 public:
  explicit PromptCache(std::size_t max_samples) : max_samples_(max_samples) {}

  SharedClip find(const std::string& key);
  void insert(const std::string& key, SharedClip clip);

  std::size_t samples() const { return samples_; }
  std::size_t entries() const { return entries_.size(); }

 private:
  using Order = std::list<std::string>;  // front: most recently used
  struct Entry {
    SharedClip clip;
    Order::iterator position;
  };

  std::size_t max_samples_;
  std::size_t samples_ = 0;
  Order order_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace hotline::sip::media
