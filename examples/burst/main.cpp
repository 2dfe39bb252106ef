// hotline-burst: routes a scripted burst of contacts through the routing
// engine on a virtual clock and prints what happened, agent by agent.
//
//   hotline-burst center.json [contacts] [seed]
//
// Agents answer after a few seconds of ringing (now and then not at all),
// talk for an exponentially distributed time and finish their wrap-up on the
// queue's timer; callers hang up if they wait too long. The queue figures
// come from a KPI collector fed with the router's outputs, as every host's do.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <queue>
#include <random>

#include "hotline/engine/kpi_feed.hpp"
#include "hotline/metrics/kpi.hpp"
#include "hotline/routing/config_json.hpp"
#include "hotline/routing/router.hpp"

using namespace hotline;
using namespace hotline::routing;

namespace {

// The host's own agenda: what callers and agents will do, and when.
struct Action {
  TimeMs at;
  enum Kind { kArrive, kAnswer, kHangUp, kGiveUp, kVoicemail } kind;
  std::uint64_t subject;  // a contact id or a reservation id
  bool operator>(const Action& o) const { return at > o.at; }
};

std::string clock_text(TimeMs ms) {
  const TimeMs s = ms / 1000;
  return fmt::format("{:02}:{:02}:{:02}", 9 + s / 3600, (s / 60) % 60, s % 60);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: hotline-burst center.json [contacts] [seed]\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::cerr << "hotline-burst: cannot open " << argv[1] << "\n";
    return 1;
  }
  nlohmann::json config = nlohmann::json::parse(in, nullptr, false);
  if (config.is_discarded()) {
    std::cerr << "hotline-burst: " << argv[1] << " is not valid JSON\n";
    return 1;
  }
  const int contacts = argc > 2 ? std::atoi(argv[2]) : 40;
  const std::uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 7;

  RouterOptions options;
  options.seed = seed;
  Router router(options);
  if (auto st = load_routing_config(router, config); !st) {
    std::cerr << "hotline-burst: " << argv[1] << ": " << st.error().message << "\n";
    return 1;
  }
  metrics::KpiCollector kpi;
  engine::KpiFeed feed(kpi, router);
  std::mt19937_64 rng(seed);
  std::priority_queue<Action, std::vector<Action>, std::greater<>> agenda;
  TimeMs now = 0;
  for (const std::string& id : router.agent_ids()) (void)router.login(id, now);

  // The burst: contacts over ten minutes, mostly billing calls.
  std::vector<ContactSpec> specs;
  const char* languages[] = {"en", "zh", "es", "de"};
  for (int i = 0; i < contacts; ++i) {
    ContactSpec c;
    c.external_id = fmt::format("call-{:03}", i + 1);
    const int kind = static_cast<int>(rng() % 10);
    c.queue_id = kind < 6 ? "billing" : kind < 8 ? "vip" : "chat";
    if (c.queue_id == "chat") c.channel = Channel::kChat;
    c.attributes.set("language", languages[rng() % 4]);
    specs.push_back(std::move(c));
    agenda.push({static_cast<TimeMs>(rng() % 600'000), Action::kArrive, specs.size() - 1});
  }
  std::map<ContactId, std::size_t> spec_of;
  std::exponential_distribution<double> talk(1.0 / 150'000);
  std::exponential_distribution<double> patience(1.0 / 120'000);

  auto log = [&](const std::string& line) { std::cout << clock_text(now) << "  " << line << "\n"; };
  auto react = [&] {
    for (const Output& o : router.outputs()) {
      feed.on(o);
      const std::string who = o.agent != kNoIndex ? router.agent_id(o.agent) : "";
      const std::string what(router.contact_external_id(o.contact));
      switch (o.kind) {
        case Output::Kind::kOffer:
          log(fmt::format("ring {:5} for {}", who, what));
          // One offer in eight goes unanswered; the rest are picked up in 2-6 s.
          if (rng() % 8 != 0) {
            agenda.push({now + 2000 + static_cast<TimeMs>(rng() % 4000), Action::kAnswer,
                         o.reservation});
          }
          break;
        case Output::Kind::kOfferAccepted:
          log(fmt::format("{:5} answers {} after {} s in queue", who, what, o.value / 1000));
          agenda.push({now + static_cast<TimeMs>(talk(rng)) + 20'000, Action::kHangUp, o.contact});
          break;
        case Output::Kind::kOfferTimedOut:
          log(fmt::format("{:5} did not answer {}", who, what));
          break;
        case Output::Kind::kAgentAutoNotReady:
          log(fmt::format("{:5} set not ready after {} missed offers", who, o.value));
          break;
        case Output::Kind::kRingWidened:
          log(fmt::format("{} widens to ring {}", what, o.value));
          break;
        case Output::Kind::kQueueOverflow:
          log(fmt::format("{} waited the queue's maximum; the caller is sent to voicemail", what));
          agenda.push({now, Action::kVoicemail, o.contact});
          break;
        default: break;
      }
    }
    router.outputs().clear();
  };

  while (!agenda.empty() || router.next_deadline() != kNever) {
    const TimeMs next = agenda.empty() ? router.next_deadline()
                                       : std::min(agenda.top().at, router.next_deadline());
    now = next;
    router.advance(now);
    react();
    while (!agenda.empty() && agenda.top().at <= now) {
      Action a = agenda.top();
      agenda.pop();
      switch (a.kind) {
        case Action::kArrive: {
          const ContactSpec& spec = specs[a.subject];
          auto id = router.enqueue(spec, now);
          if (!id) {
            log(fmt::format("{} refused: {}", spec.external_id, id.error().message));
            break;
          }
          spec_of[*id] = a.subject;
          log(fmt::format("{} joins {} ({})", spec.external_id, spec.queue_id,
                          spec.attributes.find("language")->as_string()));
          agenda.push({now + static_cast<TimeMs>(patience(rng)) + 30'000, Action::kGiveUp, *id});
          break;
        }
        case Action::kAnswer: (void)router.accept(a.subject, now); break;
        case Action::kHangUp: (void)router.complete(a.subject, now); break;
        case Action::kVoicemail: (void)router.remove(a.subject, now); break;
        case Action::kGiveUp: {
          auto snap = router.contact_snapshot(a.subject);
          if (snap && (snap->state == ContactState::kWaiting ||
                       snap->state == ContactState::kOffered)) {
            log(fmt::format("{} hangs up after waiting", snap->external_id));
            (void)router.abandon(a.subject, now);
          }
          break;
        }
      }
      react();
    }
  }

  std::cout << "\nAgents\n";
  std::cout << fmt::format("{:<6} {:<6} {:>8} {:>8} {:>8} {:>10}  {}\n", "id", "name", "offered",
                           "answered", "missed", "talk", "state");
  for (const std::string& id : router.agent_ids()) {
    auto a = router.agent_snapshot(id).value();
    std::cout << fmt::format("{:<6} {:<6} {:>8} {:>8} {:>8} {:>9}s  {}{}\n", a.id, a.name,
                             a.offered, a.answered, a.missed, a.talk_ms_today / 1000,
                             agent_state_name(a.state),
                             a.not_ready_reason.empty() ? "" : " (" + a.not_ready_reason + ")");
  }
  std::cout << "\nQueues\n";
  std::cout << fmt::format("{:<8} {:>7} {:>8} {:>9} {:>7} {:>8} {:>7}\n", "id", "offered",
                           "answered", "abandoned", "refused", "SL", "ASA");
  for (const std::string& id : router.queue_ids()) {
    const metrics::QueueCounts q = kpi.queue_total(id);
    const double sl = 100.0 * metrics::service_level(q, kpi.options().formula);
    const double asa = metrics::average_speed_of_answer_ms(q) / 1000.0;
    std::cout << fmt::format("{:<8} {:>7} {:>8} {:>9} {:>7} {:>7.1f}% {:>6.1f}s\n", id, q.offered,
                             q.answered, q.abandoned, q.refused, sl, asa);
  }
  return 0;
}
