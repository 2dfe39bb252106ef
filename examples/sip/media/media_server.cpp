#include "media_server.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>
#include <random>
#include <system_error>
#include <unordered_map>
#include <unordered_set>

#include "audio_clip.hpp"
#include "g711.hpp"
#include "media_thread.hpp"
#include "mixer.hpp"
#include "port_pool.hpp"
#include "prompt_loader.hpp"
#include "relay.hpp"
#include "rtp_leg.hpp"
#include "rtp_packet.hpp"

namespace hotline::sip::media {
namespace {

constexpr std::size_t kBatch = 32;  // packets per recvmmsg / sendmmsg call
// Bigger than any sane RTP packet on a LAN or the Internet; a datagram that
// does not fit is truncated by the kernel, seen as such, and dropped.
constexpr std::size_t kMaxPacket = 2048;
constexpr std::uint64_t kTickMs = 20;
// Batches read per readiness: enough to empty a busy socket, few enough that
// one flooded leg cannot starve the others.
constexpr int kMaxBatchesPerWakeup = 4;
// Frames a playing leg may send at once to catch up after a stalled loop;
// beyond that the lost time is skipped rather than sent as a burst.
constexpr std::uint64_t kMaxCatchUpFrames = 3;

class MediaServerImpl final : public MediaServer {
 public:
  MediaServerImpl(const MediaConfig& config, const MediaEvents& events)
      : config_(config),
        events_(events),
        ports_(config.rtp_address, config.port_min, config.port_max),
        random_(std::random_device{}()) {}

  ~MediaServerImpl() override {
    thread_.stop([this] { shutdown(); });
  }

  bool start(std::string* error) {
    in_addr address{};
    if (inet_pton(AF_INET, config_.rtp_address.c_str(), &address) != 1) {
      *error = "rtp_address '" + config_.rtp_address + "' is not an IPv4 address";
      return false;
    }
    if (ports_.capacity() == 0) {
      *error = "the RTP port range " + std::to_string(config_.port_min) + "-" +
               std::to_string(config_.port_max) + " holds no even port";
      return false;
    }
    if (!config_.audio_root.empty() && !std::filesystem::is_directory(config_.audio_root)) {
      *error = "audio_root '" + config_.audio_root.string() + "' is not a directory";
      return false;
    }
    for (const auto* dir : {&config_.cache_dir, &config_.recordings_dir}) {
      if (dir->empty()) continue;
      std::error_code failure;
      std::filesystem::create_directories(*dir, failure);
      if (failure || !std::filesystem::is_directory(*dir)) {
        *error = "cannot use directory '" + dir->string() + "': " +
                 (failure ? failure.message() : "not a directory");
        return false;
      }
    }
    return thread_.start([this] { on_thread_start(); }, error);
  }

  LocalEndpoint open_leg(LegId leg, std::string* error) override {
    {
      std::lock_guard<std::mutex> lock(ids_mutex_);
      if (open_ids_.count(leg) != 0) {
        *error = "leg " + std::to_string(leg) + " is already open";
        return {};
      }
      BoundSocket socket = ports_.bind(error);
      if (socket.fd < 0) return {};
      open_ids_.insert(leg);
      legs_open_.fetch_add(1, std::memory_order_relaxed);
      thread_.post([this, leg, socket] { adopt(leg, socket); });
      return {config_.rtp_address, socket.port};
    }
  }

  void set_remote(LegId leg, const sockaddr_in& remote, Codec codec,
                  int telephone_event_payload_type) override {
    thread_.post([=] {
      Leg* found = find(leg);
      if (found == nullptr) return;
      found->has_remote = true;
      found->latched = false;  // a new SDP (re-INVITE) is learned afresh
      found->remote = remote;
      found->codec = codec;
      found->telephone_event_type = telephone_event_payload_type >= 0 &&
                                            telephone_event_payload_type < 128
                                        ? telephone_event_payload_type
                                        : -1;
    });
  }

  void close_leg(LegId leg) override {
    {
      std::lock_guard<std::mutex> lock(ids_mutex_);
      if (open_ids_.erase(leg) == 0) return;
    }
    thread_.post([this, leg] {
      if (Leg* found = find(leg)) close(*found);
    });
  }

  void play(LegId leg, std::vector<Prompt> prompts, bool loop) override {
    thread_.post([this, leg, prompts = std::move(prompts), loop] {
      if (Leg* found = find(leg)) start_play(*found, prompts, loop);
    });
  }

  void stop_playback(LegId leg) override {
    thread_.post([this, leg] {
      if (Leg* found = find(leg)) stop_play(*found);
    });
  }

  void record(LegId leg, std::filesystem::path file, std::int64_t max_ms,
              char finish_key) override {
    thread_.post([this, leg, file = std::move(file), max_ms, finish_key] {
      if (Leg* found = find(leg)) start_recording(*found, file, max_ms, finish_key);
    });
  }

  void stop_recording(LegId leg) override {
    thread_.post([this, leg] {
      Leg* found = find(leg);
      if (found != nullptr && found->recorder) finish_recording(*found, 0);
    });
  }

  void bridge(LegId a, LegId b, std::filesystem::path stereo_recording) override {
    thread_.post([this, a, b, file = std::move(stereo_recording)] { join(a, b, file); });
  }

  void unbridge(LegId a) override {
    thread_.post([this, a] {
      if (Leg* found = find(a)) split(*found);
    });
  }

  void pause_call_recording(LegId leg, bool paused) override {
    thread_.post([this, leg, paused] {
      Leg* found = find(leg);
      if (found == nullptr) return;
      if (found->stereo) found->stereo->set_paused(paused);
      if (found->call_recording) found->call_recording->set_paused(paused);
    });
  }

  void record_call(LegId caller, std::filesystem::path file) override {
    thread_.post([this, caller, file = std::move(file)] {
      if (Leg* found = find(caller)) start_call_recording(*found, file);
    });
  }

  void stop_call_recording(LegId caller) override {
    thread_.post([this, caller] {
      if (Leg* found = find(caller)) finish_call_recording(*found);
    });
  }

  void mix(MixPlan plan) override {
    thread_.post([this, plan = std::move(plan)] { start_mix(plan); });
  }

  void unmix(LegId leg) override {
    thread_.post([this, leg] {
      if (Leg* found = find(leg)) {
        split(*found);
        leave_mix(*found);
      }
    });
  }

  MediaStats stats() const override {
    MediaStats stats;
    stats.packets_received = received_.load(std::memory_order_relaxed);
    stats.packets_relayed = relayed_.load(std::memory_order_relaxed);
    stats.packets_mixed = mixed_.load(std::memory_order_relaxed);
    stats.packets_sent = sent_.load(std::memory_order_relaxed);
    stats.packets_dropped_stranger = dropped_stranger_.load(std::memory_order_relaxed);
    stats.packets_dropped_malformed = dropped_malformed_.load(std::memory_order_relaxed);
    stats.legs_open = legs_open_.load(std::memory_order_relaxed);
    stats.tts_renders = tts_renders_.load(std::memory_order_relaxed);
    return stats;
  }

 private:
  // ---- media thread from here on ----

  void on_thread_start() {
    uv_loop_t* loop = thread_.loop();
    loop->data = this;
    loader_ = std::make_unique<PromptLoader>(loop, config_.audio_root, config_.cache_dir,
                                             config_.tts_voice, &tts_renders_);
    uv_timer_init(loop, &tick_timer_);
    tick_timer_.data = this;
    tick_origin_ms_ = uv_now(loop);
    arm_tick();
    for (std::size_t i = 0; i < kBatch; ++i) {
      receive_iov_[i] = {receive_buffers_[i].data(), kMaxPacket};
      send_messages_[i].msg_hdr.msg_iov = &send_iov_[i];
      send_messages_[i].msg_hdr.msg_iovlen = 1;
    }
  }

  void shutdown() {
    while (!legs_.empty()) close(*legs_.begin()->second);
    uv_close(reinterpret_cast<uv_handle_t*>(&tick_timer_), nullptr);
  }

  static MediaServerImpl* owner(uv_handle_t* handle) {
    return static_cast<MediaServerImpl*>(handle->loop->data);
  }

  Leg* find(LegId id) {
    auto found = legs_.find(id);
    return found == legs_.end() ? nullptr : found->second;
  }

  void adopt(LegId id, BoundSocket socket) {
    auto* leg = new Leg();
    leg->id = id;
    leg->fd = socket.fd;
    leg->port = socket.port;
    leg->out.ssrc = static_cast<std::uint32_t>(random_());
    leg->out.next_sequence = static_cast<std::uint16_t>(random_());
    leg->out.next_timestamp = static_cast<std::uint32_t>(random_());
    uv_poll_init_socket(thread_.loop(), &leg->poll, socket.fd);
    leg->poll.data = leg;
    uv_poll_start(&leg->poll, UV_READABLE, &MediaServerImpl::on_readable);
    legs_[id] = leg;
  }

  void close(Leg& leg) {
    split(leg);
    leave_mix(leg);
    if (leg.recorder) finish_recording(leg, 0);
    finish_call_recording(leg);
    leg.playback = Playback{};
    leg.pending_play.reset();
    ++leg.play_generation;
    legs_.erase(leg.id);
    leg.closing = true;
    uv_poll_stop(&leg.poll);
    uv_close(reinterpret_cast<uv_handle_t*>(&leg.poll), [](uv_handle_t* handle) {
      auto* closed = static_cast<Leg*>(handle->data);
      MediaServerImpl* self = owner(handle);
      ::close(closed->fd);
      self->ports_.release(closed->port);
      self->legs_open_.fetch_sub(1, std::memory_order_relaxed);
      delete closed;
    });
  }

  // ---- receiving ----

  static void on_readable(uv_poll_t* poll, int status, int /*events*/) {
    auto* leg = static_cast<Leg*>(poll->data);
    if (status < 0 || leg->closing) return;
    owner(reinterpret_cast<uv_handle_t*>(poll))->receive(*leg);
  }

  void receive(Leg& leg) {
    for (int round = 0; round < kMaxBatchesPerWakeup; ++round) {
      for (std::size_t i = 0; i < kBatch; ++i) {
        msghdr& header = receive_messages_[i].msg_hdr;
        header = msghdr{};
        header.msg_name = &receive_sources_[i];
        header.msg_namelen = sizeof(sockaddr_in);
        header.msg_iov = &receive_iov_[i];
        header.msg_iovlen = 1;
      }
      int count = ::recvmmsg(leg.fd, receive_messages_.data(), kBatch, MSG_DONTWAIT, nullptr);
      if (count <= 0) return;
      received_.fetch_add(static_cast<std::uint64_t>(count), std::memory_order_relaxed);
      std::size_t outgoing = 0;
      for (int i = 0; i < count; ++i) {
        const mmsghdr& message = receive_messages_[static_cast<std::size_t>(i)];
        std::uint8_t* data = receive_buffers_[static_cast<std::size_t>(i)].data();
        if ((message.msg_hdr.msg_flags & MSG_TRUNC) != 0) {
          dropped_malformed_.fetch_add(1, std::memory_order_relaxed);
          continue;
        }
        if (handle_packet(leg, data, message.msg_len,
                          receive_sources_[static_cast<std::size_t>(i)])) {
          send_iov_[outgoing] = {data, message.msg_len};
          ++outgoing;
        }
      }
      if (outgoing > 0) send_relayed(*leg.peer, outgoing);
      if (static_cast<std::size_t>(count) < kBatch) return;
    }
  }

  // True when the packet, rewritten in place, is to be relayed to leg.peer.
  bool handle_packet(Leg& leg, std::uint8_t* data, std::size_t size, const sockaddr_in& source) {
    RtpView view;
    if (!parse_rtp(data, size, &view)) {
      dropped_malformed_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    if (!leg.accept_from(source)) {
      dropped_stranger_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    const std::uint8_t* payload = data + view.payload_offset;
    bool bridged = leg.peer != nullptr && leg.peer->destination() != nullptr;
    if (leg.telephone_event_type >= 0 && view.payload_type == leg.telephone_event_type) {
      // Keys are read on every leg, bridged or not: an agent's keys during a
      // call may be in-call codes (conference, mute), which only the host can
      // tell. A bridged leg's events still reach its peer as the phone sent them.
      std::optional<char> key = leg.dtmf.on_packet(view.timestamp, payload, view.payload_size);
      if (key && leg.recorder && leg.recorder->finish_key() != 0 &&
          leg.recorder->finish_key() == *key) {
        finish_recording(leg, *key);
      } else if (key && events_.digit != nullptr) {
        events_.digit(events_.user, leg.id, *key);
      }
      return leg.peer != nullptr && bridged && prepare_relay(leg, *leg.peer, data, view);
    }
    // Either law is taken, whichever the SDP chose: a phone may send any
    // format it offered, and decoding by the packet's own type costs nothing.
    std::optional<Codec> law = g711_codec_of(view.payload_type);
    if (!law) return false;  // comfort noise, video, anything unnegotiated
    if (leg.mixer) {
      leg.mixer->take(leg.id, *law, payload, view.payload_size);
    }
    // What the bridged peer's recorded call hears is what this leg relays to it.
    StereoRecorder* peer_call =
        leg.peer != nullptr && leg.peer->call_recording ? leg.peer->call_recording.get() : nullptr;
    if (leg.recorder || leg.stereo || leg.call_recording || peer_call != nullptr) {
      std::size_t count = std::min(view.payload_size, decoded_.size());
      g711_decode(*law, payload, count, decoded_.data());
      if (leg.recorder) {
        leg.recorder->on_audio(view.timestamp, decoded_.data(), count);
        if (leg.recorder->full()) finish_recording(leg, 0);
      }
      if (leg.stereo) leg.stereo->on_audio(leg.stereo_channel, decoded_.data(), count);
      if (leg.call_recording) leg.call_recording->on_audio(0, decoded_.data(), count);
      if (peer_call != nullptr) peer_call->on_audio(1, decoded_.data(), count);
    }
    return bridged && prepare_relay(leg, *leg.peer, data, view);
  }

  void send_relayed(Leg& to, std::size_t count) {
    const sockaddr_in* destination = to.destination();
    for (std::size_t i = 0; i < count; ++i) {
      msghdr& header = send_messages_[i].msg_hdr;
      header.msg_name = const_cast<sockaddr_in*>(destination);
      header.msg_namelen = sizeof(sockaddr_in);
      header.msg_iov = &send_iov_[i];
      header.msg_iovlen = 1;
    }
    std::size_t done = 0;
    while (done < count) {
      int sent = ::sendmmsg(to.fd, send_messages_.data() + done,
                            static_cast<unsigned>(count - done), MSG_DONTWAIT);
      if (sent <= 0) break;  // a full socket buffer: the rest is lost, like on the wire
      done += static_cast<std::size_t>(sent);
    }
    relayed_.fetch_add(done, std::memory_order_relaxed);
  }

  // ---- the 20 ms tick: prompts, recordings' deadlines, stereo alignment ----

  void arm_tick() {
    std::uint64_t next = tick_origin_ms_ + (tick_count_ + 1) * kTickMs;
    std::uint64_t now = uv_now(thread_.loop());
    uv_timer_start(&tick_timer_, &MediaServerImpl::on_tick, next > now ? next - now : 0, 0);
  }

  static void on_tick(uv_timer_t* timer) {
    static_cast<MediaServerImpl*>(timer->data)->tick();
  }

  // One timer for every leg, re-armed on a fixed 20 ms grid so pacing does
  // not drift with the loop's latency.
  void tick() {
    std::uint64_t now = uv_now(thread_.loop());
    std::uint64_t elapsed = (now - tick_origin_ms_) / kTickMs;
    std::uint64_t frames = elapsed > tick_count_ ? elapsed - tick_count_ : 0;
    tick_count_ = std::max(tick_count_, elapsed);
    finishing_.clear();
    for (auto& [id, leg] : legs_) {
      if (leg->playback.active) send_playback(*leg);
      if (leg->stereo && leg->stereo_channel == 0) leg->stereo->on_tick(frames);
      if (leg->call_recording) leg->call_recording->on_tick(frames);
      if (leg->recorder && leg->recorder->overdue(now)) finishing_.push_back(leg);
    }
    for (const auto& mixer : mixers_) send_mix(*mixer);
    // Finished outside the walk: recording_done may call back into the host.
    for (Leg* leg : finishing_) finish_recording(*leg, 0);
    for (Leg* leg : playback_finished_) {
      if (events_.playback_done != nullptr) events_.playback_done(events_.user, leg->id, true, {});
    }
    playback_finished_.clear();
    arm_tick();
  }

  void send_playback(Leg& leg) {
    Playback& playback = leg.playback;
    std::uint64_t due = tick_count_ - playback.last_tick;
    playback.last_tick = tick_count_;
    const sockaddr_in* destination = leg.destination();
    for (std::uint64_t frame = 0; frame < due && playback.active; ++frame) {
      if (frame >= kMaxCatchUpFrames) {
        // Time the loop lost is skipped; the timestamp still says it passed.
        leg.out.next_timestamp += static_cast<std::uint32_t>((due - frame) * kFrameSamples);
        break;
      }
      std::array<std::int16_t, kFrameSamples> pcm{};
      fill_frame(playback, pcm.data());
      if (leg.call_recording) leg.call_recording->on_audio(1, pcm.data(), pcm.size());
      if (destination != nullptr) {
        std::array<std::uint8_t, kRtpHeaderSize + kFrameSamples> packet;
        write_rtp_header(packet.data(), static_cast<std::uint8_t>(leg.codec),
                         playback.start_of_spurt, leg.out.next_sequence,
                         leg.out.next_timestamp, leg.out.ssrc);
        g711_encode(leg.codec, pcm.data(), kFrameSamples, packet.data() + kRtpHeaderSize);
        ssize_t sent = ::sendto(leg.fd, packet.data(), packet.size(), MSG_DONTWAIT,
                                reinterpret_cast<const sockaddr*>(destination),
                                sizeof(sockaddr_in));
        if (sent > 0) sent_.fetch_add(1, std::memory_order_relaxed);
        playback.start_of_spurt = false;
      }
      ++leg.out.next_sequence;
      leg.out.next_timestamp += kFrameSamples;
      if (playback.clip_index >= playback.clips.size()) {
        playback = Playback{};
        playback_finished_.push_back(&leg);
      }
    }
  }

  // One frame to each listener of the mix: the sum of what it hears.
  void send_mix(Mixer& mixer) {
    mixer.begin_tick();
    for (LegId id : mixer.legs()) {
      Leg* leg = find(id);
      if (leg == nullptr) continue;
      Frame sum;
      if (!mixer.sum_for(id, sum)) continue;
      if (leg->call_recording) leg->call_recording->on_audio(1, sum.data(), sum.size());
      std::array<std::uint8_t, kRtpHeaderSize + kFrameSamples> packet;
      g711_encode(leg->codec, sum.data(), kFrameSamples, packet.data() + kRtpHeaderSize);
      if (const sockaddr_in* destination = leg->destination()) {
        write_rtp_header(packet.data(), static_cast<std::uint8_t>(leg->codec),
                         leg->mix_start_of_spurt, leg->out.next_sequence,
                         leg->out.next_timestamp, leg->out.ssrc);
        ssize_t sent = ::sendto(leg->fd, packet.data(), packet.size(), MSG_DONTWAIT,
                                reinterpret_cast<const sockaddr*>(destination),
                                sizeof(sockaddr_in));
        if (sent > 0) mixed_.fetch_add(1, std::memory_order_relaxed);
        leg->mix_start_of_spurt = false;
      }
      ++leg->out.next_sequence;
      leg->out.next_timestamp += kFrameSamples;
    }
  }

  // Copies the next 160 samples of the playlist, wrapping round when it
  // loops; a last partial frame is padded with silence. Afterwards
  // clip_index is past the end exactly when a non-looping list is done.
  static void fill_frame(Playback& playback, std::int16_t* out) {
    std::size_t filled = 0;
    while (filled < kFrameSamples && playback.clip_index < playback.clips.size()) {
      const AudioClip& clip = *playback.clips[playback.clip_index];
      std::size_t take = std::min(kFrameSamples - filled, clip.size() - playback.sample_index);
      std::copy_n(clip.data() + playback.sample_index, take, out + filled);
      filled += take;
      playback.sample_index += take;
      if (playback.sample_index < clip.size()) continue;
      ++playback.clip_index;
      playback.sample_index = 0;
      if (playback.clip_index == playback.clips.size() && playback.loop) playback.clip_index = 0;
    }
  }

  // ---- prompts ----

  void start_play(Leg& leg, const std::vector<Prompt>& prompts, bool loop) {
    std::uint64_t generation = ++leg.play_generation;
    leg.playback = Playback{};
    leg.pending_play.reset();
    if (leg.peer != nullptr || leg.mixer) {
      report_playback(leg, false, "leg " + std::to_string(leg.id) + " is " +
                                      (leg.mixer ? "mixed" : "bridged") +
                                      ": unmix it before playing to it");
      return;
    }
    if (prompts.empty()) {
      report_playback(leg, true, {});
      return;
    }
    leg.pending_play = std::make_unique<PendingPlay>();
    leg.pending_play->clips.resize(prompts.size());
    leg.pending_play->missing = prompts.size();
    leg.pending_play->loop = loop;
    LegId id = leg.id;
    for (std::size_t i = 0; i < prompts.size(); ++i) {
      loader_->load(prompts[i], [this, id, generation, i](SharedClip clip,
                                                          const std::string& error) {
        on_prompt_loaded(id, generation, i, std::move(clip), error);
      });
      Leg* still = find(id);
      if (still == nullptr || still->play_generation != generation) return;
    }
  }

  void on_prompt_loaded(LegId id, std::uint64_t generation, std::size_t index, SharedClip clip,
                        const std::string& error) {
    Leg* leg = find(id);
    if (leg == nullptr || leg->play_generation != generation || !leg->pending_play) return;
    if (!clip) {
      leg->pending_play.reset();
      ++leg->play_generation;  // the play's other loads land nowhere
      report_playback(*leg, false, error);
      return;
    }
    PendingPlay& pending = *leg->pending_play;
    pending.clips[index] = std::move(clip);
    if (--pending.missing > 0) return;
    std::size_t samples = 0;
    for (const SharedClip& loaded : pending.clips) samples += loaded->size();
    if (samples == 0) {  // nothing to send (and a loop of nothing would never end)
      leg->pending_play.reset();
      report_playback(*leg, true, {});
      return;
    }
    Playback& playback = leg->playback;
    playback = Playback{};
    playback.active = true;
    playback.loop = pending.loop;
    playback.clips = std::move(pending.clips);
    playback.last_tick = tick_count_;  // the first frame leaves on the next tick
    leg->pending_play.reset();
  }

  void stop_play(Leg& leg) {
    ++leg.play_generation;
    leg.pending_play.reset();
    leg.playback = Playback{};
  }

  void report_playback(Leg& leg, bool ok, const std::string& error) {
    if (events_.playback_done != nullptr) events_.playback_done(events_.user, leg.id, ok, error);
  }

  // ---- recordings ----

  // A recording's file: a name already under recordings_dir (absolute, or
  // relative to the working directory like the directory itself) is taken as
  // it is; any other relative name is placed under the directory; nothing
  // may land outside it.
  std::filesystem::path recording_path(const std::filesystem::path& file, std::string* error) {
    if (config_.recordings_dir.empty()) {
      *error = "no recordings_dir is configured";
      return {};
    }
    std::filesystem::path normal = file.lexically_normal();
    std::filesystem::path inside = normal.lexically_relative(
        config_.recordings_dir.lexically_normal());
    if (!inside.empty() && *inside.begin() != ".." && inside != ".") return normal;
    if (file.is_absolute()) {
      *error = "'" + file.string() + "' is outside recordings_dir";
      return {};
    }
    return resolve_under(config_.recordings_dir, file.string(), error);
  }

  void start_recording(Leg& leg, const std::filesystem::path& file, std::int64_t max_ms,
                       char finish_key) {
    if (leg.recorder) finish_recording(leg, 0);
    std::string error;
    std::filesystem::path path = recording_path(file, &error);
    if (!path.empty()) {
      leg.recorder = Recorder::open(path, max_ms, finish_key, uv_now(thread_.loop()), &error);
    }
    if (!leg.recorder) {
      RecordingResult failed;
      failed.path = path.empty() ? file : path;
      failed.ok = false;
      failed.error = "recording for leg " + std::to_string(leg.id) + " refused: " + error;
      if (events_.recording_done != nullptr) events_.recording_done(events_.user, leg.id, failed);
    }
  }

  void finish_recording(Leg& leg, char by_key) {
    RecordingResult result = leg.recorder->finish(by_key);
    leg.recorder.reset();
    if (events_.recording_done != nullptr) events_.recording_done(events_.user, leg.id, result);
  }

  void start_call_recording(Leg& leg, const std::filesystem::path& file) {
    finish_call_recording(leg);
    std::string error;
    std::filesystem::path path = recording_path(file, &error);
    if (!path.empty()) leg.call_recording = StereoRecorder::open(path, &error);
    if (leg.call_recording) return;
    RecordingResult failed;
    failed.path = path.empty() ? file : path;
    failed.ok = false;
    failed.error = "call recording for leg " + std::to_string(leg.id) + " refused: " + error;
    failed.call_recording = true;
    if (events_.recording_done != nullptr) events_.recording_done(events_.user, leg.id, failed);
  }

  void finish_call_recording(Leg& leg) {
    std::unique_ptr<StereoRecorder> recorder = std::move(leg.call_recording);
    if (!recorder) return;
    RecordingResult result = recorder->finish();
    if (events_.recording_done != nullptr) events_.recording_done(events_.user, leg.id, result);
  }

  // ---- bridging ----

  void join(LegId a_id, LegId b_id, const std::filesystem::path& file) {
    Leg* a = find(a_id);
    Leg* b = find(b_id);
    if (a == nullptr || b == nullptr || a == b) return;
    split(*a);
    split(*b);
    leave_mix(*a);
    leave_mix(*b);
    stop_play(*a);
    stop_play(*b);
    a->peer = b;
    b->peer = a;
    a->relay_in = RelayMapping{};
    b->relay_in = RelayMapping{};
    if (file.empty()) return;
    std::string error;
    std::filesystem::path path = recording_path(file, &error);
    std::shared_ptr<StereoRecorder> recorder;
    if (!path.empty()) recorder = StereoRecorder::open(path, &error);
    if (!recorder) {
      RecordingResult failed;
      failed.path = path.empty() ? file : path;
      failed.ok = false;
      failed.error = "bridge recording refused: " + error;
      failed.call_recording = true;
      if (events_.recording_done != nullptr) events_.recording_done(events_.user, a_id, failed);
      return;
    }
    a->stereo = recorder;
    a->stereo_channel = 0;
    b->stereo = recorder;
    b->stereo_channel = 1;
    a->stereo_owner = b->stereo_owner = a_id;
  }

  void split(Leg& leg) {
    Leg* peer = leg.peer;
    if (peer == nullptr) return;
    leg.peer = nullptr;
    peer->peer = nullptr;
    std::shared_ptr<StereoRecorder> recorder = std::move(leg.stereo);
    peer->stereo.reset();
    if (recorder) {
      RecordingResult result = recorder->finish();
      if (events_.recording_done != nullptr) {
        events_.recording_done(events_.user, leg.stereo_owner, result);
      }
    }
  }

  // ---- mixing ----

  void start_mix(const MixPlan& plan) {
    MixPlan open;  // the plan without the legs that are not (or no longer) open
    for (const auto& [listener, heard] : plan) {
      if (find(listener) == nullptr) continue;
      std::vector<LegId>& kept = open[listener];
      for (LegId source : heard) {
        if (find(source) != nullptr) kept.push_back(source);
      }
    }
    auto mixer = std::make_shared<Mixer>(std::move(open));
    for (LegId id : mixer->legs()) {
      Leg* leg = find(id);
      split(*leg);
      leave_mix(*leg);
      stop_play(*leg);
    }
    LegId a = 0;
    LegId b = 0;
    if (is_plain_pair(mixer->plan(), &a, &b)) {
      join(a, b, {});
      return;
    }
    if (mixer->legs().empty()) return;
    for (LegId id : mixer->legs()) {
      Leg* leg = find(id);
      leg->mixer = mixer;
      leg->mix_start_of_spurt = true;
    }
    mixers_.push_back(std::move(mixer));
  }

  void leave_mix(Leg& leg) {
    std::shared_ptr<Mixer> mixer = std::move(leg.mixer);
    if (!mixer) return;
    mixer->remove(leg.id);
    if (!mixer->legs().empty()) return;
    mixers_.erase(std::remove(mixers_.begin(), mixers_.end(), mixer), mixers_.end());
  }

  MediaConfig config_;
  MediaEvents events_;
  PortPool ports_;
  MediaThread thread_;
  std::mt19937 random_;  // media thread only

  std::mutex ids_mutex_;
  std::unordered_set<LegId> open_ids_;

  std::atomic<std::uint64_t> received_{0};
  std::atomic<std::uint64_t> relayed_{0};
  std::atomic<std::uint64_t> mixed_{0};
  std::atomic<std::uint64_t> sent_{0};
  std::atomic<std::uint64_t> dropped_stranger_{0};
  std::atomic<std::uint64_t> dropped_malformed_{0};
  std::atomic<std::uint64_t> legs_open_{0};
  std::atomic<std::uint64_t> tts_renders_{0};

  std::unique_ptr<PromptLoader> loader_;
  std::unordered_map<LegId, Leg*> legs_;
  uv_timer_t tick_timer_{};
  std::uint64_t tick_origin_ms_ = 0;
  std::uint64_t tick_count_ = 0;
  std::vector<Leg*> finishing_;
  std::vector<Leg*> playback_finished_;
  std::vector<std::shared_ptr<Mixer>> mixers_;

  // Preallocated once: the receive and relay path allocates nothing.
  std::array<std::array<std::uint8_t, kMaxPacket>, kBatch> receive_buffers_{};
  std::array<mmsghdr, kBatch> receive_messages_{};
  std::array<iovec, kBatch> receive_iov_{};
  std::array<sockaddr_in, kBatch> receive_sources_{};
  std::array<mmsghdr, kBatch> send_messages_{};
  std::array<iovec, kBatch> send_iov_{};
  std::array<std::int16_t, kMaxPacket> decoded_{};
};

}  // namespace

std::unique_ptr<MediaServer> MediaServer::start(const MediaConfig& config,
                                                const MediaEvents& events, std::string* error) {
  std::string ignored;
  if (error == nullptr) error = &ignored;
  try {
    auto server = std::make_unique<MediaServerImpl>(config, events);
    if (!server->start(error)) return nullptr;
    return server;
  } catch (const std::exception& failure) {
    *error = std::string("cannot start the media plane: ") + failure.what();
    return nullptr;
  }
}

}  // namespace hotline::sip::media
