// One RTP stream between the host and one phone: its socket, where its
// packets go (symmetric RTP), what the host sends on it (prompts or relayed
// audio, under one SSRC), and what listens to what it receives (a DTMF
// detector, a recorder, the bridge). Owned and touched by the media thread
// only.
//
// RTP only: the host neither sends nor reads RTCP. Phones do not need it to
// play a call, and the relay has no use for receiver reports; the odd port
// above each leg's stays free for peers that insist on sending it.
#pragma once

#include <netinet/in.h>
#include <uv.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "audio_clip.hpp"
#include "media_server.hpp"
#include "mixer.hpp"
#include "recorder.hpp"
#include "stereo_recorder.hpp"
#include "telephone_event.hpp"

namespace hotline::sip::media {

// The host's outgoing stream on a leg. Prompts and relayed audio share it so
// the phone sees one source whose sequence numbers and timestamps run on.
struct OutgoingStream {
  std::uint32_t ssrc = 0;
  std::uint16_t next_sequence = 0;
  std::uint32_t next_timestamp = 0;
};

// What a leg is playing: the clips of one play request, back to back.
struct Playback {
  bool active = false;
  bool loop = false;
  std::vector<SharedClip> clips;
  std::size_t clip_index = 0;
  std::size_t sample_index = 0;
  std::uint64_t last_tick = 0;
  bool start_of_spurt = true;
};

// A play request still waiting for some of its prompts to load.
struct PendingPlay {
  std::vector<SharedClip> clips;
  std::size_t missing = 0;
  bool loop = false;
  bool failed = false;
};

// How packets relayed into this leg are renumbered: the first packet of a
// new source is mapped onto the leg's own stream, and its followers keep
// their distance from it, so the phone sees the sender's gaps (loss) and
// order as they were, under the leg's SSRC, continuing where prompts left off.
struct RelayMapping {
  bool mapped = false;
  std::uint32_t source_ssrc = 0;
  std::uint16_t sequence_offset = 0;
  std::uint32_t timestamp_offset = 0;
};

struct Leg {
  LegId id = 0;
  int fd = -1;
  std::uint16_t port = 0;
  uv_poll_t poll{};
  bool closing = false;

  bool has_remote = false;
  sockaddr_in remote{};  // from the SDP until the first packet, then its source
  bool latched = false;
  Codec codec = Codec::pcmu;
  int telephone_event_type = -1;  // -1: the peer did not offer RFC 4733

  OutgoingStream out;
  Playback playback;
  std::uint64_t play_generation = 0;  // bumps on play/stop, so late loads are ignored
  std::unique_ptr<PendingPlay> pending_play;

  TelephoneEventDetector dtmf;
  std::unique_ptr<Recorder> recorder;

  Leg* peer = nullptr;  // the bridged leg
  std::shared_ptr<Mixer> mixer;  // the mix the leg is in, shared by its legs; null when none
  bool mix_start_of_spurt = true;  // the first mixed frame is marked
  RelayMapping relay_in;  // for packets relayed into this leg
  std::shared_ptr<StereoRecorder> stereo;  // shared with the peer
  int stereo_channel = 0;
  LegId stereo_owner = 0;  // leg a of the bridge: recording_done goes to it
  // record_call: left, what this leg's phone sends; right, what the host
  // sends it, whichever path that takes (relay, mix, prompts).
  std::unique_ptr<StereoRecorder> call_recording;

  // Symmetric RTP: accepts the first packet from anywhere once the peer's
  // SDP is known, and from then on only packets from that source.
  bool accept_from(const sockaddr_in& source);
  // Where the host sends; null until set_remote.
  const sockaddr_in* destination() const { return has_remote ? &remote : nullptr; }
};

bool same_address(const sockaddr_in& a, const sockaddr_in& b);

}  // namespace hotline::sip::media
