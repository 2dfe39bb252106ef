// Ticket and customer stores on a real SQLite file (WAL, synchronous=NORMAL,
// the defaults). The large fixtures (1,000,000 customers, 1,000,000 tickets)
// are built once per process, outside the timed loops.
#include <benchmark/benchmark.h>

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <phonenumbers/phonenumberutil.h>

#include "hotline/engine/event.hpp"
#include "hotline/runtime/customer_resolution.hpp"
#include "hotline/store/customer_service.hpp"
#include "hotline/store/json.hpp"
#include "hotline/store/ticket_service.hpp"
#include "../temp_dir.hpp"

namespace {

using namespace hotline;
using namespace hotline::store;

constexpr TimeMs kNow = 1795510800000;  // 2026-11-24 09:00 UTC

std::unique_ptr<Storage> open_or_die(const std::string& path, bool exclusive = false) {
  SqliteOptions options{path};
  options.exclusive = exclusive;
  auto s = open_sqlite_storage(options);
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

// Chinese words of two and three characters combined from common characters,
// skewed like vocabulary(): generated, so that no real text is copied.
const std::vector<std::string>& chinese_vocabulary() {
  static const std::vector<std::string> words = [] {
    const std::u32string chars =
        U"的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之"
        U"过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前"
        U"所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声"
        U"全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使"
        U"单号款退费账户网络宽带信号套餐话务投诉服务订购查询修改密码地址发票物流配送维修安装";
    std::vector<std::string> w;
    auto utf8 = [](char32_t c) {
      std::string out;
      if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
      } else {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      }
      out += static_cast<char>(0x80 | (c & 0x3F));
      return out;
    };
    const std::size_t n = chars.size();
    for (std::size_t i = 0; i < 6000; ++i) {
      std::string word = utf8(chars[(i * 7) % n]) + utf8(chars[(i * 13 + i / n) % n]);
      if (i % 3 == 2) word += utf8(chars[(i * 31 + 5) % n]);
      w.push_back(std::move(word));
    }
    return w;
  }();
  return words;
}

// A Chinese sentence: no spaces between words, a comma now and then.
std::string chinese_sentence(std::mt19937_64& rng, int words) {
  const auto& v = chinese_vocabulary();
  std::string out;
  for (int i = 0; i < words; ++i) {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    if (i > 0 && rng() % 6 == 0) out += "，";
    out += v[static_cast<std::size_t>(u * u * static_cast<double>(v.size()))];
  }
  return out + "。";
}

// The number of tickets the search fixtures hold: 1,000,000 unless
// HOTLINE_BENCH_TICKETS says otherwise (machines too small to build them).
int fixture_tickets() {
  const char* env = std::getenv("HOTLINE_BENCH_TICKETS");
  return env ? std::max(10'000, std::atoi(env)) : 1'000'000;
}

// Args: tickets per commit (1 or 1000); 0 for the Latin word list, 1 for
// Chinese text.
void BM_TicketCreate(benchmark::State& state) {
  const auto batch = static_cast<std::size_t>(state.range(0));
  const bool chinese = state.range(1) == 1;
  hotline::testing::TempDir dir{"hotline-bench"};
  auto storage = open_or_die(dir.file("tickets.db"));
  TicketService tickets(*storage, ticket_options());
  std::mt19937_64 rng(1);
  std::vector<NewTicket> pending(batch);
  for (auto& n : pending) {
    n.subject = chinese ? chinese_sentence(rng, 6) : sentence(rng, 6);
    n.description = chinese ? chinese_sentence(rng, 40) : sentence(rng, 40);
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
  state.SetLabel(std::string(batch == 1 ? "one commit per ticket" : "one commit per batch") +
                 (chinese ? ", Chinese" : ""));
}
BENCHMARK(BM_TicketCreate)
    ->Args({1, 0})
    ->Args({1000, 0})
    ->Args({1, 1})
    ->Args({1000, 1})
    ->Unit(benchmark::kMicrosecond);

constexpr int kCustomers = 1'000'000;

std::string phone_of(int i) { return fmt::format("+4930{:08}", 10'000'000 + i); }

struct CustomerFixture {
  hotline::testing::TempDir dir{"hotline-bench"};
  std::unique_ptr<Storage> storage;
  explicit CustomerFixture(bool exclusive) {
    storage = open_or_die(dir.file("customers.db"), exclusive);
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

// One fixture for the customer benchmarks per locking mode, built on first
// use: false, the default (shared), where each read transaction takes and
// releases a lock on the write-ahead log's shared-memory index for other
// connections' sake; true, a store holding its file alone
// (SqliteOptions::exclusive), which does neither.
CustomerFixture& customer_fixture(bool exclusive) {
  if (exclusive) {
    static CustomerFixture alone(true);
    return alone;
  }
  static CustomerFixture shared(false);
  return shared;
}

const char* locking_label(bool exclusive) {
  return exclusive ? ", exclusive locking" : ", shared locking";
}

void BM_CustomerLookupByAni(benchmark::State& state) {
  auto& fixture = customer_fixture(state.range(1) == 1);
  CustomerService::Options o;
  o.default_region = "DE";
  o.clock = [] { return kNow; };
  auto customers = CustomerService::make(*fixture.storage, o);
  const Actor actor{"bench", Role::kAgent};
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> pick(0, kCustomers - 1);
  // First argument 0: the number as E.164, as most switches present it,
  // looked up as it is; 1: in national format with a space, normalised
  // first (by the fast path: BM_PhoneToE164/0/1).
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
  state.SetLabel(std::string(national ? "national format" : "E.164") +
                 locking_label(state.range(1) == 1));
}
// The second argument: the store's locking, 0 shared (the default), 1
// exclusive.
BENCHMARK(BM_CustomerLookupByAni)
    ->Args({0, 0})
    ->Args({1, 0})
    ->Args({0, 1})
    ->Args({1, 1})
    ->Unit(benchmark::kMicrosecond);

// A caller resolved as an engine with a store resolves each arrival
// (runtime::CustomerResolver::resolve): the lookup by caller id, then the
// agent who served the customer last (CustomerService::last_agent, the 360°
// view's own search of the contacts), and the record with it as the event's
// customer data. The customers have no contacts, so that read finds
// nothing. The number in E.164; the second argument the locking, as above.
void BM_CallerResolve(benchmark::State& state) {
  const bool exclusive = state.range(1) == 1;
  auto& fixture = customer_fixture(exclusive);
  hotline::store::StoreConfig config;
  config.default_region = "DE";
  auto resolver = hotline::runtime::CustomerResolver::over_shared(
      *fixture.storage, nullptr, std::make_shared<std::mutex>(), config);
  if (!resolver.ok()) std::abort();
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> pick(0, kCustomers - 1);
  std::vector<std::string> anis;
  for (int i = 0; i < 4096; ++i) anis.push_back(phone_of(pick(rng)));
  std::size_t i = 0, found = 0;
  for (auto _ : state) {
    hotline::engine::Event arrival;
    arrival.kind = hotline::engine::EventKind::kCallArrived;
    arrival.caller = anis[i++ & 4095];
    if (!(*resolver)->resolve(arrival).ok()) std::abort();
    found += !arrival.customer.empty();
    benchmark::DoNotOptimize(arrival);
  }
  if (found != static_cast<std::size_t>(state.iterations())) state.SkipWithError("a caller missed");
  state.SetLabel(std::string("E.164") + locking_label(exclusive));
}
BENCHMARK(BM_CallerResolve)->Args({0, 0})->Args({0, 1})->Unit(benchmark::kMicrosecond);

// What a resolved customer becomes as the call's data (customer_call_data):
// a record as an agent reads it, its sensitive fields masked, with a tier,
// tags and custom fields, and the agent who served it last.
void BM_CustomerCallData(benchmark::State& state) {
  Customer c;
  c.id = 123456;
  c.name = "Customer 123456";
  c.phones = {"+493010123456"};
  c.emails = {"c123456@example.com"};
  c.tier = "gold";
  c.tags = {"vip", "billing"};
  c.attributes = R"({"segment":"retail","contract":{"plan":"fiber","since":2019}})";
  c.national_id = "****5678";
  c.created_at = c.updated_at = kNow;
  for (auto _ : state) {
    auto data = hotline::runtime::customer_call_data(c, "agent42");
    if (!data.ok()) std::abort();
    benchmark::DoNotOptimize(data);
  }
}
BENCHMARK(BM_CustomerCallData)->Unit(benchmark::kNanosecond);

// What caller id costs without the number's index: a customer read by id
// from the store, among the same 1,000,000. First argument 0: the same
// customer every time, whose pages stay in cache, so what is measured is the
// read transaction each read is (with shared locking, its locks on the
// write-ahead log) and the statement around it: the floor under every
// lookup. 1: the customers BM_CustomerLookupByAni finds, at random, adding
// the row's descent. The second argument: the locking, as there.
void BM_CustomerGet(benchmark::State& state) {
  auto& fixture = customer_fixture(state.range(1) == 1);
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> pick(0, kCustomers - 1);
  const bool spread = state.range(0) == 1;
  std::vector<CustomerId> ids;
  for (int i = 0; i < 4096; ++i) ids.push_back(spread ? pick(rng) + 1 : kCustomers / 2);
  std::size_t i = 0, found = 0;
  for (auto _ : state) {
    auto c = fixture.storage->customers().get(ids[i++ & 4095]);
    found += c.ok();
    benchmark::DoNotOptimize(c);
  }
  if (found != static_cast<std::size_t>(state.iterations())) state.SkipWithError("a read missed");
  state.SetLabel(std::string(spread ? "4,096 customers at random" : "one customer") +
                 locking_label(state.range(1) == 1));
}
BENCHMARK(BM_CustomerGet)
    ->Args({0, 0})
    ->Args({1, 0})
    ->Args({0, 1})
    ->Args({1, 1})
    ->Unit(benchmark::kMicrosecond);

// Normalising one presented number to E.164, no store. First argument 0:
// through PhoneNormalizer, whose fast path answers these shapes; 1: through
// libphonenumber's parse, validation and formatting, as before it. Second
// argument 0: the shapes a Chinese switch presents; 1: the Berlin numbers
// in national format that BM_CustomerLookupByAni/1 looks up.
void BM_PhoneToE164(benchmark::State& state) {
  const bool berlin = state.range(1) == 1;
  const char* region = berlin ? "DE" : "CN";
  const auto normalizer = PhoneNormalizer::make(region);
  if (!normalizer.ok()) std::abort();
  const auto& util = *i18n::phonenumbers::PhoneNumberUtil::GetInstance();
  std::mt19937_64 rng(5);
  std::vector<std::string> numbers;
  for (int i = 0; i < 4096; ++i) {
    const auto n = rng() % 100'000'000;
    if (berlin) {
      numbers.push_back(fmt::format("030 {:08}", 10'000'000 + n % kCustomers));
      continue;
    }
    switch (i % 4) {
      case 0: numbers.push_back(fmt::format("+86138{:08}", n)); break;
      case 1: numbers.push_back(fmt::format("0138{:08}", n)); break;
      case 2: numbers.push_back(fmt::format("010-6{:07}", n % 10'000'000)); break;
      default: numbers.push_back(fmt::format("139 {:04} {:04}", n / 10000, n % 10000)); break;
    }
  }
  const bool library = state.range(0) == 1;
  std::size_t i = 0, valid = 0;
  for (auto _ : state) {
    const std::string& text = numbers[i++ & 4095];
    if (library) {
      i18n::phonenumbers::PhoneNumber parsed;
      std::string e164;
      if (util.Parse(text, region, &parsed) == i18n::phonenumbers::PhoneNumberUtil::NO_PARSING_ERROR &&
          util.IsValidNumber(parsed)) {
        util.Format(parsed, i18n::phonenumbers::PhoneNumberUtil::E164, &e164);
        ++valid;
      }
      benchmark::DoNotOptimize(e164);
    } else {
      auto e164 = normalizer->to_e164(text);
      valid += e164.ok();
      benchmark::DoNotOptimize(e164);
    }
  }
  if (valid != static_cast<std::size_t>(state.iterations())) state.SkipWithError("a number failed");
  state.SetLabel(std::string(library ? "libphonenumber" : "PhoneNormalizer") +
                 (berlin ? ", Berlin national format" : ", Chinese shapes"));
}
BENCHMARK(BM_PhoneToE164)
    ->Args({0, 0})
    ->Args({1, 0})
    ->Args({0, 1})
    ->Args({1, 1})
    ->Unit(benchmark::kMicrosecond);

struct TicketFixture {
  hotline::testing::TempDir dir{"hotline-bench"};
  std::unique_ptr<Storage> storage;
  std::unique_ptr<TicketService> tickets;
  int count = fixture_tickets();
  double build_seconds = 0;
  double file_mb = 0;  // the database and its write-ahead log once built
  explicit TicketFixture(bool chinese) {
    const auto started = std::chrono::steady_clock::now();
    storage = open_or_die(dir.file("search.db"));
    tickets = std::make_unique<TicketService>(*storage, ticket_options());
    std::mt19937_64 rng(3);
    const Actor actor{"bench", Role::kAgent};
    std::vector<NewTicket> batch(10'000);
    for (int start = 0; start < count; start += 10'000) {
      for (auto& n : batch) {
        n.subject = chinese ? chinese_sentence(rng, 6) : sentence(rng, 6);
        n.description = chinese ? chinese_sentence(rng, 30) : sentence(rng, 30);
      }
      if (!tickets->create_batch(actor, batch).ok()) std::abort();
    }
    build_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::error_code ec;
    for (const char* suffix : {"", "-wal"}) {
      const auto size = std::filesystem::file_size(dir.file("search.db") + suffix, ec);
      if (!ec) file_mb += static_cast<double>(size) / 1e6;
    }
  }
};

// Arg 0: two common words; 1: one rare word; 2: a common and a rare word;
// 3: two Chinese words of middling frequency; 4: one rare Chinese word;
// 5: a common and a rare Chinese word; 6: one Chinese character (the first
// of a rare word), found inside any run.
void BM_TicketSearch(benchmark::State& state) {
  const bool chinese = state.range(0) >= 3;
  static std::unique_ptr<TicketFixture> latin, han;
  auto& fixture = chinese ? han : latin;
  if (!fixture) fixture = std::make_unique<TicketFixture>(chinese);
  const auto& v = chinese ? chinese_vocabulary() : vocabulary();
  std::vector<std::string> queries;
  std::mt19937_64 rng(11);
  for (int i = 0; i < 64; ++i) {
    const auto common = [&] { return v[rng() % 20]; };
    const auto middling = [&] { return v[100 + rng() % 400]; };
    const auto rare = [&] { return v[v.size() / 2 + rng() % (v.size() / 2)]; };
    switch (state.range(0)) {
      case 0: queries.push_back(common() + " " + common()); break;
      case 1: case 4: queries.push_back(rare()); break;
      case 3: queries.push_back(middling() + " " + middling()); break;
      case 6: queries.push_back(rare().substr(0, 3)); break;  // one character, 3 bytes
      default: queries.push_back(common() + " " + rare()); break;
    }
  }
  std::size_t i = 0, hits = 0;
  for (auto _ : state) {
    auto r = fixture->tickets->search(queries[i++ & 63], 20);
    if (!r.ok()) state.SkipWithError(r.error().message.c_str());
    hits += r->size();
  }
  state.counters["tickets"] = fixture->count;
  state.counters["fixture_build_s"] = fixture->build_seconds;
  state.counters["file_mb"] = fixture->file_mb;
  state.counters["hits_per_query"] =
      static_cast<double>(hits) / static_cast<double>(state.iterations());
  static const char* const labels[] = {"two common words", "one rare word",
                                       "common and rare word", "two Chinese words",
                                       "one rare Chinese word", "common and rare Chinese word",
                                       "one Chinese character"};
  state.SetLabel(labels[state.range(0)]);
}
BENCHMARK(BM_TicketSearch)->DenseRange(0, 6)->Unit(benchmark::kMillisecond);

}  // namespace
