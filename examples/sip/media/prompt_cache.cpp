#include "prompt_cache.hpp"

namespace hotline::sip::media {

SharedClip PromptCache::find(const std::string& key) {
  auto found = entries_.find(key);
  if (found == entries_.end()) return nullptr;
  order_.splice(order_.begin(), order_, found->second.position);
  return found->second.clip;
}

void PromptCache::insert(const std::string& key, SharedClip clip) {
  if (!clip || clip->size() > max_samples_) return;  // too big to keep: play it uncached
  auto existing = entries_.find(key);
  if (existing != entries_.end()) {
    samples_ -= existing->second.clip->size();
    order_.erase(existing->second.position);
    entries_.erase(existing);
  }
  while (samples_ + clip->size() > max_samples_ && !order_.empty()) {
    auto oldest = entries_.find(order_.back());
    samples_ -= oldest->second.clip->size();
    entries_.erase(oldest);
    order_.pop_back();
  }
  order_.push_front(key);
  samples_ += clip->size();
  entries_.emplace(key, Entry{std::move(clip), order_.begin()});
}

}  // namespace hotline::sip::media
