// The mixing of one conversation of more than two parties, or of two that
// do not simply hear each other (a muted leg, a supervisor who listens):
// for each leg, the legs it hears. Every 20 ms tick each leg's oldest
// waiting frame is decoded audio; a listener gets the saturating sum of the
// frames of the legs it hears (never its own), encoded in its own codec.
//
// A leg that sent nothing this tick contributes silence. Up to
// kMaxWaitingFrames frames wait per leg, so a phone whose packets arrive a
// frame early or late against the tick (the usual jitter) loses nothing;
// beyond that the oldest is dropped rather than letting delay grow.
//
// Pure state: the media thread owns one per mix, feeds it what each leg
// receives and asks it for each listener's frame on the tick.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <vector>

#include "audio_clip.hpp"
#include "media_server.hpp"

namespace hotline::sip::media {

using Frame = std::array<std::int16_t, kFrameSamples>;

// True, with the two legs, when the plan is two legs that hear each other
// and nothing else: the relay carries that without decoding.
bool is_plain_pair(const MixPlan& plan, LegId* a, LegId* b);

// Adds `source` into `sum`, clamping each sample to the 16-bit range.
void mix_into(Frame& sum, const Frame& source);

class Mixer {
 public:
  static constexpr std::size_t kMaxWaitingFrames = 3;

  explicit Mixer(MixPlan plan);

  const MixPlan& plan() const { return plan_; }
  // Every leg named in the plan, as listener or as heard.
  const std::vector<LegId>& legs() const { return legs_; }
  bool has(LegId leg) const;
  // True when at least one leg of the plan hears `listener`.
  bool heard(LegId listener) const;

  // A G.711 payload `source` sent; frames of another size are cut or padded
  // to one 20 ms frame (the host asks every phone for 20 ms).
  void take(LegId source, Codec law, const std::uint8_t* payload, std::size_t size);
  // Takes each leg's oldest waiting frame (silence for a leg with none) as
  // this tick's audio.
  void begin_tick();
  // This tick's sum of what `listener` hears, in `codec`, into `out`
  // (kFrameSamples bytes). False when the listener hears nobody: nothing is
  // to be sent to it.
  bool mix_for(LegId listener, Codec codec, std::uint8_t* out) const;
  // The same sum as decoded audio (what a recording of the listener's call
  // writes as what it heard). False, leaving `sum` silent, when the listener
  // hears nobody.
  bool sum_for(LegId listener, Frame& sum) const;
  // Forgets a leg: it is neither heard nor a listener any more.
  void remove(LegId leg);

 private:
  struct Source {
    std::deque<Frame> waiting;
    Frame current{};
  };

  MixPlan plan_;
  std::vector<LegId> legs_;
  std::map<LegId, Source> sources_;
};

}  // namespace hotline::sip::media
