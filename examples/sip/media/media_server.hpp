// The SIP host's media plane: RTP legs on UDP ports of their own, G.711
// (PCMU and PCMA), prompts from WAV files and espeak-ng, music on hold,
// RFC 4733 telephone events, recordings, and the relay that bridges two legs.
//
// It runs on a thread of its own (its own libuv loop), so a burst of RTP never
// delays SIP signalling or the engine. Every public member is thread-safe:
// calls queue a request to the media thread and return at once (open_leg
// alone answers synchronously, because the SDP needs the port). What the media
// thread learns (a key pressed, a prompt list finished, a recording written)
// comes back through MediaEvents, called on the media thread; the host hands
// it on to its own thread.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace hotline::sip::media {

// A leg is one RTP stream between the host and one phone; the host names it.
using LegId = std::uint64_t;

// Who hears whom among the legs of one conversation: for each leg, the legs
// it hears. A leg heard by nobody is muted; a leg that hears nobody is sent
// nothing.
using MixPlan = std::map<LegId, std::vector<LegId>>;

// RTP payload types of the codecs the host speaks (static, RFC 3551).
enum class Codec : std::uint8_t { pcmu = 0, pcma = 8 };

struct MediaConfig {
  std::string rtp_address = "127.0.0.1";  // where legs bind and what SDP offers
  std::uint16_t port_min = 20000;         // even ports from this range, one per leg
  std::uint16_t port_max = 29999;
  std::filesystem::path audio_root;       // {"audio": "x.wav"} prompts resolve here
  std::filesystem::path cache_dir;        // rendered tts prompts, one WAV per text and voice
  std::filesystem::path recordings_dir;   // record() and bridge() recordings land here
  std::string tts_voice = "en";           // espeak-ng voice for {"tts": ...} prompts
};

// One item of a play request: a WAV file under audio_root, or text to speak.
struct Prompt {
  enum class Kind { audio, tts } kind = Kind::audio;
  std::string value;
};

struct RecordingResult {
  std::filesystem::path path;  // the WAV written (8 kHz, 16-bit)
  std::int64_t duration_ms = 0;
  bool ok = true;  // false: nothing usable was written; `error` says why
  std::string error;
  char finish_key = 0;  // the key that ended the recording; 0 when something else did
  // A call's stereo recording (record_call, or a bridge's), not a record() of one leg.
  bool call_recording = false;
};

// Called on the media thread. Each may be empty; none may throw.
struct MediaEvents {
  void (*digit)(void* user, LegId leg, char key) = nullptr;          // RFC 4733, once per key
  void (*playback_done)(void* user, LegId leg, bool ok, const std::string& error) = nullptr;
  void (*recording_done)(void* user, LegId leg, const RecordingResult& result) = nullptr;
  void* user = nullptr;
};

struct LocalEndpoint {
  std::string address;  // for the SDP's c= line
  std::uint16_t port = 0;
};

struct MediaStats {
  std::uint64_t packets_received = 0;
  std::uint64_t packets_relayed = 0;       // forwarded from one bridged leg to the other
  std::uint64_t packets_mixed = 0;         // sums sent to listeners of a mix
  std::uint64_t packets_sent = 0;          // generated (prompts, music on hold)
  std::uint64_t packets_dropped_stranger = 0;  // from an address that is not the leg's peer
  std::uint64_t legs_open = 0;
  std::uint64_t packets_dropped_malformed = 0;  // shorter than an RTP header, not v2, oversized
  std::uint64_t tts_renders = 0;               // espeak-ng runs (a cached text costs none)
};

class MediaServer {
 public:
  // Starts the media thread. Fails (with `error` saying why) when the port
  // range is empty or the directories cannot be used.
  static std::unique_ptr<MediaServer> start(const MediaConfig& config, const MediaEvents& events,
                                            std::string* error);
  virtual ~MediaServer() = default;  // stops the thread, closes every leg

  // Binds a UDP port for `leg`. Empty optional-like result (port 0) and
  // `error` when the range is exhausted.
  virtual LocalEndpoint open_leg(LegId leg, std::string* error) = 0;
  // The peer's address and codec from its SDP. Until the first packet
  // arrives, media goes to this address; after it, to where the peer's
  // packets come from (symmetric RTP). Packets from any other address are
  // dropped and counted.
  virtual void set_remote(LegId leg, const sockaddr_in& remote, Codec codec,
                          int telephone_event_payload_type) = 0;
  virtual void close_leg(LegId leg) = 0;

  // Plays the prompts in order (tts rendered once and cached), then reports
  // playback_done; with `loop`, repeats until stop_playback (music on hold)
  // and reports nothing. A new play replaces the current one, and neither a
  // replaced nor a stopped play reports. A prompt that cannot be loaded, or a
  // play to a bridged or mixed leg, reports playback_done(ok=false) with the reason.
  virtual void play(LegId leg, std::vector<Prompt> prompts, bool loop) = 0;
  virtual void stop_playback(LegId leg) = 0;

  // Records what the leg's phone sends to a mono WAV until max_ms, the
  // finish key (0: none), stop_recording or close_leg; then recording_done.
  // The finish key is not recorded and not reported as a digit: it comes back
  // as RecordingResult::finish_key. A relative `file` lands under
  // recordings_dir; a path outside it is refused (recording_done, ok=false).
  virtual void record(LegId leg, std::filesystem::path file, std::int64_t max_ms,
                      char finish_key) = 0;
  virtual void stop_recording(LegId leg) = 0;

  // Relays RTP between the two legs (transcoding when their codecs differ),
  // stopping any playback on them. With a file, both directions are written
  // to a stereo WAV (left: `a`, right: `b`) until unbridge or a leg closes.
  virtual void bridge(LegId a, LegId b, std::filesystem::path stereo_recording) = 0;
  virtual void unbridge(LegId a) = 0;
  // Pauses or resumes the leg's record_call recording and the stereo
  // recording of the bridge it is in (no effect without either).
  virtual void pause_call_recording(LegId leg, bool paused) = 0;

  // Records the call as the caller lives it, to a stereo WAV: left is what
  // the caller's phone sends, right is what the host sends that phone (the
  // agent in a bridge, the sum the caller hears in a mix, music on hold and
  // prompts; silence while it is sent nothing). It runs through bridges,
  // mixes, holds and unbridges alike, until stop_call_recording or the leg
  // closes; then recording_done (call_recording) for the leg. Whisper and
  // monitor legs, which the caller does not hear, are not in it. A new
  // record_call ends the leg's recording under way first.
  virtual void record_call(LegId caller, std::filesystem::path file) = 0;
  virtual void stop_call_recording(LegId caller) = 0;

  // Puts the plan's legs into one mix, taking each out of any bridge or mix
  // it was in and stopping its playback. Two legs that hear each other and
  // nobody else are bridged instead (the relay: no decoding). Otherwise every
  // 20 ms each listener is sent the sum of what the legs it hears sent
  // (see mixer.hpp). A leg the plan names that is not open is left out.
  virtual void mix(MixPlan plan) = 0;
  // Takes the leg out of its bridge or mix; a mix keeps its other legs.
  virtual void unmix(LegId leg) = 0;

  virtual MediaStats stats() const = 0;
};

}  // namespace hotline::sip::media
