#include "mixer.hpp"

#include <algorithm>
#include <iterator>
#include <limits>

#include "g711.hpp"

namespace hotline::sip::media {

bool is_plain_pair(const MixPlan& plan, LegId* a, LegId* b) {
  if (plan.size() != 2) return false;
  const auto& [first, first_hears] = *plan.begin();
  const auto& [second, second_hears] = *std::next(plan.begin());
  if (first_hears != std::vector<LegId>{second} || second_hears != std::vector<LegId>{first}) {
    return false;
  }
  *a = first;
  *b = second;
  return true;
}

void mix_into(Frame& sum, const Frame& source) {
  constexpr int kLow = std::numeric_limits<std::int16_t>::min();
  constexpr int kHigh = std::numeric_limits<std::int16_t>::max();
  for (std::size_t i = 0; i < kFrameSamples; ++i) {
    const int total = static_cast<int>(sum[i]) + static_cast<int>(source[i]);
    sum[i] = static_cast<std::int16_t>(std::clamp(total, kLow, kHigh));
  }
}

Mixer::Mixer(MixPlan plan) : plan_(std::move(plan)) {
  auto note = [this](LegId leg) {
    if (std::find(legs_.begin(), legs_.end(), leg) == legs_.end()) legs_.push_back(leg);
    sources_[leg];
  };
  for (auto& [listener, heard] : plan_) {
    note(listener);
    // A leg never hears itself, whatever the plan says.
    heard.erase(std::remove(heard.begin(), heard.end(), listener), heard.end());
    for (LegId source : heard) note(source);
  }
}

bool Mixer::has(LegId leg) const { return sources_.count(leg) != 0; }

bool Mixer::heard(LegId listener) const {
  for (const auto& [other, sources] : plan_) {
    if (std::find(sources.begin(), sources.end(), listener) != sources.end()) return true;
  }
  return false;
}

void Mixer::take(LegId source, Codec law, const std::uint8_t* payload, std::size_t size) {
  auto found = sources_.find(source);
  if (found == sources_.end()) return;
  std::deque<Frame>& waiting = found->second.waiting;
  if (waiting.size() == kMaxWaitingFrames) waiting.pop_front();
  Frame& frame = waiting.emplace_back();
  frame.fill(0);
  g711_decode(law, payload, std::min(size, kFrameSamples), frame.data());
}

void Mixer::begin_tick() {
  for (auto& [leg, source] : sources_) {
    if (source.waiting.empty()) {
      source.current.fill(0);
    } else {
      source.current = source.waiting.front();
      source.waiting.pop_front();
    }
  }
}

bool Mixer::sum_for(LegId listener, Frame& sum) const {
  sum.fill(0);
  auto found = plan_.find(listener);
  if (found == plan_.end() || found->second.empty()) return false;
  for (LegId source : found->second) {
    auto heard = sources_.find(source);
    if (heard != sources_.end()) mix_into(sum, heard->second.current);
  }
  return true;
}

bool Mixer::mix_for(LegId listener, Codec codec, std::uint8_t* out) const {
  Frame sum;
  if (!sum_for(listener, sum)) return false;
  g711_encode(codec, sum.data(), kFrameSamples, out);
  return true;
}

void Mixer::remove(LegId leg) {
  plan_.erase(leg);
  for (auto& [listener, heard] : plan_) {
    heard.erase(std::remove(heard.begin(), heard.end(), leg), heard.end());
  }
  legs_.erase(std::remove(legs_.begin(), legs_.end(), leg), legs_.end());
  sources_.erase(leg);
}

}  // namespace hotline::sip::media
