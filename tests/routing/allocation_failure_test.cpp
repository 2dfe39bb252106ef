// Adding or updating an agent either happens whole or not at all: when an
// allocation fails (std::bad_alloc) anywhere inside the call, the router is
// left as it was. Every allocation in the binary passes through the
// replacement operator new of tests/failing_allocator.hpp, which can be
// told to fail the Nth; each
// test runs its call with N = 1, 2, ... until the call succeeds, on a router
// built afresh each time, and after every failure compares it with a router
// built the same way that never saw the call: agents, their configurations
// and states, queues, and the offers that following decisions make. The
// routers' ordered sets take their nodes from operator new rather than the
// router's pool (which would serve most from chunks it holds), so the
// nodes that staging an agent's free-set entries inserts can fail too.
#include <functional>
#include <memory_resource>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "failing_allocator.hpp"
#include "router_fixture.hpp"

namespace counted = hotline::testing::allocations;

using namespace hotline;
using namespace hotline::routing;
using namespace hotline::routing::testing;

namespace {

constexpr const char* kLanguages[] = {"en", "de", "fr"};

AgentConfig member(std::string id, std::vector<std::string> queues,
                   std::vector<std::pair<std::string, int>> skills,
                   std::vector<std::string> languages) {
  AgentConfig a = agent(std::move(id), std::move(queues), std::move(skills));
  a.attributes.set("languages", languages);
  return a;
}

// Queues of each kind of ring the memberships compute (a skill threshold, a
// membership test, a queue's own skills, members it lists), agents free in
// them (logged in), one logged out, one not ready with a reason (its rest).
void build(Router& r) {
  r.set_node_resource_for_testing(std::pmr::new_delete_resource());
  const TimeMs now = 1'000'000;
  QueueConfig sales = queue("sales");
  Ring experts;
  experts.target = compile("agent.skills.billing >= 3 AND contact.language IN agent.languages");
  experts.timeout_ms = 10'000;
  Ring anyone;
  anyone.target = compile("agent.skills.billing >= 1");
  anyone.timeout_ms = 10'000;
  sales.rings = {experts, anyone, Ring{}};
  REQUIRE(r.add_queue(sales).ok());
  QueueConfig support = queue("support", Strategy::kMostSkilled);
  support.skills = {{"tech", 1}};
  REQUIRE(r.add_queue(support).ok());
  // No agent lists it: its free set is empty, and an agent's first entry
  // there allocates the set's first leaf.
  REQUIRE(r.add_queue(queue("backoffice")).ok());
  QueueConfig vip = queue("vip", Strategy::kLinear);
  vip.members = {{"carl", 2, 1}, {"new", 1, 1}};
  REQUIRE(r.add_queue(vip).ok());
  REQUIRE(r.add_agent(member("ada", {"sales", "support"}, {{"billing", 4}, {"tech", 2}},
                             {"en", "de"}))
              .ok());
  REQUIRE(r.add_agent(member("bob", {"sales"}, {{"billing", 1}}, {"fr"})).ok());
  REQUIRE(r.add_agent(member("carl", {"support"}, {{"tech", 5}}, {"en"})).ok());
  AgentConfig dora = member("dora", {"support", "sales"}, {{"tech", 1}, {"billing", 3}}, {"fr"});
  dora.role = AgentRole::kSupervisor;
  REQUIRE(r.add_agent(dora).ok());
  REQUIRE(r.add_agent(member("eve", {"sales"}, {{"billing", 2}}, {"de"})).ok());
  for (const char* id : {"ada", "bob", "carl", "dora"}) REQUIRE(r.login(id, now).ok());
  REQUIRE(r.set_not_ready(std::string_view("dora"), "training", now).ok());
  r.outputs().clear();
}

// What the router shows of itself, as text, followed by what it does with
// new contacts in each queue: each offer's agent, and each agent then put
// back to available for the next.
std::vector<std::string> observe(Router& r) {
  TimeMs now = 2'000'000;
  std::vector<std::string> seen;
  for (const std::string& id : r.agent_ids()) {
    auto c = r.agent_config(id);
    REQUIRE(c.has_value());
    std::string line = "agent " + c->id + " " + c->name + " role " +
                       std::to_string(static_cast<int>(c->role)) + " number " + c->number;
    for (const auto& [skill, level] : c->skills) line += " " + skill + "=" + std::to_string(level);
    for (const std::string& q : c->queues) line += " q:" + q;
    for (int cap : c->capacity) line += " cap " + std::to_string(cap);
    auto s = r.agent_snapshot(id);
    REQUIRE(s.ok());
    line += " state " + std::to_string(static_cast<int>(s->state)) + " " + s->not_ready_reason;
    seen.push_back(line);
  }
  for (const std::string& q : r.queue_ids()) {
    auto s = r.queue_snapshot(q, now);
    REQUIRE(s.ok());
    seen.push_back("queue " + q + " waiting " + std::to_string(s->waiting) + " in " +
                   std::to_string(s->agents_logged_in) + " free " +
                   std::to_string(s->agents_available));
  }
  r.outputs().clear();
  int n = 0;
  for (const std::string& q : r.queue_ids()) {
    for (const char* language : kLanguages) {
      ContactSpec spec = contact(q, 0, "c" + std::to_string(n++));
      spec.attributes.set("language", language);
      auto id = r.enqueue(std::move(spec), ++now);
      REQUIRE(id.ok());
      for (const Output& o : r.outputs()) {
        if (o.kind != Output::Kind::kOffer) continue;
        seen.push_back(q + " " + language + " offered to " + r.agent_id(o.agent));
      }
      r.outputs().clear();
      now += 60'000;  // past every ring's timeout
      r.advance(now);
      for (const Output& o : r.outputs()) {
        if (o.kind != Output::Kind::kOffer) continue;
        seen.push_back(q + " " + language + " widened to " + r.agent_id(o.agent));
      }
      r.outputs().clear();
      (void)r.remove(*id, now);
    }
  }
  return seen;
}

// For the calls under test: doctest's REQUIRE would catch the bad_alloc.
template <typename R>
void must(const R& result) {
  if (!result.ok()) throw std::runtime_error(result.error().message);
}

// Runs `call` on a router built by build() with its Nth allocation failing,
// for N = 1, 2, ... until it succeeds; returns the number of failures.
// `then`, run after the call succeeds, puts what it changed to work.
int fail_each_allocation(const std::function<void(Router&)>& call,
                         const std::function<void(Router&)>& then = [](Router&) {}) {
  Router reference;
  build(reference);
  const std::vector<std::string> before = observe(reference);
  Router done;
  build(done);
  call(done);
  then(done);
  const std::vector<std::string> after = observe(done);
  REQUIRE(before != after);  // the call changes something to be left undone
  for (long n = 0;; ++n) {
    Router r;
    build(r);
    counted::fail_in(n + 1);
    bool failed = false;
    try {
      call(r);
    } catch (const std::bad_alloc&) {
      failed = true;
    }
    counted::disarm();
    if (!failed) {
      then(r);
      CHECK(observe(r) == after);
      return static_cast<int>(n);
    }
    INFO("allocation ", n + 1, " failed");
    CHECK(observe(r) == before);
  }
}

}  // namespace

TEST_CASE("an agent added while allocations fail is added whole or not at all") {
  const int failures = fail_each_allocation([](Router& r) {
    auto added = r.add_agent(member("new", {"sales", "support"}, {{"billing", 5}, {"tech", 3}},
                                    {"fr", "de"}));
    must(added);
  }, [](Router& r) { must(r.login("new", 1'000'000)); });
  CHECK(failures > 5);
}

TEST_CASE("an agent whose configuration lists queues out of order is added whole or not at all") {
  // Out of order: its rest keeps the queues as listed.
  const int failures = fail_each_allocation([](Router& r) {
    AgentConfig a =
        member("new", {"support", "vip", "sales"}, {{"tech", 2}, {"billing", 1}}, {"en"});
    a.number = "+49 30 1234 5678 ext. 99";
    must(r.add_agent(std::move(a)));
  });
  CHECK(failures > 5);
}

TEST_CASE("a free agent updated while allocations fail is updated whole or not at all") {
  // New skills, languages, queues and capacity: every free-set entry moves.
  const int failures = fail_each_allocation([](Router& r) {
    AgentConfig a = member("ada", {"support", "vip"}, {{"billing", 1}, {"tech", 4}}, {"fr"});
    a.capacity = {1, 2, 0, 0};
    must(r.update_agent(std::move(a), 1'500'000));
  });
  CHECK(failures > 5);
}

TEST_CASE("a free agent whose staging fails after an entry went in is updated whole or not at all") {
  // Its new entry in support goes into a leaf with room; its first entry in
  // backoffice then allocates that set's first leaf, and when that fails the
  // entry already in support must come out again.
  const int failures = fail_each_allocation([](Router& r) {
    AgentConfig a =
        member("ada", {"support", "backoffice"}, {{"billing", 4}, {"tech", 9}}, {"en"});
    must(r.update_agent(std::move(a), 1'500'000));
  });
  CHECK(failures > 5);
}

TEST_CASE("a free agent whose entries stay in place is updated whole or not at all") {
  // A new name and number only: its free-set entries keep their order and
  // are written over, none inserted.
  const int failures = fail_each_allocation([](Router& r) {
    AgentConfig a =
        member("ada", {"sales", "support"}, {{"billing", 4}, {"tech", 2}}, {"en", "de"});
    a.name = "Ada Lovelace";
    a.number = "+49 30 1234 5678 ext. 99";
    must(r.update_agent(std::move(a), 1'500'000));
  });
  CHECK(failures > 0);
}

TEST_CASE("a not-ready agent with a rest updated while allocations fail keeps its state") {
  const int failures = fail_each_allocation([](Router& r) {
    AgentConfig a = member("dora", {"sales"}, {{"billing", 5}}, {"de", "en"});
    must(r.update_agent(std::move(a), 1'500'000));
  }, [](Router& r) { must(r.set_available("dora", 1'500'000)); });
  CHECK(failures > 5);
}
