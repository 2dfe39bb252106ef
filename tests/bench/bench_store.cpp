// Ticket and customer stores on a real SQLite file (WAL, synchronous=NORMAL,
// the defaults). The large fixtures (1,000,000 customers, 1,000,000 tickets)
// are built once per process, outside the timed loops.
#include <benchmark/benchmark.h>

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "hotline/store/customer_service.hpp"
#include "hotline/store/ticket_service.hpp"

namespace {

using namespace hotline;
using namespace hotline::store;

constexpr TimeMs kNow = 1795510800000;  // 2026-11-24 09:00 UTC

class ScratchDir {
 public:
  ScratchDir() {
    std::string p = (std::filesystem::temp_directory_path() / "hotline-bench-XXXXXX").string();
    if (mkdtemp(p.data()) == nullptr) std::abort();
    path_ = p;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const char* name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

std::unique_ptr<Storage> open_or_die(const std::string& path) {
  auto s = open_sqlite_storage(SqliteOptions{path});
  if (!s.ok()) {
    fmt::print(stderr, "{}\n", s.error().message);
    std::abort();
  }
  return std::move(*s);
}

TicketService::Options ticket_options() {
  TicketService::Options o;
  o.clock = [] { return kNow; };
  o.sla[TicketPriority::kNormal] = SlaTargets{4 * 3'600'000, 24 * 3'600'000};
  return o;
}

// Words with a skewed distribution, as in real ticket text: a few common,
// most rare.
const std::vector<std::string>& vocabulary() {
  static const std::vector<std::string> words = [] {
    std::vector<std::string> w;
    const char* syllables[] = {"ka", "ro", "mi", "tel", "net", "bil", "pay", "sim", "lo", "dex",
                               "vor", "an", "qu", "ei", "zu", "pon", "gra", "fi", "xo", "ul"};
    for (int i = 0; i < 8000; ++i) {
      w.push_back(fmt::format("{}{}{}", syllables[i % 20], syllables[(i / 20) % 20],
                              syllables[(i / 400) % 20]));
    }
    return w;
  }();
  return words;
}

std::string sentence(std::mt19937_64& rng, int words) {
  const auto& v = vocabulary();
  std::string out;
  for (int i = 0; i < words; ++i) {
    // Squaring a uniform draw skews towards the first words of the list.
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    if (!out.empty()) out += ' ';
    out += v[static_cast<std::size_t>(u * u * static_cast<double>(v.size()))];
  }
  return out;
}

void BM_TicketCreate(benchmark::State& state) {
  const auto batch = static_cast<std::size_t>(state.range(0));
  ScratchDir dir;
  auto storage = open_or_die(dir.file("tickets.db"));
  TicketService tickets(*storage, ticket_options());
  std::mt19937_64 rng(1);
  std::vector<NewTicket> pending(batch);
  for (auto& n : pending) {
    n.subject = sentence(rng, 6);
    n.description = sentence(rng, 40);
    n.group = "support";
  }
  const Actor actor{"bench", Role::kAgent};
  for (auto _ : state) {
    if (batch == 1) {
      auto t = tickets.create(actor, pending[0]);
      benchmark::DoNotOptimize(t);
    } else {
      auto t = tickets.create_batch(actor, pending);
      benchmark::DoNotOptimize(t);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch));
  state.SetLabel(batch == 1 ? "one commit per ticket" : "one commit per batch");
}
BENCHMARK(BM_TicketCreate)->Arg(1)->Arg(1000)->Unit(benchmark::kMicrosecond);

constexpr int kCustomers = 1'000'000;

std::string phone_of(int i) { return fmt::format("+4930{:08}", 10'000'000 + i); }

struct CustomerFixture {
  ScratchDir dir;
  std::unique_ptr<Storage> storage;
  CustomerFixture() {
    storage = open_or_die(dir.file("customers.db"));
    // Straight into the record store, 10,000 to a transaction: the fixture
    // is not what is measured.
    for (int start = 0; start < kCustomers; start += 10'000) {
      if (!storage->begin().ok()) std::abort();
      for (int i = start; i < start + 10'000; ++i) {
        Customer c;
        c.name = fmt::format("Customer {}", i);
        c.phones = {phone_of(i)};
        c.emails = {fmt::format("c{}@example.com", i)};
        c.created_at = c.updated_at = kNow;
        if (!storage->customers().insert(c).ok()) std::abort();
      }
      if (!storage->commit().ok()) std::abort();
    }
  }
};

void BM_CustomerLookupByAni(benchmark::State& state) {
  static CustomerFixture fixture;
  CustomerService::Options o;
  o.default_region = "DE";
  o.clock = [] { return kNow; };
  auto customers = CustomerService::make(*fixture.storage, o);
  const Actor actor{"bench", Role::kAgent};
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> pick(0, kCustomers - 1);
  // Arg 0: the number as E.164, as most switches present it; arg 1: in
  // national format with spaces, which takes libphonenumber's full parse.
  const bool national = state.range(0) == 1;
  std::vector<std::string> anis;
  for (int i = 0; i < 4096; ++i) {
    const std::string e164 = phone_of(pick(rng));
    anis.push_back(national ? "030 " + e164.substr(5) : e164);
  }
  std::size_t i = 0, found = 0;
  for (auto _ : state) {
    auto hit = customers->lookup_by_ani(actor, anis[i++ & 4095]);
    found += hit.ok() && hit->has_value();
  }
  if (found != static_cast<std::size_t>(state.iterations())) state.SkipWithError("a lookup missed");
  state.counters["customers"] = kCustomers;
  state.SetLabel(national ? "national format" : "E.164");
}
BENCHMARK(BM_CustomerLookupByAni)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

constexpr int kTickets = 1'000'000;

struct TicketFixture {
  ScratchDir dir;
  std::unique_ptr<Storage> storage;
  std::unique_ptr<TicketService> tickets;
  TicketFixture() {
    storage = open_or_die(dir.file("search.db"));
    tickets = std::make_unique<TicketService>(*storage, ticket_options());
    std::mt19937_64 rng(3);
    const Actor actor{"bench", Role::kAgent};
    std::vector<NewTicket> batch(10'000);
    for (int start = 0; start < kTickets; start += 10'000) {
      for (auto& n : batch) {
        n.subject = sentence(rng, 6);
        n.description = sentence(rng, 30);
      }
      if (!tickets->create_batch(actor, batch).ok()) std::abort();
    }
  }
};

// Arg 0: two common words; 1: one rare word; 2: a common and a rare word.
void BM_TicketSearch(benchmark::State& state) {
  static TicketFixture fixture;
  const auto& v = vocabulary();
  std::vector<std::string> queries;
  std::mt19937_64 rng(11);
  for (int i = 0; i < 64; ++i) {
    const auto common = [&] { return v[rng() % 20]; };
    const auto rare = [&] { return v[4000 + rng() % 4000]; };
    switch (state.range(0)) {
      case 0: queries.push_back(common() + " " + common()); break;
      case 1: queries.push_back(rare()); break;
      default: queries.push_back(common() + " " + rare()); break;
    }
  }
  std::size_t i = 0, hits = 0;
  for (auto _ : state) {
    auto r = fixture.tickets->search(queries[i++ & 63], 20);
    if (!r.ok()) state.SkipWithError(r.error().message.c_str());
    hits += r->size();
  }
  state.counters["tickets"] = kTickets;
  state.counters["hits_per_query"] =
      static_cast<double>(hits) / static_cast<double>(state.iterations());
  state.SetLabel(state.range(0) == 0 ? "two common words"
                 : state.range(0) == 1 ? "one rare word"
                                       : "common and rare word");
}
BENCHMARK(BM_TicketSearch)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);

}  // namespace
