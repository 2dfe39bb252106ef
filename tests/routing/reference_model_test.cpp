// The router's indexes (free sets per ring with stale entries dropped when
// met, waiting sets per ring, contacts listed only when nobody takes them at
// once, agents indexed after they have looked for a contact) against a model
// that knows none of them: it keeps who is free and who waits, and finds the
// right choice by looking at everyone. Random operations; every offer is
// checked against the model's choice, and after every operation no waiting
// contact may have a free agent who could take it. Agents may also decline
// offers, and contacts may ask for skills of their own: both make the router
// read a waiting contact's record rather than judge it by its key.
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "router_fixture.hpp"

using namespace hotline;
using namespace hotline::routing;
using namespace hotline::routing::testing;

namespace {

constexpr int kQueueCount = 4;
const char* const kLanguages[] = {"en", "de", "fr", "zh"};
// "fr" and "zh", and "de" and "au", hash to the same digest bit.
const char* const kMoreLanguages[] = {"en", "de", "fr", "zh", "au", "es"};

// Forty: more values than a queue has digest bits, so that bits come to be
// shared while contacts wait whose keys noted their value's bit when it was
// still its own (ContactKey::digest_decides).
const char* const* many_languages() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (int i = 0; i < 40; ++i) v.push_back("l" + std::to_string(i));
    return v;
  }();
  static const std::vector<const char*> pointers = [] {
    std::vector<const char*> v;
    for (const std::string& n : names) v.push_back(n.c_str());
    return v;
  }();
  return pointers.data();
}

// What a run may do beyond the common operations.
struct Variation {
  const char* const* languages = kLanguages;
  unsigned language_count = 4;
  bool change_languages = false;  // agents' languages change (update_agent)
  // With hundreds, a queue's free sets span many B+ tree leaves, and a
  // contact passes over long runs of agents its language rules out, across
  // leaf boundaries, before the one it is offered to.
  int agent_count = 24;
  int steps = 3000;
  int arrivals = 1;  // contacts per arrival: more keep hundreds of agents busy
  // Agents decline offers: the contact goes back to its place, kept from the
  // decliner until the router's re-offer delay has passed.
  bool declines = false;
  // Some contacts ask for a level in a skill, checked in every ring against
  // the contact's level or the ring's least level, whichever is higher.
  bool contact_skills = false;
};

// Each ring's least level in the skills a contact asks for.
constexpr int kRingMinLevel[] = {1, 2, 1};
// Declines in a row that set an agent not ready (QueueConfig's default).
const int kMaxNoAnswer = QueueConfig{}.max_no_answer;

struct ModelAgent {
  std::string id;
  AgentConfig config;  // as last given to the router
  std::map<int, int> level;  // by queue: the level in the queue's skill (0: none)
  std::set<std::string> languages;
  bool ready = true;
  bool busy = false;  // offered or connected (capacity one)
  TimeMs idle_since = 0;
  std::int64_t contacts_today = 0;
  int declines_in_a_row = 0;  // since it last answered or became available
};

struct ModelContact {
  int queue = 0;
  std::string language;
  int ring = 0;
  std::uint64_t seq = 0;  // arrival order: all arrive with priority 0
  std::vector<std::pair<std::string, int>> skills;  // the contact's own
  AgentIndex declined_by = kNoIndex;                // the last agent who declined it
  TimeMs declined_until = 0;                        // kept from that agent until then
};

// What best_contact may leave out, to tell which decisions needed it.
struct Ignoring {
  bool declines = false;
  bool skills = false;
};

struct Model {
  Strategy strategy;
  std::vector<int> priority;  // by queue
  std::vector<ModelAgent> agents;  // by AgentIndex
  std::map<ContactId, ModelContact> waiting;
  std::map<ContactId, ModelContact> rung;  // offered, not yet answered
  TimeMs now = 0;          // of the decision being checked
  TimeMs advanced_to = 0;  // the router's timers have fired up to here

  static int skill(const ModelAgent& a, const std::string& name) {
    for (const auto& [queue, level] : a.level) {
      if (name == "skill" + std::to_string(queue)) return level;
    }
    return 0;
  }
  // Ring 0: level 3 and the caller's language; ring 1: the skill; ring 2: anyone.
  // In each ring, the skills the contact asks for at the ring's least level.
  bool admits(const ModelAgent& a, const ModelContact& c, Ignoring ignore = {}) const {
    auto it = a.level.find(c.queue);
    if (it == a.level.end()) return false;  // not a member
    const int level = it->second;
    for (int ring = 0; ring <= c.ring; ++ring) {
      const bool target = ring == 0   ? level >= 3 && a.languages.count(c.language) != 0
                          : ring == 1 ? level >= 1
                                      : true;
      bool skills = true;
      for (const auto& [name, least] : ignore.skills ? decltype(c.skills){} : c.skills) {
        if (skill(a, name) < std::max(least, kRingMinLevel[ring])) skills = false;
      }
      if (target && skills) return true;
    }
    return false;
  }
  bool free(const ModelAgent& a) const { return a.ready && !a.busy; }
  // Whether the agent may not be offered the contact now.
  bool kept_from(AgentIndex i, const ModelContact& c) const {
    return c.declined_by == i && now < c.declined_until;
  }

  // The agent a contact gets: the strategy's first among those who may take
  // it; kNoIndex when nobody may. `pending_retries`: a decliner is passed
  // over, even after its delay, until time has been let pass beyond it (the
  // router's retry for the contact fires then). The agent looking for a
  // contact meanwhile could take it too; this does not count on that.
  AgentIndex best_agent(const ModelContact& c, bool pending_retries = false) const {
    AgentIndex best = kNoIndex;
    auto order = [&](AgentIndex i) {
      const ModelAgent& a = agents[i];
      const std::int64_t primary =
          strategy == Strategy::kFewestContacts ? a.contacts_today : a.idle_since;
      const std::int64_t secondary = strategy == Strategy::kFewestContacts ? a.idle_since : 0;
      return std::make_tuple(primary, secondary, i);
    };
    for (AgentIndex i = 0; i < agents.size(); ++i) {
      if (!free(agents[i]) || !admits(agents[i], c) || kept_from(i, c)) continue;
      if (pending_retries && c.declined_by == i && c.declined_until > advanced_to) continue;
      if (best == kNoIndex || order(i) < order(best)) best = i;
    }
    return best;
  }

  // The contact an agent takes: the highest queue priority, then the oldest;
  // 0 when it may take none.
  ContactId best_contact(AgentIndex ai, Ignoring ignore = {}) const {
    ContactId best = 0;
    auto order = [&](ContactId id) {
      const ModelContact& c = waiting.at(id);
      return std::make_pair(-priority[static_cast<std::size_t>(c.queue)], c.seq);
    };
    for (const auto& [id, c] : waiting) {
      if (!admits(agents[ai], c, ignore) || (!ignore.declines && kept_from(ai, c))) continue;
      if (best == 0 || order(id) < order(best)) best = id;
    }
    return best;
  }
};

std::string queue_name(int q) { return "q" + std::to_string(q); }

void run(Strategy strategy, std::uint64_t seed, Variation variation = {}) {
  auto language = [&](std::mt19937_64& rng) {
    return variation.languages[rng() % variation.language_count];
  };
  std::mt19937_64 rng(seed);
  Harness h;
  Model model{strategy, {}, {}, {}, {}, 0, 0};
  for (int q = 0; q < kQueueCount; ++q) {
    QueueConfig c = queue(queue_name(q), strategy);
    c.priority = q % 2;
    const std::string skill = "skill" + std::to_string(q);
    c.rings.push_back(Ring{
        compile(("agent.skills." + skill + " >= 3 AND contact.language IN agent.languages")
                    .c_str()),
        1, 20'000});
    c.rings.push_back(Ring{compile(("agent.skills." + skill + " >= 1").c_str()), kRingMinLevel[1],
                           40'000});
    c.rings.push_back(Ring{{}, 1, kNever});
    model.priority.push_back(c.priority);
    h.add(c);
  }
  for (int i = 0; i < variation.agent_count; ++i) {
    ModelAgent m;
    m.id = "a" + std::to_string(i);
    std::vector<std::string> queues;
    std::vector<std::pair<std::string, int>> skills;
    for (int q = 0; q < kQueueCount; ++q) {
      if (rng() % 2) continue;
      queues.push_back(queue_name(q));
      const int level = static_cast<int>(rng() % 6);  // 0: a member without the skill
      if (level > 0) skills.emplace_back("skill" + std::to_string(q), level);
      m.level[q] = level;
    }
    std::vector<std::string> languages{language(rng), language(rng)};
    m.languages.insert(languages.begin(), languages.end());
    AgentConfig a = agent(m.id, queues, skills);
    a.attributes.set("languages", languages);
    m.config = a;
    h.add(a);
    model.agents.push_back(m);
  }
  for (int i = 0; i < variation.agent_count; ++i) {
    // Staggered logins: idle order differs from index order.
    ModelAgent& m = model.agents[static_cast<std::size_t>(i)];
    h.login(m.id);
    m.idle_since = h.now;
    if (rng() % 3 == 0) {
      REQUIRE(h.router.set_not_ready(m.id, "break", h.now).ok());
      m.ready = false;
    }
    h.now += static_cast<TimeMs>(rng() % 3);  // some log in at the same time
  }
  h.clear();

  std::uint64_t next_seq = 0;
  std::string arriving_language;  // of the contact being enqueued
  std::vector<std::pair<std::string, int>> arriving_skills;
  std::map<ReservationId, std::pair<ContactId, AgentIndex>> offered;
  std::map<ContactId, AgentIndex> connected;
  std::size_t offers_to_contacts = 0;  // chosen for a contact (arrival, widening)
  std::size_t offers_to_agents = 0;    // chosen for a freed agent
  // Agents' choices that passed over a contact in ring 1 or wider (where the
  // rings are settled by the agent's configuration, and a contact is judged
  // by its key when it can be) because the agent had declined it, or
  // because it asked for skills the agent lacks: the record decided.
  std::size_t passed_over_declined = 0;
  std::size_t passed_over_skills = 0;
  std::size_t set_not_ready = 0;  // agents who declined too often in a row
  const DurationMs reoffer_delay = RouterOptions{}.reoffer_delay_ms;
  // Whether the contact an agent took would have been another without the
  // declines, or without the contacts' skills, and that other one waited in
  // ring 1 or wider.
  auto record_decided = [&](AgentIndex ai, ContactId taken, Ignoring ignore) {
    const ContactId other = model.best_contact(ai, ignore);
    return other != taken && other != 0 && model.waiting.at(other).ring >= 1;
  };

  // Reads the outputs of one operation in order, checks each offer against
  // the model's choice for what triggered it, and keeps the model in step.
  // `freed_agent`: the agent the operation made ready, or kNoIndex.
  // `ticking`: the operation let time pass, firing the router's timers.
  auto settle = [&](AgentIndex freed_agent, bool ticking = false) {
    model.now = h.now;
    if (ticking) model.advanced_to = h.now;
    ContactId contact_trigger = 0;  // none
    AgentIndex agent_trigger = freed_agent;
    // A declined contact looks for another agent first; then the decliner
    // looks for another contact.
    AgentIndex after_contact = kNoIndex;
    AgentIndex due_not_ready = kNoIndex;  // declined too often in a row
    for (const Output& o : h.router.outputs()) {
      switch (o.kind) {
        case Output::Kind::kContactQueued:
          model.waiting[o.contact] = ModelContact{static_cast<int>(o.queue), arriving_language, 0,
                                                  next_seq++, arriving_skills};
          contact_trigger = o.contact;
          agent_trigger = kNoIndex;
          break;
        case Output::Kind::kRingWidened:
          // A contact being rung widens too; only a waiting one is routed.
          if (model.waiting.count(o.contact)) {
            model.waiting.at(o.contact).ring = static_cast<int>(o.value);
            contact_trigger = o.contact;
            agent_trigger = kNoIndex;
          } else {
            model.rung.at(o.contact).ring = static_cast<int>(o.value);
          }
          break;
        case Output::Kind::kOffer: {
          REQUIRE(model.waiting.count(o.contact) == 1);
          const ModelContact& c = model.waiting.at(o.contact);
          // Timers act at the moment they fall due, within a tick: a decline
          // still holds then if its delay ends later in the same tick.
          model.now = o.time;
          // The router looks again for a declined contact when its delay
          // ends (a timer, with no output of its own).
          const bool retried =
              ticking && c.declined_by != kNoIndex && o.time == c.declined_until;
          if (contact_trigger == o.contact || retried) {
            CHECK(model.best_agent(c) == o.agent);
            ++offers_to_contacts;
            agent_trigger = after_contact;
          } else {
            REQUIRE(agent_trigger == o.agent);
            REQUIRE(model.free(model.agents[o.agent]));
            CHECK(model.best_contact(o.agent) == o.contact);
            ++offers_to_agents;
            agent_trigger = kNoIndex;
            passed_over_declined += record_decided(o.agent, o.contact, {true, false});
            passed_over_skills += record_decided(o.agent, o.contact, {false, true});
          }
          model.rung[o.contact] = c;
          model.waiting.erase(o.contact);
          model.agents[o.agent].busy = true;
          offered[o.reservation] = {o.contact, o.agent};
          contact_trigger = 0;
          after_contact = kNoIndex;
          break;
        }
        case Output::Kind::kOfferRejected: {
          // The agent is free again, idle as before; the contact is kept
          // from it for the re-offer delay.
          ModelAgent& a = model.agents[o.agent];
          a.busy = false;
          ModelContact& c = model.rung.at(o.contact);
          c.declined_by = o.agent;
          c.declined_until = o.time + reoffer_delay;
          after_contact = o.agent;
          ++a.declines_in_a_row;
          CHECK(o.value == a.declines_in_a_row);
          if (a.declines_in_a_row >= kMaxNoAnswer) due_not_ready = o.agent;
          break;
        }
        case Output::Kind::kAgentAutoNotReady:
          // Too many offers declined in a row: exactly then.
          CHECK(due_not_ready == o.agent);
          due_not_ready = kNoIndex;
          model.agents[o.agent].ready = false;
          ++set_not_ready;
          break;
        case Output::Kind::kContactRequeued:
          CHECK(due_not_ready == kNoIndex);
          model.waiting[o.contact] = model.rung.at(o.contact);
          model.rung.erase(o.contact);
          contact_trigger = o.contact;
          agent_trigger = after_contact;
          break;
        case Output::Kind::kRescind:
          // An abandoned contact's offer: its agent is free again, idle as before.
          model.agents[o.agent].busy = false;
          offered.erase(o.reservation);
          model.rung.erase(o.contact);
          agent_trigger = o.agent;
          break;
        case Output::Kind::kWrapUpEnded:
          model.agents[o.agent].busy = false;
          model.agents[o.agent].idle_since = o.time;
          agent_trigger = o.agent;
          break;
        default: break;
      }
    }
    h.clear();
    CHECK(due_not_ready == kNoIndex);
    // Every contact rung is one the model knows as rung, and the other way round.
    CHECK(model.rung.size() == offered.size());
    for (const auto& [reservation, offer] : offered) CHECK(model.rung.count(offer.first) == 1);
    // An agent becoming ready judges the sets' first keys by their copies.
    CHECK(h.router.waiting_heads_match_for_testing());
    // Nobody is left waiting who has a free agent to take them.
    model.now = h.now;
    ContactId stranded = 0;
    for (const auto& [id, c] : model.waiting) {
      if (model.best_agent(c, /*pending_retries=*/true) != kNoIndex) stranded = id;
    }
    CHECK(stranded == 0);
  };

  for (int step = 0; step < variation.steps; ++step) {
    const unsigned op = static_cast<unsigned>(rng() % 13);
    if (op < 3) {
      for (int n = 0; n < variation.arrivals; ++n) {
        const int q = static_cast<int>(rng() % kQueueCount);
        ContactSpec s = contact(queue_name(q));
        arriving_language = language(rng);
        s.attributes.set("language", arriving_language);
        arriving_skills.clear();
        if (variation.contact_skills && rng() % 4 == 0) {
          // Mostly a level in the queue's own skill; now and then in another's.
          arriving_skills.emplace_back("skill" + std::to_string(q), 1 + static_cast<int>(rng() % 4));
          if (rng() % 4 == 0) {
            arriving_skills.emplace_back("skill" + std::to_string((q + 1) % kQueueCount), 1);
          }
        }
        s.skills = arriving_skills;
        h.enqueue(s);
        settle(kNoIndex);
      }
    } else if (op < 5 && !offered.empty()) {
      auto it = offered.begin();
      std::advance(it, static_cast<long>(rng() % offered.size()));
      const auto [contact_id, agent_index] = it->second;
      REQUIRE(h.router.accept(it->first, h.now).ok());
      offered.erase(it);
      model.rung.erase(contact_id);
      model.agents[agent_index].declines_in_a_row = 0;
      connected[contact_id] = agent_index;
      ++model.agents[agent_index].contacts_today;
      settle(kNoIndex);
    } else if (op < 8 && !connected.empty()) {
      auto it = connected.begin();
      std::advance(it, static_cast<long>(rng() % connected.size()));
      const ContactId id = it->first;
      connected.erase(it);
      REQUIRE(h.router.complete(id, h.now).ok());  // no wrap-up: the agent is freed now
      settle(kNoIndex);
    } else if (op < 10) {
      const auto ai = static_cast<AgentIndex>(rng() % static_cast<unsigned>(variation.agent_count));
      ModelAgent& a = model.agents[ai];
      if (a.ready && !a.busy) {
        REQUIRE(h.router.set_not_ready(a.id, "break", h.now).ok());
        a.ready = false;
        settle(kNoIndex);
      } else if (!a.ready) {
        REQUIRE(h.router.set_available(a.id, h.now).ok());
        a.ready = true;
        a.declines_in_a_row = 0;
        a.idle_since = h.now;
        settle(ai);
      }
    } else if (op == 10) {
      // A caller hangs up, waiting or while rung.
      std::vector<ContactId> candidates;
      for (const auto& [id, c] : model.waiting) candidates.push_back(id);
      for (const auto& [rid, offer] : offered) candidates.push_back(offer.first);
      if (candidates.empty()) continue;
      const ContactId id = candidates[rng() % candidates.size()];
      REQUIRE(h.router.abandon(id, h.now).ok());
      model.waiting.erase(id);
      model.rung.erase(id);
      settle(kNoIndex);
    } else if (op == 11 && variation.declines && !offered.empty()) {
      // The agent rung declines.
      auto it = offered.begin();
      std::advance(it, static_cast<long>(rng() % offered.size()));
      const ReservationId declined = it->first;
      offered.erase(it);
      REQUIRE(h.router.reject(declined, h.now).ok());
      settle(kNoIndex);
    } else if (op == 12 && variation.change_languages) {
      // An agent's languages change; it looks for a contact if it is free.
      const auto ai = static_cast<AgentIndex>(rng() % static_cast<unsigned>(variation.agent_count));
      ModelAgent& a = model.agents[ai];
      std::vector<std::string> languages{language(rng)};
      if (rng() % 2) languages.push_back(language(rng));
      a.languages = std::set<std::string>(languages.begin(), languages.end());
      a.config.attributes.set("languages", languages);
      REQUIRE(h.router.update_agent(a.config, h.now).ok());
      settle(ai);
    } else {
      h.tick(static_cast<DurationMs>(rng() % 15'000));
      settle(kNoIndex, /*ticking=*/true);
    }
    h.now += 1 + static_cast<TimeMs>(rng() % 200);
  }
  // The run reached both directions of the decision, many times.
  CHECK(offers_to_contacts > 100);
  CHECK(offers_to_agents > 100);
  if (variation.declines) CHECK(passed_over_declined > 20);
  if (variation.declines) CHECK(set_not_ready > 3);
  if (variation.contact_skills) CHECK(passed_over_skills > 30);
}

}  // namespace

TEST_CASE("longest idle: every offer is the one a full scan would make") {
  for (std::uint64_t seed : {1u, 2u, 3u}) run(Strategy::kLongestIdle, seed);
}

TEST_CASE("fewest contacts: every offer is the one a full scan would make") {
  for (std::uint64_t seed : {4u, 5u}) run(Strategy::kFewestContacts, seed);
}

TEST_CASE("languages that share digest bits and change: every offer is the one a full scan would "
          "make") {
  const Variation variation{kMoreLanguages, 6, true};
  for (std::uint64_t seed : {6u, 7u}) run(Strategy::kLongestIdle, seed, variation);
  run(Strategy::kFewestContacts, 8u, variation);
}

TEST_CASE("more languages than digest bits, shared while contacts wait: every offer is the one "
          "a full scan would make") {
  Variation variation{many_languages(), 40, true};
  variation.steps = 8000;
  for (std::uint64_t seed : {17u, 18u}) run(Strategy::kLongestIdle, seed, variation);
  run(Strategy::kFewestContacts, 19u, variation);
  variation.agent_count = 200;
  variation.arrivals = 2;
  run(Strategy::kLongestIdle, 20u, variation);
}

TEST_CASE("hundreds of agents, long runs passed over: every offer is the one a full scan would "
          "make") {
  Variation many;
  many.agent_count = 400;
  many.steps = 4000;
  many.arrivals = 2;
  run(Strategy::kLongestIdle, 9u, many);
  run(Strategy::kFewestContacts, 10u, many);
  Variation shared_bits{kMoreLanguages, 6, true};
  shared_bits.agent_count = 400;
  shared_bits.steps = 4000;
  shared_bits.arrivals = 2;
  run(Strategy::kLongestIdle, 11u, shared_bits);
}

TEST_CASE("declines and contacts' own skills: every offer is the one a full scan would make") {
  Variation records;  // contacts judged on their records, not on their keys
  records.declines = true;
  records.contact_skills = true;
  for (std::uint64_t seed : {12u, 13u}) run(Strategy::kLongestIdle, seed, records);
  run(Strategy::kFewestContacts, 14u, records);
  Variation many = records;
  many.agent_count = 400;
  many.steps = 4000;
  many.arrivals = 2;
  run(Strategy::kLongestIdle, 15u, many);
  run(Strategy::kFewestContacts, 16u, many);
}
