#include "sip_host.hpp"

#include <re.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "call_keys.hpp"
#include "descriptor_budget.hpp"
#include "feature_codes.hpp"
#include "host_log.hpp"
#include "log_throttle.hpp"
#include "mailbox.hpp"
#include "recording_retention.hpp"
#include "refer_target.hpp"
#include "registrar.hpp"
#include "route_table.hpp"
#include "screen_pop.hpp"
#include "wire_text.hpp"

namespace hotline::sip {

using nlohmann::json;

namespace {

std::string text_of(const struct pl& p) { return std::string(p.p ? p.p : "", p.p ? p.l : 0); }

std::int64_t now_ms() { return hl_engine_now(); }

std::string address_of(const struct sa& address) {
  char text[64] = "";
  (void)sa_ntop(&address, text, sizeof text);
  return std::string(text) + ":" + std::to_string(sa_port(&address));
}

// How long a supervisor's INVITE waits for the engine to let them in.
constexpr std::uint64_t kEngineAnswerMs = 5000;
// How often recordings past media.keep_recordings_days are looked for.
constexpr std::uint64_t kRetentionSweepMs = 60 * 60 * 1000;

// How long a phone that transferred its call keeps its dialog after the
// final NOTIFY, so the NOTIFY arrives before the BYE (RFC 5589 leaves that
// BYE to the phone; one that does not send it gets the host's).
constexpr std::uint64_t kTransferorGraceMs = 1000;

constexpr const char* kAllow =
    "Allow: INVITE, ACK, CANCEL, BYE, INFO, OPTIONS, REGISTER, REFER\r\n";

}  // namespace

// One RTP stream and the SIP session that set it up: the caller's, or an
// agent's phone's.
struct Leg {
  SipHost::Impl* host = nullptr;
  std::uint64_t id = 0;  // also the media plane's LegId
  std::string call_id;
  bool agent = false;     // an outbound leg: an agent's phone, or a transfer's target
  bool transfer = false;  // the outbound leg of a blind transfer
  std::string agent_id;
  std::uint64_t reservation = 0;
  struct sipsess* sess = nullptr;
  struct sdp_session* sdp = nullptr;
  struct sdp_media* media = nullptr;
  struct mbuf* local_sdp = nullptr;
  bool established = false;
  bool answered = false;  // the host sent 200 (caller legs)
  // A conversation's leg beyond the caller and the agent who owns it: a
  // supervisor who called in by feature code, or a leg the engine dialled.
  bool party = false;
  std::string party_name;        // the leg's name in the engine's mix
  bool awaiting_engine = false;  // a supervisor's INVITE waiting for the engine's answer
  struct tmr engine_timer {};    // how long it waits
  bool held_by_phone = false;    // the agent's phone holds the call (sendonly or inactive)
  // The subscription a REFER from this phone opened (RFC 3515): the
  // transfer's outcome is sent to it as NOTIFY with a message/sipfrag body.
  struct sipnot* refer_notifier = nullptr;
  // The agent's second dialog: an INVITE placed while the agent's call is
  // held, taken as a consultation of the dialled target.
  bool consultation = false;
  // A leg the engine dialled for a queue's consultation still waiting for an
  // agent: if it answers first, it is the consulted party.
  bool consult_candidate = false;
  // Let go of (transferred): the dialog ends without telling the engine.
  bool leaving = false;
  // A party that became the call's owner (a take-over, a completed transfer):
  // its phone is the agent's from then on, though no offer rang it.
  bool adopted = false;
  std::optional<CallKeys> keys;  // in-call feature codes typed on this phone
};

struct Call {
  std::string id;
  std::uint64_t caller_leg = 0;
  std::uint64_t agent_leg = 0;  // ringing or talking; 0 when none
  std::string caller;
  std::string dialled;
  std::string queue_id;
  json customer;  // null when the caller is not known
  bool bridged = false;
  std::uint64_t transfer_leg = 0;  // a blind transfer's outbound leg
  bool detached = false;  // transferred: the engine is done with the call, the host is not
  std::map<std::string, std::uint64_t> parties;  // leg name -> leg, beyond caller and agent
  media::MixPlan plan;  // the engine's last mix; empty while it is the plain bridge
  bool held = false;    // the caller hears music on hold, out of the conversation
  bool hold_asked = false;  // the agent's phone asked the engine to hold, not yet resumed
  // Consultation from the agent's phone: the agent's second dialog, and the
  // engine's name of the leg it dialled for it.
  std::uint64_t consult_leg = 0;
  std::string consulted;
  // The consultation asked for a queue: the engine rings its agents, and the
  // first to answer is the consulted party.
  bool consult_queue = false;
  bool merged = false;        // the engine merged the consultation into a conference
  // The request id of the prompt list playing to the caller (not music on
  // hold), echoed in its prompt_done.
  std::uint64_t play_request = 0;
  bool owner_left = false;    // the engine let the owner go; the next mix names the new one
  bool agent_muted = false;   // the owner's mute code toggles this
  // Recording: wanted for the queue ($.media.record_queues) or by the
  // engine's record_control; the file under way (one from the bridge, or
  // from record_control start, to the call's end or stop, through holds and
  // mixes). A pause is the media plane's to keep, across holds and mixes.
  bool record_wanted = false;
  std::string recording_name;
  // The engine's recording state, as its last record_control said: the
  // record and pause codes toggle these (record_wanted is also set by
  // $.media.record_queues, which the engine does not know of).
  bool engine_recording = false;
  bool recording_paused = false;
};

struct Counters {
  std::atomic<std::uint64_t> requests{0}, oversized{0}, malformed{0}, stray{0}, registers_ok{0},
      registers_challenged{0}, registers_refused{0}, registers_replayed{0}, registrations{0},
      options{0}, invites{0}, invites_refused{0}, calls_active{0}, calls_total{0},
      agent_invites{0}, agent_answered{0}, agent_rejected{0}, agent_no_answer{0}, infos{0},
      digits{0}, engine_refusals{0};
};

struct SipHost::Impl {
  const HostConfig& config;
  hl_engine* engine;
  hl_store* store;
  media::MediaServer* media;
  Registrar registrar;
  // Warnings a stranger's packets cause, written a few at a time (log_throttle.hpp).
  LogThrottle noise;
  Mailbox mailbox;
  Counters counters;
  std::thread thread;
  std::atomic<bool> running{false};

  // SIP thread only.
  struct sip* sip = nullptr;
  struct sipsess_sock* sock = nullptr;
  struct sip_lsnr* guard_listener = nullptr;
  struct sip_lsnr* registrar_listener = nullptr;
  struct sip_lsnr* stray_listener = nullptr;
  struct sipevent_sock* event_sock = nullptr;  // NOTIFYs of REFER subscriptions
  struct tmr expiry_timer {};
  struct tmr retention_timer {};  // the hourly sweep of old recordings
  struct tmr stop_timer {};
  std::map<std::uint64_t, std::unique_ptr<Leg>> legs;
  std::map<std::string, Call> calls;
  std::set<std::string> logout_when_not_ready;  // agents whose phone left
  std::map<std::string, json> recordings;  // call recordings under way, by file name
  std::uint64_t next_leg = 0;
  std::uint64_t next_call = 0;
  bool accepting = true;
  std::string local_host;  // "address:port" for URIs the host writes
  std::vector<std::string> agent_ids;  // the engine's agents and queues, for REFER targets
  std::vector<std::string> queue_ids;

  Impl(const HostConfig& c, hl_engine* e, hl_store* s, media::MediaServer* m)
      : config(c),
        engine(e),
        store(s),
        media(m),
        registrar(c.sip.realm, c.phones, c.sip.registration_max_seconds, c.sip.nonce_seconds) {
    local_host = c.sip.listen_address + ":" + std::to_string(c.sip.listen_port);
    for (const auto& [section, ids] : {std::pair{"agents", &agent_ids}, {"queues", &queue_ids}}) {
      if (!c.engine.contains(section) || !c.engine[section].is_array()) continue;
      for (const json& item : c.engine[section]) {
        if (item.is_object() && item.contains("id") && item["id"].is_string()) {
          ids->push_back(item["id"].get<std::string>());
        }
      }
    }
  }

  // ------------------------------------------------------------ the engine
  bool post(const hl_event& event) {
    hl_error* err = nullptr;
    const bool taken = hl_engine_post_event(engine, &event, &err) == HL_OK;
    if (!taken) {
      ++counters.engine_refusals;
      log(LogLevel::error, "engine refused {}: {}", hl_event_kind_name(event.kind),
          err ? hl_error_message(err) : "?");
    }
    hl_error_free(err);
    return taken;
  }
  void post_call_event(hl_event_kind kind, const std::string& call_id) {
    hl_event event = HL_EVENT_INIT;
    event.kind = kind;
    event.call_id = call_id.c_str();
    post(event);
  }
  // The caller's prompt list ended: its play's request id goes back, so the
  // engine tells the agent-number announcement's end from an earlier prompt's.
  void post_prompt_done(const Call& c) {
    log(LogLevel::info, "call {}: play {} ended", c.id, c.play_request);
    hl_event event = HL_EVENT_INIT;
    event.kind = HL_EVENT_PROMPT_DONE;
    event.call_id = c.id.c_str();
    event.request_id = c.play_request;
    post(event);
  }
  void post_agent_event(hl_event_kind kind, const std::string& agent_id) {
    hl_event event = HL_EVENT_INIT;
    event.kind = kind;
    event.agent_id = agent_id.c_str();
    post(event);
  }
  void post_reservation_event(hl_event_kind kind, std::uint64_t reservation) {
    hl_event event = HL_EVENT_INIT;
    event.kind = kind;
    event.reservation = reservation;
    post(event);
  }

  // ------------------------------------------------------------ legs and SDP
  Leg* leg(std::uint64_t id) {
    auto it = legs.find(id);
    return it == legs.end() ? nullptr : it->second.get();
  }
  Call* call(const std::string& id) {
    auto it = calls.find(id);
    return it == calls.end() ? nullptr : &it->second;
  }

  Leg* open_leg(const std::string& call_id, bool agent, std::string* error) {
    auto created = std::make_unique<Leg>();
    Leg* l = created.get();
    l->host = this;
    l->id = ++next_leg;
    l->call_id = call_id;
    l->agent = agent;
    std::uint16_t port = 0;
    std::string address = config.media.rtp_address;
    if (media) {
      const auto endpoint = media->open_leg(l->id, error);
      if (endpoint.port == 0) return nullptr;
      port = endpoint.port;
      address = endpoint.address;
    } else {
      // Without a media plane the SDP still names a port, so phones proceed.
      const unsigned span = (config.media.rtp_port_max - config.media.rtp_port_min) / 2;
      port = static_cast<std::uint16_t>(config.media.rtp_port_min + 2 * (l->id % span));
    }
    struct sa laddr;
    if (sa_set_str(&laddr, address.c_str(), port) != 0 ||
        sdp_session_alloc(&l->sdp, &laddr) != 0 ||
        sdp_media_add(&l->media, l->sdp, "audio", port, "RTP/AVP") != 0 ||
        sdp_format_add(nullptr, l->media, false, "0", "PCMU", 8000, 1, nullptr, nullptr,
                       nullptr, false, nullptr) != 0 ||
        sdp_format_add(nullptr, l->media, false, "8", "PCMA", 8000, 1, nullptr, nullptr,
                       nullptr, false, nullptr) != 0 ||
        sdp_format_add(nullptr, l->media, false, "101", "telephone-event", 8000, 1, nullptr,
                       nullptr, nullptr, false, "0-15") != 0) {
      *error = "cannot describe the media leg in SDP";
      release_leg(l);
      delete created.release();
      return nullptr;
    }
    legs[l->id] = std::move(created);
    return l;
  }

  void release_leg(Leg* l) {
    tmr_cancel(&l->engine_timer);
    // A REFER still waiting for its outcome is told it failed.
    if (l->refer_notifier) notify_refer(l, 503, "Service Unavailable");
    if (media && l->id) media->close_leg(l->id);
    l->sess = static_cast<struct sipsess*>(mem_deref(l->sess));
    l->local_sdp = static_cast<struct mbuf*>(mem_deref(l->local_sdp));
    l->sdp = static_cast<struct sdp_session*>(mem_deref(l->sdp));
    l->media = nullptr;
  }

  // Ends the SIP side of a leg (BYE when established, CANCEL when ringing)
  // and forgets it; no callback of it comes after this.
  void close_leg(std::uint64_t id) {
    auto it = legs.find(id);
    if (it == legs.end()) return;
    release_leg(it->second.get());
    legs.erase(it);
  }

  // Reads the peer's SDP into the leg; false when it offers nothing usable.
  bool take_remote_sdp(Leg* l, struct mbuf* body, bool offer, std::string* why) {
    if (!body || mbuf_get_left(body) == 0) {
      *why = "no SDP";
      return false;
    }
    if (int err = sdp_decode(l->sdp, body, offer); err != 0) {
      *why = std::string("unreadable SDP (") + std::strerror(err) + ")";
      return false;
    }
    const struct sdp_format* codec = nullptr;
    for (const char* name : {"PCMU", "PCMA"}) {
      const struct sdp_format* format = sdp_media_rformat(l->media, name);
      if (format && (!codec)) codec = format;
    }
    // Take the peer's first choice among the codecs both sides have.
    const struct sdp_format* first = sdp_media_rformat(l->media, nullptr);
    if (first && (first->pt == 0 || first->pt == 8)) codec = first;
    if (!codec || sdp_media_rport(l->media) == 0) {
      *why = "no PCMU or PCMA audio offered";
      return false;
    }
    const struct sdp_format* events = sdp_media_rformat(l->media, "telephone-event");
    const struct sa* raddr = sdp_media_raddr(l->media);
    if (!raddr || sa_af(raddr) != AF_INET) {
      *why = "the audio address is not IPv4";
      return false;
    }
    // c=0.0.0.0 is the old way to hold (RFC 3264 section 8.4): nowhere to send.
    if (media && !sa_is_any(raddr)) {
      media->set_remote(l->id, raddr->u.in,
                        codec->pt == 8 ? media::Codec::pcma : media::Codec::pcmu,
                        events ? events->pt : -1);
    }
    return true;
  }

  // ------------------------------------------------------------ requests
  static bool on_guard(const struct sip_msg* msg, void* arg) {
    auto* self = static_cast<Impl*>(arg);
    ++self->counters.requests;
    if (msg->mb && msg->mb->end > self->config.sip.max_message_bytes) {
      ++self->counters.oversized;
      if (const auto v = self->noise.admit(Noise::oversized, now_ms()); v.write) {
        log(LogLevel::warn, "{} from {}: {} bytes, over the limit of {}{}", text_of(msg->met),
            address_of(msg->src), msg->mb->end, self->config.sip.max_message_bytes, v.suffix());
      }
      if (pl_strcmp(&msg->met, "ACK") != 0) {
        (void)sip_reply(self->sip, msg, 513, "Message Too Large");
      }
      return true;
    }
    // libre parses a request without these; a dialog cannot be built on it.
    if (!sip_msg_hdr(msg, SIP_HDR_VIA)) {
      ++self->counters.malformed;
      return true;  // nowhere to send an answer
    }
    const bool invite = pl_strcmp(&msg->met, "INVITE") == 0;
    const char* missing = nullptr;
    if (!sip_msg_hdr(msg, SIP_HDR_CALL_ID)) missing = "Missing Call-ID";
    else if (!sip_msg_hdr(msg, SIP_HDR_FROM)) missing = "Missing From";
    else if (!sip_msg_hdr(msg, SIP_HDR_TO)) missing = "Missing To";
    else if (!sip_msg_hdr(msg, SIP_HDR_CSEQ)) missing = "Missing CSeq";
    else if (invite && !sip_msg_hdr(msg, SIP_HDR_CONTACT)) missing = "Missing Contact";
    if (missing) {
      ++self->counters.malformed;
      if (const auto v = self->noise.admit(Noise::malformed, now_ms()); v.write) {
        log(LogLevel::warn, "{} from {} refused: {}{}", text_of(msg->met), address_of(msg->src),
            missing, v.suffix());
      }
      if (pl_strcmp(&msg->met, "ACK") != 0) (void)sip_reply(self->sip, msg, 400, missing);
      return true;
    }
    return false;
  }

  static bool on_request(const struct sip_msg* msg, void* arg) {
    auto* self = static_cast<Impl*>(arg);
    if (pl_strcmp(&msg->met, "REGISTER") == 0) {
      self->on_register(msg);
      return true;
    }
    if (pl_strcmp(&msg->met, "OPTIONS") == 0 && !pl_isset(&msg->to.tag)) {
      ++self->counters.options;
      (void)sip_replyf(self->sip, msg, 200, "OK", "%sContent-Length: 0\r\n\r\n", kAllow);
      return true;
    }
    return false;
  }

  static bool on_stray(const struct sip_msg* msg, void* arg) {
    auto* self = static_cast<Impl*>(arg);
    if (pl_strcmp(&msg->met, "ACK") == 0) return true;  // nothing to answer
    ++self->counters.stray;
    if (pl_strcmp(&msg->met, "REFER") == 0 && !pl_isset(&msg->to.tag)) {
      // A transfer is asked for in the call's dialog, never outside one.
      (void)sip_reply(self->sip, msg, 403, "Forbidden");
    } else if (pl_isset(&msg->to.tag)) {
      (void)sip_reply(self->sip, msg, 481, "Call/Transaction Does Not Exist");
    } else {
      (void)sip_replyf(self->sip, msg, 405, "Method Not Allowed",
                       "%sContent-Length: 0\r\n\r\n", kAllow);
    }
    return true;
  }

  // 200 listing `user`'s binding as it stands (none: no Contact).
  void reply_with_binding(const struct sip_msg* msg, const std::string& user) {
    const PhoneAccount* phone = registrar.phone(user);
    const Binding* binding = phone ? registrar.binding_of_agent(phone->agent) : nullptr;
    if (binding) {
      (void)sip_replyf(sip, msg, 200, "OK", "Contact: <%s>;expires=%lld\r\n"
                       "Content-Length: 0\r\n\r\n", binding->contact.c_str(),
                       static_cast<long long>((binding->expires_at_ms - now_ms()) / 1000));
    } else {
      (void)sip_reply(sip, msg, 200, "OK");
    }
  }

  void on_register(const struct sip_msg* msg) {
    const std::string user = text_of(msg->to.uri.user);
    const struct sip_hdr* authorization = sip_msg_hdr(msg, SIP_HDR_AUTHORIZATION);
    const std::string credentials = authorization ? text_of(authorization->val) : "";
    // A datagram's own bytes tell a retransmission from a replay (a UDP
    // message is the whole buffer; TCP never retransmits).
    const std::string_view datagram =
        msg->tp == SIP_TRANSP_UDP
            ? std::string_view(reinterpret_cast<const char*>(msg->mb->buf), msg->mb->end)
            : std::string_view();
    const auto outcome = registrar.check(user, credentials, "REGISTER", datagram, now_ms());
    switch (outcome) {
      case AuthOutcome::unknown_user:
        ++counters.registers_refused;
        if (const auto v = noise.admit(Noise::unknown_user, now_ms()); v.write) {
          log(LogLevel::warn, "REGISTER for unknown user '{}' from {}{}", user,
              address_of(msg->src), v.suffix());
        }
        (void)sip_reply(sip, msg, 404, "Not Found");
        return;
      case AuthOutcome::malformed:
        ++counters.registers_refused;
        (void)sip_reply(sip, msg, 400, "Bad Authorization Header");
        return;
      case AuthOutcome::wrong_password:
        ++counters.registers_refused;
        if (const auto v = noise.admit(Noise::wrong_password, now_ms()); v.write) {
          log(LogLevel::warn, "REGISTER for '{}' from {}: wrong password{}", user,
              address_of(msg->src), v.suffix());
        }
        (void)sip_reply(sip, msg, 403, "Forbidden");
        return;
      case AuthOutcome::retransmission:
        reply_with_binding(msg, user);
        return;
      case AuthOutcome::replayed:
        // Told stale: a phone that reused its nonce by mistake answers a
        // fresh challenge without asking its user; a replayer cannot.
        ++counters.registers_replayed;
        if (const auto v = noise.admit(Noise::replayed, now_ms()); v.write) {
          log(LogLevel::warn, "REGISTER for '{}' from {}: its nonce count did not go up{}", user,
              address_of(msg->src), v.suffix());
        }
        [[fallthrough]];
      case AuthOutcome::challenge:
      case AuthOutcome::stale: {
        ++counters.registers_challenged;
        const std::string header = registrar.challenge(now_ms(), outcome != AuthOutcome::challenge);
        (void)sip_replyf(sip, msg, 401, "Unauthorized",
                         "WWW-Authenticate: %s\r\nContent-Length: 0\r\n\r\n", header.c_str());
        return;
      }
      case AuthOutcome::ok:
        break;
    }
    // Expires: the contact's parameter, else the header, else an hour. Read
    // here rather than by libre's pl_u32, which wraps a large number round
    // (2^32 would be 0, an unregistration) and reads a word as 0.
    int requested = 3600;
    if (pl_isset(&msg->expires)) {
      const std::optional<int> header = expires_seconds(text_of(msg->expires));
      if (!header) {
        ++counters.registers_refused;
        (void)sip_reply(sip, msg, 400, "Bad Expires");
        return;
      }
      requested = *header;
    }
    const struct sip_hdr* contact_header = sip_msg_hdr(msg, SIP_HDR_CONTACT);
    std::string contact;
    if (contact_header) {
      struct sip_addr addr;
      if (text_of(contact_header->val) == "*") {
        contact = "*";
      } else if (sip_addr_decode(&addr, &contact_header->val) == 0) {
        contact = text_of(addr.auri);
        struct pl expires;
        if (msg_param_decode(&addr.params, "expires", &expires) == 0) {
          const std::optional<int> parameter = expires_seconds(text_of(expires));
          if (!parameter) {
            ++counters.registers_refused;
            (void)sip_reply(sip, msg, 400, "Bad Contact Expires");
            return;
          }
          requested = *parameter;
        }
      } else {
        ++counters.registers_refused;
        (void)sip_reply(sip, msg, 400, "Bad Contact");
        return;
      }
    }
    const PhoneAccount* phone = registrar.phone(user);
    const bool was_bound = phone && registrar.binding_of_agent(phone->agent);
    if (contact.empty()) {  // a query: list the binding
      reply_with_binding(msg, user);
      return;
    }
    if (contact == "*" && requested != 0) {
      (void)sip_reply(sip, msg, 400, "Wildcard Contact Needs Expires 0");
      return;
    }
    const int granted = registrar.bind(user, contact == "*" ? "" : contact, requested, now_ms());
    ++counters.registers_ok;
    counters.registrations = registrar.bindings();
    if (granted > 0) {
      (void)sip_replyf(sip, msg, 200, "OK", "Contact: <%s>;expires=%d\r\nContent-Length: 0\r\n\r\n",
                       contact.c_str(), granted);
      if (!was_bound && logout_when_not_ready.erase(phone->agent) > 0) {
        // Back before the logout it was waiting for: still logged in, only not ready.
        log(LogLevel::info, "{} registered again at {}: agent {} is ready", user, contact,
            phone->agent);
        post_agent_event(HL_EVENT_AGENT_READY, phone->agent);
      } else if (!was_bound) {
        log(LogLevel::info, "{} registered at {} for {} s: agent {} logs in", user, contact,
            granted, phone->agent);
        // The engine makes a logged-in agent available at once.
        post_agent_event(HL_EVENT_AGENT_LOGIN, phone->agent);
      }
    } else {
      (void)sip_replyf(sip, msg, 200, "OK", "Content-Length: 0\r\n\r\n");
      if (was_bound) {
        log(LogLevel::info, "{} unregistered: agent {} logs out", user, phone->agent);
        agent_unregistered(phone->agent);
      }
    }
    arm_expiry();
  }

  void arm_expiry() {
    const auto next = registrar.next_expiry();
    if (!next) {
      tmr_cancel(&expiry_timer);
      return;
    }
    const std::int64_t delay = std::max<std::int64_t>(*next - now_ms(), 0) + 1;
    tmr_start(&expiry_timer, static_cast<uint64_t>(delay), &Impl::on_expiry, this);
  }

  static void on_expiry(void* arg) {
    auto* self = static_cast<Impl*>(arg);
    for (const Binding& binding : self->registrar.expire(now_ms())) {
      log(LogLevel::info, "registration of {} expired: agent {} logs out", binding.user,
          binding.agent);
      self->agent_unregistered(binding.agent);
    }
    self->counters.registrations = self->registrar.bindings();
    self->arm_expiry();
  }

  // The phone is gone, so the agent logs out. The engine refuses to log out an
  // agent who is offered, talking or wrapping up, and only the engine knows
  // when wrap-up ends; so the agent is made not ready at once (no new offers)
  // and logged out when the engine reports them not ready, which for an idle
  // agent is at once and otherwise when the work is done.
  void agent_unregistered(const std::string& agent) {
    logout_when_not_ready.insert(agent);
    hl_event event = HL_EVENT_INIT;
    event.kind = HL_EVENT_AGENT_NOT_READY;
    event.agent_id = agent.c_str();
    event.reason = "phone unregistered";
    post(event);
  }

  void agent_not_ready(const std::string& agent) {
    if (logout_when_not_ready.count(agent) == 0) return;
    logout_when_not_ready.erase(agent);
    log(LogLevel::info, "agent {} is not ready and has no phone: logs out", agent);
    post_agent_event(HL_EVENT_AGENT_LOGOUT, agent);
  }

  // ------------------------------------------------------------ incoming calls
  static void on_invite(const struct sip_msg* msg, void* arg) {
    static_cast<Impl*>(arg)->accept_call(msg);
  }

  void refuse(const struct sip_msg* msg, uint16_t code, const char* reason,
              const std::string& warning = "") {
    ++counters.invites_refused;
    if (warning.empty()) {
      (void)sip_treply(nullptr, sip, msg, code, reason);
    } else {
      (void)sip_treplyf(nullptr, nullptr, sip, msg, false, code, reason,
                        "Warning: 399 %s \"%s\"\r\nContent-Length: 0\r\n\r\n", local_host.c_str(),
                        warning.c_str());
    }
  }

  void accept_call(const struct sip_msg* msg) {
    ++counters.invites;
    if (!accepting) return refuse(msg, 503, "Service Unavailable", "shutting down");
    const std::string dialled = text_of(msg->uri.user);
    const std::string caller = text_of(msg->from.uri.user);
    if (!valid_utf8(dialled)) {
      return refuse(msg, 400, "Bad Request-URI", "the dialled number is not UTF-8");
    }
    if (!valid_utf8(caller)) return refuse(msg, 400, "Bad From", "the caller is not UTF-8");
    if (auto supervision = match_feature_code(config.sip.feature_codes, dialled)) {
      return accept_supervisor(msg, caller, *supervision);
    }
    // An agent's phone calling out while its call is held: a consultation.
    if (const PhoneAccount* phone = registrar.phone(caller)) {
      const Binding* binding = registrar.binding_of_agent(phone->agent);
      Call* held = held_call_of(phone->agent);
      if (held && binding && from_bound_phone(msg, *binding)) {
        return accept_consultation(msg, *held, phone->agent, dialled);
      }
    }
    const auto route = select_route(config.routes, dialled);
    if (!route) return refuse(msg, 404, "Not Found", "no route for the dialled number");
    if (!msg_ctype_cmp(&msg->ctyp, "application", "sdp")) {
      if (mbuf_get_left(msg->mb) == 0) {
        return refuse(msg, 400, "SDP Offer Required", "an INVITE must carry an SDP offer");
      }
      return refuse(msg, 415, "Unsupported Media Type", "only application/sdp");
    }
    const std::string call_id = "c" + std::to_string(++next_call);
    std::string why;
    Leg* l = open_leg(call_id, false, &why);
    if (!l) return refuse(msg, 503, "Service Unavailable", why);
    if (!take_remote_sdp(l, msg->mb, true, &why)) {
      close_leg(l->id);
      // RFC 3261 section 21.4.26 and the 305 warning code: incompatible media.
      ++counters.invites_refused;
      (void)sip_treplyf(nullptr, nullptr, sip, msg, false, 488, "Not Acceptable Here",
                        "Warning: 305 %s \"%s\"\r\nContent-Length: 0\r\n\r\n", local_host.c_str(),
                        why.c_str());
      return;
    }
    if (sdp_encode(&l->local_sdp, l->sdp, false) != 0) {
      close_leg(l->id);
      return refuse(msg, 500, "Server Internal Error", "cannot write the SDP answer");
    }
    (void)sip_reply(sip, msg, 100, "Trying");
    // Early media: prompts can play before the engine answers.
    int err = sipsess_accept(&l->sess, sock, msg, 183, "Session Progress", "hotline",
                             "application/sdp", l->local_sdp, nullptr, nullptr, false,
                             &Impl::on_offer, nullptr, &Impl::on_established, &Impl::on_info,
                             &Impl::on_refer, &Impl::on_close, l, "%s", "");
    if (err) {
      log(LogLevel::error, "cannot accept a call from {}: {}", caller, std::strerror(err));
      close_leg(l->id);
      ++counters.invites_refused;
      (void)sip_treply(nullptr, sip, msg, 500, "Server Internal Error");
      return;
    }
    Call& c = calls[call_id];
    c.id = call_id;
    c.caller_leg = l->id;
    c.caller = caller;
    c.dialled = dialled;
    c.customer = find_customer(caller);
    ++counters.calls_total;
    counters.calls_active = calls.size();
    log(LogLevel::info, "call {} from {} to {}: {} {}", call_id, caller, dialled,
        route->flow.empty() ? "queue" : "flow", route->flow.empty() ? route->queue : route->flow);
    // A call routed straight to a queue has no flow to say what it hears
    // while it waits: the host's music on hold, until the bridge stops it.
    if (media && route->flow.empty() && !config.media.music_on_hold.empty()) {
      media->play(l->id, {{media::Prompt::Kind::audio, config.media.music_on_hold}}, true);
    }

    hl_contact contact = HL_CONTACT_INIT;
    contact.id = call_id.c_str();
    contact.caller = caller.c_str();
    contact.dialled = dialled.c_str();
    contact.flow_id = route->flow.empty() ? nullptr : route->flow.c_str();
    contact.queue_id = route->queue.empty() ? nullptr : route->queue.c_str();
    const std::string customer_json = c.customer.is_null() ? "" : c.customer.dump();
    contact.customer_json = customer_json.empty() ? nullptr : customer_json.c_str();
    hl_event event = HL_EVENT_INIT;
    event.kind = HL_EVENT_CALL_ARRIVED;
    event.contact = &contact;
    if (!post(event)) {
      // The engine will never hear of this call: end it rather than leave
      // the caller in early media.
      finish_call(call_id);
    }
  }

  // ------------------------------------------------------------ supervisors calling in
  // True when the request comes from where the phone registered: a feature
  // code acts with the supervisor's rights, so the From header alone (which
  // anyone can write) is not enough.
  static bool from_bound_phone(const struct sip_msg* msg, const Binding& binding) {
    struct pl text;
    pl_set_str(&text, binding.contact.c_str());
    struct uri contact;
    if (uri_decode(&contact, &text) != 0) return false;
    struct sa registered;
    if (sa_set(&registered, &contact.host, contact.port ? contact.port : 5060) != 0) return false;
    return sa_cmp(&registered, &msg->src, SA_ALL);
  }

  // A supervisor's phone dialled a feature code and an agent: the host
  // finds the agent's live call and asks the engine to let the supervisor
  // in; the INVITE is answered when the engine mixes the supervisor's leg,
  // and refused when the engine refuses (403 for someone not a supervisor).
  void accept_supervisor(const struct sip_msg* msg, const std::string& user,
                         const SupervisionDial& dial) {
    const PhoneAccount* phone = registrar.phone(user);
    const Binding* binding = phone ? registrar.binding_of_agent(phone->agent) : nullptr;
    if (!binding || !from_bound_phone(msg, *binding)) {
      return refuse(msg, 403, "Forbidden", "feature codes are for registered phones only");
    }
    Call* c = nullptr;
    for (auto& [id, candidate] : calls) {
      const Leg* agent = leg(candidate.agent_leg);
      if (candidate.bridged && agent && agent->agent_id == dial.agent) c = &candidate;
    }
    if (!c) return refuse(msg, 404, "Not Found", "agent " + dial.agent + " has no live call");
    if (c->parties.count(phone->agent) != 0) {
      return refuse(msg, 486, "Busy Here", phone->agent + " is on this call already");
    }
    if (!msg_ctype_cmp(&msg->ctyp, "application", "sdp")) {
      return refuse(msg, 400, "SDP Offer Required", "an INVITE must carry an SDP offer");
    }
    std::string why;
    Leg* l = open_leg(c->id, false, &why);
    if (!l) return refuse(msg, 503, "Service Unavailable", why);
    if (!take_remote_sdp(l, msg->mb, true, &why)) {
      close_leg(l->id);
      return refuse(msg, 488, "Not Acceptable Here", why);
    }
    if (sdp_encode(&l->local_sdp, l->sdp, false) != 0) {
      close_leg(l->id);
      return refuse(msg, 500, "Server Internal Error", "cannot write the SDP answer");
    }
    l->party = true;
    l->party_name = phone->agent;
    l->agent_id = phone->agent;
    if (int err = sipsess_accept(&l->sess, sock, msg, 180, "Ringing", "hotline", "application/sdp",
                                 nullptr, nullptr, nullptr, false, &Impl::on_offer, nullptr,
                                 &Impl::on_established, &Impl::on_info, &Impl::on_refer,
                                 &Impl::on_close, l, "%s", "");
        err) {
      close_leg(l->id);
      ++counters.invites_refused;
      (void)sip_treply(nullptr, sip, msg, 500, "Server Internal Error");
      return;
    }
    c->parties[l->party_name] = l->id;
    l->awaiting_engine = true;
    tmr_start(&l->engine_timer, kEngineAnswerMs, &Impl::on_engine_silent, l);
    log(LogLevel::info, "call {}: {} asks to {} agent {}", c->id, phone->agent, dial.mode,
        dial.agent);
    hl_event event = HL_EVENT_INIT;
    event.kind = HL_EVENT_SUPERVISE;
    event.call_id = c->id.c_str();
    event.supervisor = phone->agent.c_str();
    event.mode = dial.mode.c_str();
    event.leg = phone->agent.c_str();
    if (!post(event)) refuse_party(*c, l->party_name, 500, "Server Internal Error");
  }

  // The engine said nothing about a supervisor's INVITE in time.
  static void on_engine_silent(void* arg) {
    auto* l = static_cast<Leg*>(arg);
    Impl* self = l->host;
    log(LogLevel::warn, "call {}: no answer from the engine for {}'s supervision", l->call_id,
        l->party_name);
    if (Call* c = self->call(l->call_id)) {
      self->refuse_party(*c, l->party_name, 480, "Temporarily Unavailable");
    }
  }

  // Rejects a supervisor's INVITE still waiting for the engine.
  void refuse_party(Call& c, const std::string& name, uint16_t code, const char* reason) {
    auto it = c.parties.find(name);
    if (it == c.parties.end()) return;
    Leg* l = leg(it->second);
    c.parties.erase(it);
    if (!l) return;
    ++counters.invites_refused;
    if (l->sess) (void)sipsess_reject(l->sess, code, reason, "%s", "");
    close_leg(l->id);
  }

  // The engine refused an event posted about `command.call_id`: the party
  // waiting on its word for that kind of event (a REFER, a consultation
  // INVITE, a supervisor's INVITE) is answered now. A refusal of anything
  // else (a mute, a recording code) leaves them waiting.
  void engine_refused(const HostCommand& command) {
    Call* c = call(command.call_id);
    if (!c) return;
    const std::string& refused = command.refused;
    const bool transfer_refused = refused == "blind_transfer" || refused == "transfer" ||
                                  refused == "transfer_complete";
    // A REFER waiting on the engine hears the refusal as its NOTIFY.
    if (Leg* owner = leg(c->agent_leg); transfer_refused && owner && owner->refer_notifier) {
      log(LogLevel::info, "call {}: the engine refused the transfer: {}", c->id, command.reason);
      if (command.status == HL_ENOTFOUND) {
        notify_refer(owner, 404, "Not Found");
      } else if (command.status == HL_EPERM || command.status == HL_ESTATE) {
        notify_refer(owner, 403, "Forbidden");
      } else {
        notify_refer(owner, 503, "Service Unavailable");
      }
    }
    // So does a consultation INVITE whose leg was never dialled.
    if (const Leg* consult = leg(c->consult_leg);
        refused == "consult" && consult && !consult->answered && c->consulted.empty()) {
      log(LogLevel::info, "call {}: the engine refused the consultation: {}", c->id,
          command.reason);
      const bool forbidden = command.status == HL_EPERM || command.status == HL_ESTATE;
      end_consultation(*c, forbidden ? 403 : 480,
                       forbidden ? "Forbidden" : "Temporarily Unavailable");
    }
    if (refused != "supervise") return;
    // With two supervisors waiting on one call, the one the refusal names.
    std::string waiting;
    for (const auto& [name, leg_id] : c->parties) {
      const Leg* l = leg(leg_id);
      if (!l || !l->awaiting_engine) continue;
      if (waiting.empty() || command.reason.find("'" + name + "'") != std::string::npos) {
        waiting = name;
      }
    }
    if (waiting.empty()) return;
    log(LogLevel::info, "call {}: the engine refused {}'s supervision: {}", c->id, waiting,
        command.reason);
    const bool forbidden = command.status == HL_EPERM;
    refuse_party(*c, waiting, forbidden ? 403 : 480,
                 forbidden ? "Forbidden" : "Temporarily Unavailable");
  }

  void party_leg_closed(Leg* l, int err, const struct sip_msg* msg) {
    const std::string call_id = l->call_id;
    const std::string name = l->party_name;
    log(LogLevel::info, "call {}: leg {} ended ({})", call_id, name,
        msg ? text_of(msg->met).empty() ? std::to_string(msg->scode) : text_of(msg->met)
            : std::string(err ? std::strerror(err) : "closed"));
    Call* c = call(call_id);
    if (c) c->parties.erase(name);
    close_leg(l->id);  // l is gone from here
    if (!c) return;
    if (c->consult_leg && c->consulted == name && !c->merged) {
      // The consulted party said no, or hung up: so does the consultation.
      const bool busy = msg && (msg->scode == 486 || msg->scode == 600);
      end_consultation(*c, busy ? 486 : 480, busy ? "Busy Here" : "Temporarily Unavailable");
    }
    hl_event event = HL_EVENT_INIT;
    event.kind = HL_EVENT_LEG_ENDED;
    event.call_id = call_id.c_str();
    event.leg = name.c_str();
    post(event);
  }

  // ------------------------------------------------------------ transfers from the phone
  static void on_refer(struct sip* sip, const struct sip_msg* msg, void* arg) {
    auto* l = static_cast<Leg*>(arg);
    l->host->refer(sip, l, msg);
  }

  // A REFER in a call's dialog (RFC 3515). From the phone that owns the
  // call: a blind transfer to the Refer-To user (an agent, a queue or a
  // number), or with Replaces (RFC 3891) naming the phone's consultation
  // dialog, the completion of that consultation. Answered 202; the outcome
  // follows as NOTIFY (100 Trying, then 200 or the failure).
  void refer(struct sip* stack, Leg* l, const struct sip_msg* msg) {
    Call* c = call(l->call_id);
    if (!c || c->agent_leg != l->id || !c->bridged) {
      (void)sip_treplyf(nullptr, nullptr, stack, msg, false, 403, "Forbidden",
                        "Warning: 399 %s \"only the agent's phone may transfer the call\"\r\n"
                        "Content-Length: 0\r\n\r\n", local_host.c_str());
      return;
    }
    if (l->refer_notifier) {
      (void)sip_reply(stack, msg, 491, "Request Pending");
      return;
    }
    const struct sip_hdr* refer_to = sip_msg_hdr(msg, SIP_HDR_REFER_TO);
    struct sip_addr addr;
    if (!refer_to) {
      (void)sip_reply(stack, msg, 400, "Missing Refer-To");
      return;
    }
    if (sip_addr_decode(&addr, &refer_to->val) != 0) {
      (void)sip_reply(stack, msg, 400, "Bad Refer-To");
      return;
    }
    const std::string user = percent_decoded(text_of(addr.uri.user));
    const auto replaces = replaces_of(text_of(addr.uri.headers));
    hl_event event = HL_EVENT_INIT;
    event.call_id = c->id.c_str();
    const TransferTarget target = classify_transfer_target(user, agent_ids, queue_ids);
    std::string what;
    if (replaces) {
      const Leg* consult = leg(c->consult_leg);
      if (!consult || !consult->sess ||
          replaces->call_id != sip_dialog_callid(sipsess_dialog(consult->sess))) {
        (void)sip_treplyf(nullptr, nullptr, stack, msg, false, 403, "Forbidden",
                          "Warning: 399 %s \"Replaces names no consultation of this call\"\r\n"
                          "Content-Length: 0\r\n\r\n", local_host.c_str());
        return;
      }
      event.kind = HL_EVENT_TRANSFER_COMPLETE;
      what = "completes the consultation with " + c->consulted;
    } else if (user.empty() || !valid_utf8(user)) {
      (void)sip_reply(stack, msg, 400, "Bad Refer-To User");
      return;
    } else if (target.kind == TransferTarget::Kind::queue) {
      event.kind = HL_EVENT_TRANSFER;
      event.queue_id = target.id.c_str();
      what = "transfers it to queue " + target.id;
    } else if (target.kind == TransferTarget::Kind::agent) {
      event.kind = HL_EVENT_BLIND_TRANSFER;
      event.agent_id = target.id.c_str();
      what = "transfers it to agent " + target.id;
    } else if (!dialable_number(target.id)) {
      (void)sip_treplyf(nullptr, nullptr, stack, msg, false, 400, "Bad Refer-To User",
                        "Warning: 399 %s \"neither an agent, a queue nor a number "
                        "(digits, '+', '*', '#')\"\r\n"
                        "Content-Length: 0\r\n\r\n", local_host.c_str());
      return;
    } else if (transfer_uri(target.id).empty()) {
      (void)sip_treplyf(nullptr, nullptr, stack, msg, false, 404, "Not Found",
                        "Warning: 399 %s \"no trunk for numbers ($.sip.trunk)\"\r\n"
                        "Content-Length: 0\r\n\r\n", local_host.c_str());
      return;
    } else {
      event.kind = HL_EVENT_BLIND_TRANSFER;
      event.target = target.id.c_str();
      what = "transfers it to " + target.id;
    }
    if (int err = sipevent_accept(&l->refer_notifier, event_sock, msg, sipsess_dialog(l->sess),
                                  nullptr, 202, "Accepted", 60, 60, 60, "hotline",
                                  "message/sipfrag", nullptr, nullptr, false, nullptr, nullptr,
                                  "%s", "");
        err) {
      log(LogLevel::error, "call {}: cannot accept a REFER: {}", c->id, std::strerror(err));
      (void)sip_reply(stack, msg, 500, "Server Internal Error");
      return;
    }
    notify_refer(l, 100, "Trying");
    log(LogLevel::info, "call {}: agent {}'s phone {} (REFER)", c->id, l->agent_id, what);
    post(event);
  }

  // Tells the REFER's subscription how the transfer goes; a final status
  // (200 and above) ends the subscription.
  void notify_refer(Leg* l, uint16_t status, const char* reason) {
    if (!l->refer_notifier) return;
    const bool final = status >= 200;
    struct mbuf* body = nullptr;
    (void)sipevent_notifyf(l->refer_notifier, &body,
                           final ? SIPEVENT_TERMINATED : SIPEVENT_ACTIVE,
                           SIPEVENT_NORESOURCE, 0, "SIP/2.0 %u %s\r\n", status, reason);
    mem_deref(body);
    // libre keeps a terminated subscription alive until its NOTIFY is answered.
    if (final) l->refer_notifier = static_cast<struct sipnot*>(mem_deref(l->refer_notifier));
  }

  // The engine is done with the owner's phone (a transfer, a take-over): it
  // leaves the call at once. A REFER waiting for the outcome hears 200, and
  // the dialog ends a moment later, so the NOTIFY comes before the BYE.
  void owner_leaves(Call& c) {
    Leg* l = leg(c.agent_leg);
    c.agent_leg = 0;
    c.owner_left = true;
    c.agent_muted = false;
    if (media && c.bridged && c.plan.empty()) media->unbridge(c.caller_leg);
    c.bridged = false;
    if (c.consult_leg) {
      const std::uint64_t consult = c.consult_leg;
      c.consult_leg = 0;
      close_leg(consult);
    }
    if (!l) return;
    if (!l->refer_notifier) {
      close_leg(l->id);
      return;
    }
    notify_refer(l, 200, "OK");
    l->leaving = true;
    tmr_start(&l->engine_timer, kTransferorGraceMs, &Impl::on_transferor_done, l);
  }

  static void on_transferor_done(void* arg) {
    auto* l = static_cast<Leg*>(arg);
    l->host->close_leg(l->id);
  }

  // The engine's `transferred`: the agent the call came from is done with
  // it. A transfer to a queue sends no hangup_leg, so the phone is let go here.
  void transferred(const HostCommand& command) {
    Call* c = call(command.call_id);
    if (!c) return;
    const Leg* l = leg(c->agent_leg);
    if (l && l->agent_id == command.agent_id) {
      log(LogLevel::info, "call {}: agent {} transferred it to {}", c->id, command.agent_id,
          command.target);
      owner_leaves(*c);
    }
  }

  // After the owner left, the leg the caller hears first in the engine's
  // mix is the new owner (the mix lists caller, owner, then the others): a
  // supervisor who took over, or the consulted agent. Its phone is the
  // call's agent from now on: its BYE is agent_hung_up, its re-INVITE holds.
  bool adopt_owner(Call& c, const json& legs) {
    if (!c.owner_left || !legs.contains(c.id) || !legs[c.id].is_array() ||
        legs[c.id].empty() || !legs[c.id][0].is_string()) {
      return false;
    }
    const std::string name = legs[c.id][0].get<std::string>();
    auto it = c.parties.find(name);
    if (it == c.parties.end()) return false;
    Leg* l = leg(it->second);
    if (!l || l->agent_id.empty()) return false;  // a number owns nothing
    if (!l->established && !l->awaiting_engine) return false;
    if (l->awaiting_engine) {
      // A supervisor's take-over: their INVITE is answered as they take the call.
      l->awaiting_engine = false;
      tmr_cancel(&l->engine_timer);
      if (int err = sipsess_answer(l->sess, 200, "OK", l->local_sdp, "%s", ""); err) {
        log(LogLevel::error, "call {}: cannot answer {}: {}", c.id, name, std::strerror(err));
        return false;
      }
      l->answered = true;
    }
    c.parties.erase(it);
    c.agent_leg = l->id;
    c.owner_left = false;
    c.bridged = true;
    if (c.consulted == name) c.consulted.clear();
    l->party = false;
    l->agent = true;
    l->adopted = true;
    l->party_name.clear();
    log(LogLevel::info, "call {}: agent {} owns the call now", c.id, l->agent_id);
    return true;
  }

  // ------------------------------------------------------------ consultation from the phone
  // The call whose agent is `agent` and which is held: by the engine, or
  // asked to be by the agent's phone. A phone's transfer key sends its hold
  // re-INVITE and the consultation INVITE back to back, and the second can
  // arrive before the engine's hold command; the engine hears the hold
  // first either way, since events reach it in the order posted.
  Call* held_call_of(const std::string& agent) {
    for (auto& [id, candidate] : calls) {
      const Leg* owner = leg(candidate.agent_leg);
      if (candidate.bridged && owner && owner->agent_id == agent &&
          (candidate.held || candidate.hold_asked)) {
        return &candidate;
      }
    }
    return nullptr;
  }

  // The agent's phone placed a second call while its call is held: a
  // consultation of the dialled agent or number. The INVITE is answered when
  // the consulted leg answers, and fails when it fails.
  void accept_consultation(const struct sip_msg* msg, Call& c, const std::string& agent,
                           const std::string& dialled) {
    if (c.consult_leg) return refuse(msg, 486, "Busy Here", "a consultation is under way");
    if (!msg_ctype_cmp(&msg->ctyp, "application", "sdp")) {
      return refuse(msg, 400, "SDP Offer Required", "an INVITE must carry an SDP offer");
    }
    // As a REFER's target: an agent, else a queue, else a number.
    const TransferTarget target = classify_transfer_target(dialled, agent_ids, queue_ids);
    if (target.kind == TransferTarget::Kind::number && !dialable_number(dialled)) {
      return refuse(msg, 404, "Not Found",
                    "neither an agent, a queue nor a number (digits, '+', '*', '#')");
    }
    if (target.kind == TransferTarget::Kind::number && transfer_uri(dialled).empty()) {
      return refuse(msg, 404, "Not Found", "no trunk for numbers ($.sip.trunk)");
    }
    std::string why;
    Leg* l = open_leg(c.id, false, &why);
    if (!l) return refuse(msg, 503, "Service Unavailable", why);
    if (!take_remote_sdp(l, msg->mb, true, &why)) {
      close_leg(l->id);
      return refuse(msg, 488, "Not Acceptable Here", why);
    }
    if (sdp_encode(&l->local_sdp, l->sdp, false) != 0) {
      close_leg(l->id);
      return refuse(msg, 500, "Server Internal Error", "cannot write the SDP answer");
    }
    l->consultation = true;
    l->agent_id = agent;
    if (int err = sipsess_accept(&l->sess, sock, msg, 180, "Ringing", "hotline",
                                 "application/sdp", nullptr, nullptr, nullptr, false,
                                 &Impl::on_offer, nullptr, &Impl::on_established, &Impl::on_info,
                                 &Impl::on_refer, &Impl::on_close, l, "%s", "");
        err) {
      close_leg(l->id);
      ++counters.invites_refused;
      (void)sip_treply(nullptr, sip, msg, 500, "Server Internal Error");
      return;
    }
    c.consult_leg = l->id;
    c.consulted.clear();
    c.merged = false;
    c.consult_queue = target.kind == TransferTarget::Kind::queue;
    log(LogLevel::info, "call {}: agent {} consults {}{}", c.id, agent,
        c.consult_queue ? "queue " : "", dialled);
    hl_event event = HL_EVENT_INIT;
    event.kind = HL_EVENT_CONSULT;
    event.call_id = c.id.c_str();
    if (target.kind == TransferTarget::Kind::agent) {
      event.agent_id = dialled.c_str();
    } else if (c.consult_queue) {
      event.queue_id = dialled.c_str();
    } else {
      event.target = dialled.c_str();
    }
    post(event);
  }

  // Ends the agent's consultation dialog: 200 was sent, BYE; else the
  // INVITE's final answer.
  void end_consultation(Call& c, uint16_t code, const char* reason) {
    Leg* l = leg(c.consult_leg);
    c.consult_leg = 0;
    c.consulted.clear();
    c.merged = false;
    c.consult_queue = false;
    if (!l) return;
    if (!l->answered && l->sess) (void)sipsess_reject(l->sess, code, reason, "%s", "");
    close_leg(l->id);
  }

  // The consulted leg answered: the agent's second INVITE is answered too.
  void consultation_answered(Call& c) {
    Leg* l = leg(c.consult_leg);
    if (!l || l->answered) return;
    if (int err = sipsess_answer(l->sess, 200, "OK", l->local_sdp, "%s", ""); err) {
      log(LogLevel::error, "call {}: cannot answer the consultation: {}", c.id,
          std::strerror(err));
      return;
    }
    l->answered = true;
  }

  // The agent hung up the consultation dialog: back to the held caller.
  void consultation_closed(Leg* l) {
    const std::string call_id = l->call_id;
    Call* c = call(call_id);
    const bool ours = c && c->consult_leg == l->id;
    // The engine has the consult (posted when the INVITE came), dialled or
    // not yet: either way it hears the cancel, and hangs up what it dialled.
    const bool cancel = ours && !c->merged;
    if (ours) {
      c->consult_leg = 0;
      c->merged = false;
    }
    close_leg(l->id);  // l is gone from here
    if (!cancel) return;
    log(LogLevel::info, "call {}: the agent ends the consultation", call_id);
    c->consulted.clear();
    post_call_event(HL_EVENT_CONSULT_CANCEL, call_id);
  }

  // ------------------------------------------------------------ keys from the agent's phone
  // A key from the owner's phone (either of its dialogs), read against the
  // in-call feature codes.
  void agent_key(Leg* l, char key) {
    Call* c = call(l->call_id);
    if (!c || (c->agent_leg != l->id && c->consult_leg != l->id)) return;
    if (!l->keys) l->keys.emplace(&config.sip.feature_codes);
    auto action = l->keys->press(key);
    if (!action) return;
    const std::string owner = l->agent_id;
    hl_event event = HL_EVENT_INIT;
    event.call_id = c->id.c_str();
    std::string leg_name;
    switch (action->kind) {
      case CallKeyAction::Kind::conference:
        event.kind = HL_EVENT_CONFERENCE;
        log(LogLevel::info, "call {}: agent {} asks for a conference", c->id, owner);
        break;
      case CallKeyAction::Kind::mute:
        event.kind = HL_EVENT_MUTE;
        c->agent_muted = !c->agent_muted;
        event.leg = owner.c_str();
        event.muted = c->agent_muted ? 1 : 0;
        log(LogLevel::info, "call {}: agent {} {}", c->id, owner,
            c->agent_muted ? "mutes" : "unmutes");
        break;
      case CallKeyAction::Kind::drop:
        event.kind = HL_EVENT_CONFERENCE_DROP;
        leg_name = party_named_by_keys(*c, action->leg);
        event.leg = leg_name.c_str();
        log(LogLevel::info, "call {}: agent {} drops {}", c->id, owner, leg_name);
        break;
      case CallKeyAction::Kind::add:
        // Keys are digits: an agent whose id they are, else a number the
        // engine dials through the trunk.
        event.kind = HL_EVENT_CONFERENCE_ADD;
        if (classify_transfer_target(action->leg, agent_ids, {}).kind ==
            TransferTarget::Kind::agent) {
          event.agent_id = action->leg.c_str();
        } else {
          event.target = action->leg.c_str();
        }
        log(LogLevel::info, "call {}: agent {} adds {}", c->id, owner, action->leg);
        break;
      case CallKeyAction::Kind::record:
        // On demand: a call that is not being recorded starts, one that is stops.
        event.kind = HL_EVENT_RECORDING_CONTROL;
        event.action = c->engine_recording ? "stop" : "start";
        log(LogLevel::info, "call {}: agent {} asks to {} recording", c->id, owner, event.action);
        break;
      case CallKeyAction::Kind::pause:
        event.kind = HL_EVENT_RECORDING_CONTROL;
        event.action = c->recording_paused ? "resume" : "pause";
        log(LogLevel::info, "call {}: agent {} asks to {} the recording", c->id, owner,
            event.action);
        break;
    }
    post(event);
  }

  // Keys name a party as its leg's name, as `<call>:<keys>` (a dialled
  // number), or as its place among the parties (1: the first to join).
  std::string party_named_by_keys(const Call& c, const std::string& keys) {
    if (c.parties.count(keys) != 0) return keys;
    const std::string numbered = c.id + ":" + keys;
    if (c.parties.count(numbered) != 0) return numbered;
    std::vector<std::pair<std::uint64_t, std::string>> joined;
    for (const auto& [name, id] : c.parties) joined.emplace_back(id, name);
    std::sort(joined.begin(), joined.end());
    const std::size_t place = std::strtoul(keys.c_str(), nullptr, 10);
    if (place >= 1 && place <= joined.size()) return joined[place - 1].second;
    return keys;
  }

  // ------------------------------------------------------------ call control
  std::string owner_of(const Call& c) {
    const Leg* agent = leg(c.agent_leg);
    return agent ? agent->agent_id : std::string();
  }

  // The media leg of a name in the engine's mix; 0 when the call has none.
  std::uint64_t leg_named(const Call& c, const std::string& name) {
    if (name == c.id) return c.caller_leg;
    if (c.agent_leg && name == owner_of(c)) {
      // The agent talks on the consultation's dialog once it is answered.
      const Leg* consult = leg(c.consult_leg);
      return consult && consult->answered ? c.consult_leg : c.agent_leg;
    }
    auto it = c.parties.find(name);
    return it == c.parties.end() ? 0 : it->second;
  }

  static std::vector<media::Prompt> prompts_of(const std::string& prompts_json) {
    std::vector<media::Prompt> prompts;
    json list = json::parse(prompts_json, nullptr, false);
    if (!list.is_array()) return prompts;
    for (const json& item : list) {
      if (!item.is_object()) continue;
      if (item.contains("audio") && item["audio"].is_string()) {
        prompts.push_back({media::Prompt::Kind::audio, item["audio"].get<std::string>()});
      } else if (item.contains("tts") && item["tts"].is_string()) {
        prompts.push_back({media::Prompt::Kind::tts, item["tts"].get<std::string>()});
      }
    }
    return prompts;
  }

  // The agent's phone sent a re-INVITE: sendonly or inactive (or the old
  // c=0.0.0.0) holds the call, sendrecv again resumes it. The answer's
  // direction is libre's (RFC 3264 section 6.1: sendonly is answered
  // recvonly), which reads the offer's from the host's side: a phone that
  // only sends leaves the host only receiving.
  void phone_direction_changed(Leg* l) {
    const struct sa* raddr = sdp_media_raddr(l->media);
    const enum sdp_dir ours = raddr && sa_is_any(raddr) ? SDP_INACTIVE : sdp_media_rdir(l->media);
    if (!l->agent || l->transfer || l->party) return;
    const bool hold = ours == SDP_RECVONLY || ours == SDP_INACTIVE;
    if (hold == l->held_by_phone) return;
    l->held_by_phone = hold;
    Call* c = call(l->call_id);
    if (!c || c->agent_leg != l->id || !c->bridged) return;
    log(LogLevel::info, "call {}: agent {}'s phone {} the call", c->id, l->agent_id,
        hold ? "holds" : "resumes");
    c->hold_asked = hold;
    post_call_event(hold ? HL_EVENT_HOLD : HL_EVENT_RESUME, c->id);
  }

  void hold(const HostCommand& command) {
    Call* c = call(command.call_id);
    if (!c) return;
    c->held = true;
    log(LogLevel::info, "call {}: on hold", c->id);
    if (!media) return;
    std::vector<media::Prompt> prompts = prompts_of(command.prompts_json);
    if (prompts.empty() && !config.media.music_on_hold.empty()) {
      prompts.push_back({media::Prompt::Kind::audio, config.media.music_on_hold});
    }
    note_hold(*c, true);
    media->unmix(c->caller_leg);  // the agent (and whoever else) hears the caller no more
    if (!prompts.empty()) media->play(c->caller_leg, std::move(prompts), true);
  }

  void resume(const HostCommand& command) {
    Call* c = call(command.call_id);
    if (!c) return;
    c->held = false;
    c->hold_asked = false;  // whoever asked, the engine has resumed the call
    log(LogLevel::info, "call {}: resumed", c->id);
    note_hold(*c, false);
    if (!media) return;
    if (c->plan.empty()) {
      rebridge(*c);
    } else {
      apply_mix(*c);
    }
  }

  // Carries out the last mix; while the call is held the caller stays out
  // of it, hearing the music.
  void apply_mix(Call& c) {
    if (!media) return;
    media::MixPlan plan = c.plan;
    if (c.held) {
      plan.erase(c.caller_leg);
      for (auto& [listener, heard] : plan) {
        heard.erase(std::remove(heard.begin(), heard.end(), c.caller_leg), heard.end());
      }
    }
    media->mix(std::move(plan));
  }

  void mix(const HostCommand& command) {
    Call* c = call(command.call_id);
    if (!c) return;
    json document = json::parse(command.mix_json, nullptr, false);
    if (!document.is_object() || !document.contains("legs") || !document["legs"].is_object()) {
      log(LogLevel::warn, "call {}: a mix without legs: {}", c->id, command.mix_json);
      return;
    }
    const bool new_owner = adopt_owner(*c, document["legs"]);
    media::MixPlan plan;
    for (const auto& [name, heard] : document["legs"].items()) {
      const std::uint64_t listener = leg_named(*c, name);
      if (!listener) {
        log(LogLevel::warn, "call {}: the mix names leg '{}', which the host does not have",
            c->id, name);
        continue;
      }
      std::vector<media::LegId>& sources = plan[listener];
      if (!heard.is_array()) continue;
      for (const json& source : heard) {
        if (!source.is_string()) continue;
        if (std::uint64_t id = leg_named(*c, source.get<std::string>())) sources.push_back(id);
      }
    }
    // A supervisor's INVITE is answered once the engine lets them in.
    for (const auto& [name, leg_id] : c->parties) {
      Leg* l = leg(leg_id);
      if (!l || !l->awaiting_engine || plan.count(leg_id) == 0) continue;
      l->awaiting_engine = false;
      tmr_cancel(&l->engine_timer);
      if (int err = sipsess_answer(l->sess, 200, "OK", l->local_sdp, "%s", ""); err) {
        log(LogLevel::error, "call {}: cannot answer {}: {}", c->id, name, std::strerror(err));
      } else {
        l->answered = true;
      }
    }
    // A plain bridge again keeps the relay as it is.
    const bool plain_bridge = plan.size() == 2 && plan.count(c->caller_leg) != 0 &&
                              plan.count(c->agent_leg) != 0 &&
                              plan[c->caller_leg] == std::vector<media::LegId>{c->agent_leg} &&
                              plan[c->agent_leg] == std::vector<media::LegId>{c->caller_leg};
    const bool was_plain = c->plan.empty();
    c->plan = plain_bridge ? media::MixPlan{} : std::move(plan);
    log(LogLevel::info, "call {}: mix {}", c->id, document["legs"].dump());
    if (plain_bridge && was_plain && !new_owner) return;
    if (plain_bridge) {
      if (!c->held) rebridge(*c);
      return;
    }
    apply_mix(*c);
  }

  // Starts the call's recording when it is wanted and none is under way:
  // one file, the caller's side of the call (left: the caller, right: what
  // the caller hears), kept through holds and mixes until the call ends or
  // record_control stops it. Noted for the list written when it ends.
  void start_recording(Call& c) {
    if (!media || !c.record_wanted || !c.recording_name.empty()) return;
    c.recording_name = c.id + "-" + std::to_string(now_ms()) + ".wav";
    json entry{{"call_id", c.id}, {"agent_id", owner_of(c)}, {"queue_id", c.queue_id},
               {"start_ms", now_ms()}, {"holds", json::array()}};
    if (c.held) entry["holds"].push_back({{"start_ms", now_ms()}});
    recordings[c.recording_name] = std::move(entry);
    media->record_call(c.caller_leg, config.media.recordings / c.recording_name);
  }

  // A hold's span in the listing of the recording under way: when the
  // caller went on hold and when they came back.
  void note_hold(Call& c, bool held) {
    auto it = recordings.find(c.recording_name);
    if (c.recording_name.empty() || it == recordings.end()) return;
    json& holds = it->second["holds"];
    if (held) {
      holds.push_back({{"start_ms", now_ms()}});
    } else if (!holds.empty() && !holds.back().contains("end_ms")) {
      holds.back()["end_ms"] = now_ms();
    }
  }

  // Bridges the caller and the agent again (after a hold, or a mix back to
  // two); the call's recording goes on through it.
  void rebridge(Call& c) {
    if (!media || !leg(c.agent_leg)) return;
    media->bridge(c.caller_leg, c.agent_leg, {});
  }

  void record_control(const HostCommand& command) {
    Call* c = call(command.call_id);
    if (!c || !media) return;
    const std::string& action = command.action;
    log(LogLevel::info, "call {}: recording: {}", c->id, action);
    if (action == "pause" || action == "resume") {
      c->recording_paused = action == "pause";
      media->pause_call_recording(c->caller_leg, c->recording_paused);
      return;
    }
    if (action != "start" && action != "stop") return;
    c->record_wanted = action == "start";
    c->engine_recording = action == "start";
    c->recording_paused = false;
    if (c->record_wanted) {
      // Held or mixed alike: the recording starts now (before the bridge,
      // it starts at the bridge).
      if (c->bridged) start_recording(*c);
    } else {
      stop_recording(*c);
    }
  }

  // Ends the call's recording under way; it is listed when the media plane
  // has closed the file.
  void stop_recording(Call& c) {
    if (!media || c.recording_name.empty()) return;
    media->stop_call_recording(c.caller_leg);
    c.recording_name.clear();  // a start from now on is a new file; the list entry waits
  }

  // Adds a leg the engine asked for: an agent's phone, or a number.
  void dial(const HostCommand& command) {
    Call* c = call(command.call_id);
    if (!c) return;
    std::string uri;
    if (!command.agent_id.empty()) {
      if (const Binding* binding = registrar.binding_of_agent(command.agent_id)) {
        uri = binding->contact;
      }
    } else {
      uri = transfer_uri(command.target);
    }
    std::string why;
    if (uri.empty()) {
      why = command.agent_id.empty() ? "no trunk for '" + command.target + "' ($.sip.trunk)"
                                     : "agent " + command.agent_id + "'s phone is not registered";
    } else if (c->parties.count(command.leg) != 0) {
      why = "leg " + command.leg + " is up already";
    }
    Leg* l = why.empty() ? open_leg(c->id, true, &why) : nullptr;
    if (l && sdp_encode(&l->local_sdp, l->sdp, true) != 0) why = "cannot write the SDP offer";
    if (l && why.empty()) {
      l->party = true;
      l->party_name = command.leg;
      l->agent_id = command.agent_id;
      const std::string from_uri = "sip:" + uri_user(c->caller) + "@" + local_host;
      if (int err = sipsess_connect(
              &l->sess, sock, uri.c_str(), nullptr, from_uri.c_str(), "hotline", nullptr, 0,
              "application/sdp", l->local_sdp, nullptr, nullptr, false, &Impl::on_offer,
              &Impl::on_agent_answer, &Impl::on_agent_progress, &Impl::on_established,
              &Impl::on_info, &Impl::on_refer, &Impl::on_close, l, "X-Hotline-Call: %s\r\n",
              header_token(c->id).c_str());
          err) {
        why = std::string("cannot send INVITE: ") + std::strerror(err);
      }
    }
    if (!why.empty()) {
      if (l) close_leg(l->id);
      log(LogLevel::warn, "call {}: cannot dial leg {}: {}", c->id, command.leg, why);
      // A queue's consultation goes on to the queue's next agent.
      if (c->consult_leg && c->consulted.empty() && !c->consult_queue) {
        end_consultation(*c, 480, "Temporarily Unavailable");
      }
      hl_event event = HL_EVENT_INIT;
      event.kind = HL_EVENT_LEG_ENDED;
      event.call_id = c->id.c_str();
      event.leg = command.leg.c_str();
      post(event);
      return;
    }
    c->parties[command.leg] = l->id;
    // The leg the engine dials for the phone's consultation; for a queue's,
    // one of its agents, the consulted party if they answer first.
    if (c->consult_leg && c->consulted.empty()) {
      if (c->consult_queue) {
        l->consult_candidate = true;
      } else {
        c->consulted = command.leg;
      }
    }
    log(LogLevel::info, "call {}: dialling leg {} at {}", c->id, command.leg, uri);
  }

  void hangup_leg(const HostCommand& command) {
    Call* c = call(command.call_id);
    if (!c) return;
    if (c->agent_leg && command.leg == owner_of(*c)) {
      // The agent who owned the call leaves it (a take-over, a completed
      // transfer): their phone gets BYE, the engine asked, nothing is posted.
      log(LogLevel::info, "call {}: agent {} leaves the call", c->id, command.leg);
      owner_leaves(*c);
      return;
    }
    auto it = c->parties.find(command.leg);
    if (it == c->parties.end()) {
      log(LogLevel::debug, "call {}: no leg {} to hang up", c->id, command.leg);
      return;
    }
    log(LogLevel::info, "call {}: hanging up leg {}", c->id, command.leg);
    const std::uint64_t id = it->second;
    c->parties.erase(it);
    close_leg(id);
  }

  // The caller's customer record from the store, with the 360° view's last
  // agent, or null.
  json find_customer(const std::string& caller) {
    if (!store || caller.empty()) return nullptr;
    hl_actor actor{"hotline-sip", HL_ROLE_AGENT};
    char* found = nullptr;
    hl_error* err = nullptr;
    json customer = nullptr;
    const int status = hl_customer_lookup_ani(store, &actor, caller.c_str(), &found, &err);
    if (status == HL_OK && found) {
      customer = json::parse(found, nullptr, false);
      if (customer.is_discarded() || !customer.is_object()) customer = nullptr;
    } else if (status != HL_ENOTFOUND) {
      log(LogLevel::debug, "customer lookup for {}: {}", caller,
          err ? hl_error_message(err) : hl_status_str(status));
    }
    hl_free(found);
    hl_error_free(err);
    if (customer.is_object() && customer.contains("id") && customer["id"].is_number_integer()) {
      char* view = nullptr;
      if (hl_customer_view(store, &actor, customer["id"].get<std::int64_t>(), &view, nullptr) ==
          HL_OK) {
        json parsed = json::parse(view, nullptr, false);
        if (parsed.is_object() && parsed.contains("last_agent") &&
            parsed["last_agent"].is_string()) {
          customer["last_agent"] = parsed["last_agent"];
        }
      }
      hl_free(view);
    }
    return customer;
  }

  // What of the customer goes into the offer's header: enough to greet and
  // find the record, not the whole 360° view (an INVITE must stay well
  // under a UDP datagram).
  static json screen_pop_customer(const json& customer) {
    if (!customer.is_object()) return nullptr;
    json pop = json::object();
    for (const char* key : {"id", "name", "tier", "last_agent"}) {
      if (customer.contains(key)) pop[key] = customer[key];
    }
    return pop;
  }

  // A re-INVITE's offer: answer with the same media.
  static int on_offer(struct mbuf** descp, const struct sip_msg* msg, void* arg) {
    auto* l = static_cast<Leg*>(arg);
    std::string why;
    if (!l->host->take_remote_sdp(l, msg->mb, true, &why)) {
      log(LogLevel::warn, "call {}: re-INVITE refused: {}", l->call_id, why);
      return EPROTO;
    }
    l->host->phone_direction_changed(l);
    l->local_sdp = static_cast<struct mbuf*>(mem_deref(l->local_sdp));
    if (int err = sdp_encode(&l->local_sdp, l->sdp, false); err) return err;
    *descp = static_cast<struct mbuf*>(mem_ref(l->local_sdp));
    return 0;
  }

  static void on_established(const struct sip_msg*, void* arg) {
    auto* l = static_cast<Leg*>(arg);
    l->established = true;
    if (l->transfer) return l->host->transfer_connected(l);
    if (l->party) {
      // A supervisor who called in was let in with the engine's mix; a leg
      // the engine dialled is reported as answered.
      if (!l->agent) return;
      log(LogLevel::info, "call {}: leg {} answered", l->call_id, l->party_name);
      Call* c = l->host->call(l->call_id);
      if (c && l->consult_candidate && c->consult_leg && c->consulted.empty()) {
        c->consulted = l->party_name;  // the queue's agent who answered
      }
      if (c && c->consulted == l->party_name) l->host->consultation_answered(*c);
      hl_event event = HL_EVENT_INIT;
      event.kind = HL_EVENT_LEG_ANSWERED;
      event.call_id = l->call_id.c_str();
      event.leg = l->party_name.c_str();
      l->host->post(event);
      return;
    }
    if (!l->agent || l->adopted) return;  // an adopted owner's ACK: no offer to answer
    ++l->host->counters.agent_answered;
    log(LogLevel::info, "call {}: agent {} answered", l->call_id, l->agent_id);
    l->host->post_reservation_event(HL_EVENT_AGENT_ANSWERED, l->reservation);
  }

  // DTMF over SIP INFO (application/dtmf-relay "Signal=5", or application/dtmf "5").
  static void on_info(struct sip* sip, const struct sip_msg* msg, void* arg) {
    auto* l = static_cast<Leg*>(arg);
    Impl* self = l->host;
    ++self->counters.infos;
    struct pl key = PL_INIT;
    const char* body = reinterpret_cast<const char*>(mbuf_buf(msg->mb));
    const size_t size = mbuf_get_left(msg->mb);
    bool read = false;
    if (msg_ctype_cmp(&msg->ctyp, "application", "dtmf-relay")) {
      read = re_regex(body, size, "Signal=[ \t]*[0-9*#]1", nullptr, &key) == 0;
    } else if (msg_ctype_cmp(&msg->ctyp, "application", "dtmf")) {
      read = re_regex(body, size, "[0-9*#]1", &key) == 0;
    } else {
      (void)sip_reply(sip, msg, 415, "Unsupported Media Type");
      return;
    }
    if (!read) {
      (void)sip_reply(sip, msg, 400, "Bad DTMF");
      return;
    }
    (void)sip_reply(sip, msg, 200, "OK");
    if (!l->agent && !l->party && !l->consultation) {
      self->digit(l->call_id, key.p[0]);  // the caller's keys go to the flow
    } else {
      self->agent_key(l, key.p[0]);  // an agent's keys may be in-call codes
    }
  }

  void digit(const std::string& call_id, char key) {
    ++counters.digits;
    hl_event event = HL_EVENT_INIT;
    event.kind = HL_EVENT_DIGIT;
    event.call_id = call_id.c_str();
    event.digit = key;
    post(event);
  }

  static void on_close(int err, const struct sip_msg* msg, void* arg) {
    auto* l = static_cast<Leg*>(arg);
    if (l->leaving) {
      l->host->close_leg(l->id);
    } else if (l->consultation) {
      l->host->consultation_closed(l);
    } else if (l->transfer) {
      l->host->transfer_leg_closed(l, err, msg);
    } else if (l->party) {
      l->host->party_leg_closed(l, err, msg);
    } else if (l->agent) {
      l->host->agent_leg_closed(l, err, msg);
    } else {
      l->host->caller_left(l, err, msg);
    }
  }

  void caller_left(Leg* l, int err, const struct sip_msg* msg) {
    const std::string call_id = l->call_id;
    log(LogLevel::info, "call {}: the caller left ({})", call_id,
        msg ? text_of(msg->met) : std::string(err ? std::strerror(err) : "closed"));
    const Call* c = call(call_id);
    const bool detached = c && c->detached;
    end_call(call_id);
    if (!detached) post_call_event(HL_EVENT_CALL_HUNG_UP, call_id);
  }

  // Forgets a call and closes what is left of it (the agent's phone too:
  // a conversation ends with its caller, an offer with its call).
  void end_call(const std::string& call_id) {
    auto it = calls.find(call_id);
    if (it == calls.end()) return;
    if (media && it->second.bridged) media->unbridge(it->second.caller_leg);
    close_leg(it->second.agent_leg);
    close_leg(it->second.transfer_leg);
    end_consultation(it->second, 480, "Temporarily Unavailable");
    for (const auto& [name, party] : it->second.parties) {
      // A supervisor still waiting for the engine gets a final answer.
      if (Leg* l = leg(party); l && l->awaiting_engine && l->sess) {
        (void)sipsess_reject(l->sess, 480, "Temporarily Unavailable", "%s", "");
      }
      close_leg(party);
    }
    close_leg(it->second.caller_leg);
    calls.erase(it);
    counters.calls_active = calls.size();
  }

  // ------------------------------------------------------------ agents' phones
  void agent_leg_closed(Leg* l, int err, const struct sip_msg* msg) {
    const std::string call_id = l->call_id;
    const bool was_talking = l->established;
    const std::uint64_t reservation = l->reservation;
    const std::string agent = l->agent_id;
    Call* c = call(call_id);
    if (c && c->agent_leg == l->id) {
      // The conversation is over: what the caller hears next (a survey, the
      // queue again) is not its recording's.
      if (was_talking) stop_recording(*c);
      if (media && c->bridged) media->unbridge(c->caller_leg);
      c->bridged = false;
      c->agent_leg = 0;
    }
    close_leg(l->id);  // l is gone from here
    if (was_talking) {
      log(LogLevel::info, "call {}: agent {} hung up", call_id, agent);
      post_call_event(HL_EVENT_AGENT_HUNG_UP, call_id);
    } else if (err == ETIMEDOUT) {
      ++counters.agent_no_answer;
      log(LogLevel::info, "call {}: agent {} did not answer", call_id, agent);
      post_reservation_event(HL_EVENT_AGENT_NO_ANSWER, reservation);
    } else {
      ++counters.agent_rejected;
      log(LogLevel::info, "call {}: agent {} declined ({} {})", call_id, agent,
          msg ? msg->scode : 0, msg ? text_of(msg->reason) : std::strerror(err));
      post_reservation_event(HL_EVENT_AGENT_REJECTED, reservation);
    }
  }

  static int on_agent_answer(const struct sip_msg* msg, void* arg) {
    auto* l = static_cast<Leg*>(arg);
    std::string why;
    if (!l->host->take_remote_sdp(l, msg->mb, false, &why)) {
      log(LogLevel::warn, "call {}: agent {}'s answer is unusable: {}", l->call_id, l->agent_id,
          why);
      return EPROTO;
    }
    return 0;
  }

  static void on_agent_progress(const struct sip_msg* msg, void* arg) {
    auto* l = static_cast<Leg*>(arg);
    log(LogLevel::debug, "call {}: agent {}'s phone: {} {}", l->call_id, l->agent_id,
        msg->scode, text_of(msg->reason));
  }

  void ring_agent(const HostCommand& command) {
    Call* c = call(command.call_id);
    const Binding* binding = registrar.binding_of_agent(command.agent_id);
    std::string why;
    Leg* l = nullptr;
    if (!c) {
      why = "the call is gone";
    } else if (!binding) {
      why = "the agent's phone is not registered";
    } else {
      if (c->agent_leg && !c->bridged) {
        // The engine has moved on from the earlier offer (its answer came
        // too late, or its withdrawal crossed it): that phone is let go.
        log(LogLevel::info, "call {}: letting go of the earlier offer's phone", c->id);
        close_leg(c->agent_leg);
        c->agent_leg = 0;
      }
      if (c->agent_leg) {
        why = "the call is already bridged to a phone";
      } else {
        l = open_leg(c->id, true, &why);
      }
    }
    if (l && sdp_encode(&l->local_sdp, l->sdp, true) != 0) {
      why = "cannot write the SDP offer";
      close_leg(l->id);
      l = nullptr;
    }
    if (!l) {
      ++counters.agent_rejected;
      log(LogLevel::warn, "call {}: cannot ring agent {}: {}", command.call_id, command.agent_id,
          why);
      post_reservation_event(HL_EVENT_AGENT_REJECTED, command.reservation);
      return;
    }
    l->agent_id = command.agent_id;
    l->reservation = command.reservation;
    c->queue_id = command.queue_id;
    ScreenPop pop{c->id, command.queue_id, screen_pop_customer(c->customer), command.ivr_path};
    const std::string headers = screen_pop_headers(pop);
    const std::string from_uri = "sip:" + uri_user(c->caller) + "@" + local_host;
    ++counters.agent_invites;
    const int err = sipsess_connect(
        &l->sess, sock, binding->contact.c_str(), nullptr, from_uri.c_str(), "hotline", nullptr,
        0, "application/sdp", l->local_sdp, nullptr, nullptr, false, &Impl::on_offer,
        &Impl::on_agent_answer, &Impl::on_agent_progress, &Impl::on_established, &Impl::on_info,
        &Impl::on_refer, &Impl::on_close, l, "%s", headers.c_str());
    if (err) {
      ++counters.agent_rejected;
      log(LogLevel::warn, "call {}: cannot send INVITE to {}: {}", c->id, binding->contact,
          std::strerror(err));
      close_leg(l->id);
      post_reservation_event(HL_EVENT_AGENT_REJECTED, command.reservation);
      return;
    }
    c->agent_leg = l->id;
    c->owner_left = false;
    log(LogLevel::info, "call {}: ringing agent {} at {}", c->id, command.agent_id,
        binding->contact);
  }

  void stop_ringing(const HostCommand& command) {
    Call* c = call(command.call_id);
    if (!c) return;
    Leg* l = leg(c->agent_leg);
    if (!l || l->reservation != command.reservation || c->bridged) return;
    // Withdrawn while ringing: CANCEL. Withdrawn though the phone had just
    // answered (the answer crossed the withdrawal): BYE, since the engine
    // will not bridge it.
    log(LogLevel::info, "call {}: no longer offering it to agent {}", c->id, l->agent_id);
    close_leg(l->id);
    c->agent_leg = 0;
  }

  void answer(Call& c) {
    Leg* l = leg(c.caller_leg);
    if (!l || l->answered) return;
    if (int err = sipsess_answer(l->sess, 200, "OK", l->local_sdp, "%s", ""); err) {
      log(LogLevel::error, "call {}: cannot answer: {}", c.id, std::strerror(err));
      return;
    }
    l->answered = true;
  }

  void bridge(const HostCommand& command) {
    Call* c = call(command.call_id);
    if (!c) return;
    Leg* agent = leg(c->agent_leg);
    if (!agent || !agent->established) {
      log(LogLevel::warn, "call {}: bridge without an answered agent leg", c->id);
      return;
    }
    answer(*c);  // a call routed straight to a queue is answered only now
    c->bridged = true;
    if (!media) return;
    for (const auto& queue : config.media.record_queues) {
      if (queue == c->queue_id) c->record_wanted = true;
    }
    media->bridge(c->caller_leg, agent->id, {});
    start_recording(*c);
  }

  void hangup(const HostCommand& command) {
    if (!call(command.call_id)) return;
    log(LogLevel::info, "call {}: hung up by the engine", command.call_id);
    finish_call(command.call_id);
  }


  void play(const HostCommand& command) {
    Call* c = call(command.call_id);
    if (!c) return;
    if (!command.loop) c->play_request = command.request_id;
    if (!media) {
      // No audio: every prompt list ends at once, so flows still advance.
      if (!command.loop) post_prompt_done(*c);
      return;
    }
    media->play(c->caller_leg, prompts_of(command.prompts_json), command.loop);
  }

  void record(const HostCommand& command) {
    Call* c = call(command.call_id);
    if (!c) return;
    const auto file =
        config.media.recordings / (c->id + "-voicemail-" + std::to_string(now_ms()) + ".wav");
    if (!media) {
      hl_event event = HL_EVENT_INIT;
      event.kind = HL_EVENT_RECORDING_DONE;
      event.call_id = c->id.c_str();
      event.recording = "";
      post(event);
      return;
    }
    media->record(c->caller_leg, file, command.max_ms, command.finish_key);
  }

  // Where a transfer's target is called: a SIP URI as it is, a phone's user
  // at its registered contact, any other number through the trunk.
  std::string transfer_uri(const std::string& target) {
    if (target.rfind("sip:", 0) == 0) return target;
    if (const PhoneAccount* phone = registrar.phone(target)) {
      if (const Binding* binding = registrar.binding_of_agent(phone->agent)) {
        return binding->contact;
      }
    }
    if (config.sip.trunk.empty()) return {};
    return "sip:" + uri_user(target) + "@" + config.sip.trunk.substr(4);
  }

  // A blind transfer: the engine is done with the call; the host calls the
  // target on a new leg and relays the caller to it once it answers. (The
  // host does not send REFER: the caller's phone may not support it, and a
  // B2BUA keeps the call's media and its end in its own hands.)
  void transfer(const HostCommand& command) {
    Call* c = call(command.call_id);
    if (!c) return;
    c->detached = true;
    owner_leaves(*c);  // a REFER that asked for this hears 200
    c->owner_left = false;  // nobody takes the call over: it is the target's
    if (media && c->bridged) media->unbridge(c->caller_leg);
    c->bridged = false;
    const std::string uri = transfer_uri(command.target);
    std::string why = uri.empty() ? "no trunk for '" + command.target + "' ($.sip.trunk)" : "";
    Leg* l = uri.empty() ? nullptr : open_leg(c->id, true, &why);
    if (l && sdp_encode(&l->local_sdp, l->sdp, true) != 0) why = "cannot write the SDP offer";
    int err = 0;
    if (l && why.empty()) {
      l->transfer = true;
      const std::string from_uri = "sip:" + uri_user(c->caller) + "@" + local_host;
      err = sipsess_connect(&l->sess, sock, uri.c_str(), nullptr, from_uri.c_str(), "hotline",
                            nullptr, 0, "application/sdp", l->local_sdp, nullptr, nullptr, false,
                            &Impl::on_offer, &Impl::on_agent_answer, &Impl::on_agent_progress,
                            &Impl::on_established, &Impl::on_info, &Impl::on_refer,
                            &Impl::on_close, l, "X-Hotline-Call: %s\r\n",
                            header_token(c->id).c_str());
      if (err) why = std::string("cannot send INVITE: ") + std::strerror(err);
    }
    if (!why.empty()) {
      if (l) close_leg(l->id);
      log(LogLevel::warn, "call {}: transfer to '{}' failed: {}", c->id, command.target, why);
      finish_call(c->id);
      return;
    }
    c->transfer_leg = l->id;
    log(LogLevel::info, "call {}: transferring to {} ({})", c->id, command.target, uri);
  }

  void transfer_connected(Leg* l) {
    Call* c = call(l->call_id);
    if (!c) return;
    log(LogLevel::info, "call {}: the transfer's target answered", c->id);
    answer(*c);
    c->bridged = true;
    if (media) media->bridge(c->caller_leg, l->id, {});
  }

  void transfer_leg_closed(Leg* l, int err, const struct sip_msg* msg) {
    const std::string call_id = l->call_id;
    if (Call* c = call(call_id)) c->transfer_leg = 0;
    log(LogLevel::info, "call {}: the transfer's target {} ({} {})", call_id,
        l->established ? "hung up" : "did not answer", msg ? msg->scode : 0,
        msg ? text_of(msg->reason) : std::string(err ? std::strerror(err) : ""));
    close_leg(l->id);
    finish_call(call_id);
  }

  // Ends a call from the host's side: the caller gets BYE, or 480 when never
  // answered; the other legs BYE or CANCEL.
  void finish_call(const std::string& call_id) {
    Call* c = call(call_id);
    if (!c) return;
    Leg* caller = leg(c->caller_leg);
    if (caller && !caller->answered && caller->sess) {
      (void)sipsess_reject(caller->sess, 480, "Temporarily Unavailable", "%s", "");
    }
    end_call(call_id);
  }

  // The engine's own ticket writer (hl_engine_use_store) keeps the subject,
  // category and priority but drops the recording, so the host writes IVR
  // tickets itself: the voicemail's file goes into the description.
  void create_ticket(const HostCommand& command) {
    json args = json::parse(command.args_json, nullptr, false);
    if (!args.is_object()) args = json::object();
    json ticket = json::object();
    for (const char* key : {"subject", "description", "category", "priority", "group"}) {
      if (args.contains(key) && args[key].is_string()) ticket[key] = args[key];
    }
    ticket["channel"] = "phone";
    std::string call_id;
    if (args.contains("call_id") && args["call_id"].is_string()) {
      call_id = args["call_id"].get<std::string>();
      ticket["contact_id"] = call_id;
    }
    if (!ticket.contains("subject")) ticket["subject"] = "Contact " + call_id;
    if (args.contains("recording") && args["recording"].is_string() &&
        !args["recording"].get<std::string>().empty()) {
      std::string description = ticket.value("description", "");
      if (!description.empty()) description += "\n";
      ticket["description"] = description + "Recording: " + args["recording"].get<std::string>();
    }
    if (Call* c = call(call_id); c && c->customer.is_object() && c->customer.contains("id")) {
      ticket["customer"] = c->customer["id"];
    }
    int ok = 0;
    json result = nullptr;
    if (!store) {
      result = json{{"error", "no store is configured ($.store)"}};
    } else {
      hl_actor actor{"hotline-sip", HL_ROLE_AGENT};
      char* created = nullptr;
      hl_error* err = nullptr;
      const std::string text = ticket.dump();
      if (hl_ticket_create(store, &actor, text.c_str(), &created, &err) == HL_OK) {
        json parsed = json::parse(created ? created : "null", nullptr, false);
        ok = 1;
        result = json{{"id", parsed.value("id", json(nullptr))},
                      {"number", parsed.value("number", json(nullptr))}};
        log(LogLevel::info, "call {}: ticket {} written", call_id, result["number"].dump());
      } else {
        result = json{{"error", err ? hl_error_message(err) : "refused"}};
        log(LogLevel::warn, "call {}: ticket refused: {}", call_id, result["error"].dump());
      }
      hl_free(created);
      hl_error_free(err);
    }
    const std::string result_json = result.dump();
    hl_event event = HL_EVENT_INIT;
    event.kind = HL_EVENT_HOST_RESULT;
    event.request_id = command.request_id;
    event.ok = ok;
    event.result_json = result_json.c_str();
    post(event);
  }

  void carry_out(const HostCommand& command) {
    using K = HostCommand::Kind;
    switch (command.kind) {
      case K::answer:
        if (Call* c = call(command.call_id)) answer(*c);
        break;
      case K::play: play(command); break;
      case K::stop_playback:
        if (Call* c = call(command.call_id); c && media) media->stop_playback(c->caller_leg);
        break;
      case K::collect_digits: break;  // keys are always reported as they come
      case K::record: record(command); break;
      case K::transfer: transfer(command); break;
      case K::hangup: hangup(command); break;
      case K::ring_agent: ring_agent(command); break;
      case K::stop_ringing: stop_ringing(command); break;
      case K::bridge: bridge(command); break;
      case K::create_ticket: create_ticket(command); break;
      case K::agent_not_ready: agent_not_ready(command.agent_id); break;
      case K::hold: hold(command); break;
      case K::resume: resume(command); break;
      case K::dial: dial(command); break;
      case K::hangup_leg: hangup_leg(command); break;
      case K::mix: mix(command); break;
      case K::record_control: record_control(command); break;
      case K::engine_refused: engine_refused(command); break;
      case K::transferred: transferred(command); break;
      case K::conversation:
        if (Call* c = call(command.call_id)) {
          // In a conference the consulted party is one of the parties.
          c->merged = command.target == "conference";
          if (c->merged) c->consulted.clear();
          // Held again while the queue's consultation had no agent yet: it
          // found nobody (consult_failed), and the agent's INVITE fails.
          if (command.target == "held" && c->consult_leg && c->consult_queue &&
              c->consulted.empty()) {
            log(LogLevel::info, "call {}: the queue's consultation found no agent", c->id);
            end_consultation(*c, 480, "Temporarily Unavailable");
          }
        }
        break;
    }
  }

  // ------------------------------------------------------------ media events
  Call* call_of_caller_leg(std::uint64_t leg_id) {
    Leg* l = leg(leg_id);
    if (!l || l->agent || l->party || l->consultation || l->leaving) return nullptr;
    return call(l->call_id);
  }

  // A call's recording ended (stopped, or the call over): listed in the log
  // with its call, agent, queue, start, end and the spans the caller was
  // on hold.
  void call_recording_done(Call* c, const media::RecordingResult& r) {
    if (c && c->recording_name == r.path.filename().string()) c->recording_name.clear();
    if (!r.ok) {
      log(LogLevel::warn, "call recording {} failed: {}", r.path.string(), r.error);
      recordings.erase(r.path.filename().string());
      return;
    }
    json entry = json::object();
    if (auto it = recordings.find(r.path.filename().string()); it != recordings.end()) {
      entry = std::move(it->second);
      recordings.erase(it);
    }
    entry["recording"] = r.path.string();
    entry["end_ms"] = now_ms();
    if (entry.contains("holds") && !entry["holds"].empty() &&
        !entry["holds"].back().contains("end_ms")) {
      entry["holds"].back()["end_ms"] = entry["end_ms"];  // the call ended on hold
    }
    entry["duration_ms"] = r.duration_ms;
    log(LogLevel::info, "call recording {}", entry.dump());
  }

  // ------------------------------------------------------------ the thread
  void run(std::promise<std::string>& started) {
    std::string error = setup();
    const bool ok = error.empty();
    started.set_value(error);
    if (!ok) {
      teardown();
      return;
    }
    log(LogLevel::info, "listening on {} (UDP{})", local_host, config.sip.tcp ? ", TCP" : "");
    re_main(nullptr);
    teardown();
  }

  std::string setup() {
    if (int err = libre_init(); err) return std::string("libre: ") + std::strerror(err);
    // Before the first socket: libre sizes its table once (descriptor_budget.hpp).
    const DescriptorBudget descriptors = raise_descriptor_limit();
    if (int err = fd_setsize(descriptors.sip_table); err) {
      return std::string("libre's descriptor table: ") + std::strerror(err);
    }
    log(LogLevel::info, "descriptors: {} open files, {} for SIP", descriptors.open_files,
        descriptors.sip_table);
    if (!mailbox.open()) return "cannot open the SIP thread's mailbox";
    tmr_init(&expiry_timer);
    tmr_init(&retention_timer);
    tmr_init(&stop_timer);
    if (config.media.keep_recordings_days > 0) sweep_old_recordings(this);
    struct sa laddr;
    if (sa_set_str(&laddr, config.sip.listen_address.c_str(), config.sip.listen_port) != 0) {
      return "$.sip.listen: not an address";
    }
    if (int err = sip_alloc(&sip, nullptr, 256, 256, 256, config.sip.user_agent.c_str(), nullptr,
                            nullptr);
        err) {
      return std::string("SIP stack: ") + std::strerror(err);
    }
    if (int err = sip_transp_add(sip, SIP_TRANSP_UDP, &laddr); err) {
      return "$.sip.listen: cannot listen on UDP " + local_host + ": " + std::strerror(err);
    }
    if (config.sip.tcp) {
      if (int err = sip_transp_add(sip, SIP_TRANSP_TCP, &laddr); err) {
        return "$.sip.tcp: cannot listen on TCP " + local_host + ": " + std::strerror(err);
      }
    }
    // Listeners are asked in the order they were added.
    if (sip_listen(&guard_listener, sip, true, &Impl::on_guard, this) != 0 ||
        sip_listen(&registrar_listener, sip, true, &Impl::on_request, this) != 0 ||
        sipsess_listen(&sock, sip, 1024, &Impl::on_invite, this) != 0 ||
        sipevent_listen(&event_sock, sip, 32, 32, nullptr, nullptr) != 0 ||
        sip_listen(&stray_listener, sip, true, &Impl::on_stray, this) != 0) {
      return "cannot install the SIP handlers";
    }
    return {};
  }

  // Deletes the recordings past their keeping time, now and every hour. A
  // folder listing an hour is cheap enough for the SIP thread.
  static void sweep_old_recordings(void* arg) {
    auto* self = static_cast<Impl*>(arg);
    const int days = self->config.media.keep_recordings_days;
    const SweepResult swept = sweep_recordings(self->config.media.recordings,
                                               std::filesystem::file_time_type::clock::now(),
                                               std::chrono::hours(24 * days));
    if (swept.removed > 0) {
      log(LogLevel::info, "deleted {} recordings older than {} days", swept.removed, days);
    }
    if (!swept.error.empty()) log(LogLevel::warn, "recordings sweep: {}", swept.error);
    tmr_start(&self->retention_timer, kRetentionSweepMs, &Impl::sweep_old_recordings, self);
  }

  void teardown() {
    tmr_cancel(&expiry_timer);
    tmr_cancel(&retention_timer);
    tmr_cancel(&stop_timer);
    std::vector<std::uint64_t> ids;
    for (const auto& item : legs) ids.push_back(item.first);
    for (auto id : ids) close_leg(id);
    calls.clear();
    stray_listener = static_cast<struct sip_lsnr*>(mem_deref(stray_listener));
    registrar_listener = static_cast<struct sip_lsnr*>(mem_deref(registrar_listener));
    guard_listener = static_cast<struct sip_lsnr*>(mem_deref(guard_listener));
    // Every leg has let go of its session above, but libre keeps a session
    // alive on its own while it waits for the ACK of its 200 (up to 32 s).
    // Such a session holds the session socket and the stack, so neither would
    // be freed and the UDP socket would stay bound (sip_close below ends the
    // transactions, which lets go of a session waiting for its BYE's reply,
    // but not this wait). The host is stopping: they are let go now.
    if (sock) sipsess_close_all(sock);
    sock = static_cast<struct sipsess_sock*>(mem_deref(sock));
    event_sock = static_cast<struct sipevent_sock*>(mem_deref(event_sock));
    if (sip) sip_close(sip, true);
    sip = static_cast<struct sip*>(mem_deref(sip));
    mailbox.close();
    libre_close();
  }

  void hang_up_everything() {
    accepting = false;
    std::vector<std::string> ids;
    for (const auto& item : calls) ids.push_back(item.first);
    for (const auto& id : ids) {
      const bool detached = calls[id].detached;
      log(LogLevel::info, "call {}: hung up, the host is stopping", id);
      finish_call(id);
      if (!detached) post_call_event(HL_EVENT_CALL_HUNG_UP, id);
    }
  }
};

SipHost::SipHost(const HostConfig& config, hl_engine* engine, hl_store* store,
                 media::MediaServer* media)
    : impl_(std::make_unique<Impl>(config, engine, store, media)) {}

SipHost::~SipHost() { stop(); }

void SipHost::use_media(media::MediaServer* media) { impl_->media = media; }

bool SipHost::start(std::string* error) {
  std::promise<std::string> started;
  auto result = started.get_future();
  impl_->running = true;
  impl_->thread = std::thread([this, &started] { impl_->run(started); });
  *error = result.get();
  if (!error->empty()) {
    impl_->thread.join();
    impl_->running = false;
    return false;
  }
  return true;
}

void SipHost::post_command(HostCommand command) {
  Impl* impl = impl_.get();
  impl->mailbox.post([impl, command = std::move(command)] { impl->carry_out(command); });
}

media::MediaEvents SipHost::media_events() {
  media::MediaEvents events;
  events.user = impl_.get();
  events.digit = [](void* user, media::LegId leg, char key) {
    auto* impl = static_cast<Impl*>(user);
    impl->mailbox.post([impl, leg, key] {
      if (Call* c = impl->call_of_caller_leg(leg)) {
        // In a conversation the caller's keys are the agent's to hear (they
        // were relayed); only a flow, before or after, reads them.
        if (c->bridged || c->held || !c->plan.empty()) return;
        impl->digit(c->id, key);
      } else if (Leg* l = impl->leg(leg)) {
        impl->agent_key(l, key);
      }
    });
  };
  events.playback_done = [](void* user, media::LegId leg, bool ok, const std::string& error) {
    auto* impl = static_cast<Impl*>(user);
    impl->mailbox.post([impl, leg, ok, error] {
      Call* c = impl->call_of_caller_leg(leg);
      if (!c) return;
      if (!ok) log(LogLevel::warn, "call {}: prompt failed: {}", c->id, error);
      impl->post_prompt_done(*c);
    });
  };
  events.recording_done = [](void* user, media::LegId leg, const media::RecordingResult& r) {
    auto* impl = static_cast<Impl*>(user);
    impl->mailbox.post([impl, leg, r] {
      Call* c = impl->call_of_caller_leg(leg);
      if (r.call_recording) return impl->call_recording_done(c, r);
      if (!c) return;
      if (!r.ok) log(LogLevel::warn, "call {}: recording failed: {}", c->id, r.error);
      const std::string path = r.ok ? r.path.string() : "";
      hl_event event = HL_EVENT_INIT;
      event.kind = HL_EVENT_RECORDING_DONE;
      event.call_id = c->id.c_str();
      event.recording = path.c_str();
      impl->post(event);
    });
  };
  return events;
}

void SipHost::hang_up_all() {
  Impl* impl = impl_.get();
  impl->mailbox.post([impl] { impl->hang_up_everything(); });
}

void SipHost::stop() {
  if (!impl_->running.exchange(false)) return;
  Impl* impl = impl_.get();
  // Half a second for the BYEs and CANCELs already sent to be answered.
  impl->mailbox.post([impl] {
    impl->accepting = false;
    tmr_start(&impl->stop_timer, 500, [](void*) { re_cancel(); }, nullptr);
  });
  if (impl->thread.joinable()) impl->thread.join();
}

json SipHost::counters() const {
  const Counters& c = impl_->counters;
  return json{{"requests", c.requests.load()},
              {"oversized", c.oversized.load()},
              {"malformed", c.malformed.load()},
              {"stray", c.stray.load()},
              {"registers_ok", c.registers_ok.load()},
              {"registers_challenged", c.registers_challenged.load()},
              {"registers_refused", c.registers_refused.load()},
              {"registers_replayed", c.registers_replayed.load()},
              {"registrations", c.registrations.load()},
              {"options", c.options.load()},
              {"invites", c.invites.load()},
              {"invites_refused", c.invites_refused.load()},
              {"calls_active", c.calls_active.load()},
              {"calls_total", c.calls_total.load()},
              {"agent_invites", c.agent_invites.load()},
              {"agent_answered", c.agent_answered.load()},
              {"agent_rejected", c.agent_rejected.load()},
              {"agent_no_answer", c.agent_no_answer.load()},
              {"infos", c.infos.load()},
              {"digits", c.digits.load()},
              {"engine_refusals", c.engine_refusals.load()}};
}

}  // namespace hotline::sip
