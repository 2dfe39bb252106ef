// The knowledge base on a real SQLite file: search and suggestions for a live
// contact over 10,000 published articles (and 500 scripts) of generated
// Chinese text with product codes in Latin letters, built once per process.
#include <benchmark/benchmark.h>

#include <stdlib.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "hotline/store/knowledge_service.hpp"
#include "../temp_dir.hpp"

namespace {

using namespace hotline;
using namespace hotline::store;

constexpr TimeMs kNow = 1795510800000;  // 2026-11-24 09:00 UTC
constexpr int kQueues = 20;
constexpr int kScripts = 500;

void die_unless(const Status& st) {
  if (st) return;
  fmt::print(stderr, "{}\n", st.error().message);
  std::abort();
}

// Two- and three-character words paired from the characters of a service
// desk's vocabulary (accounts, cards, payments, lines): generated, so that
// no real text is copied. The list is ordered from common to rare.
const std::vector<std::string>& words() {
  static const std::vector<std::string> list = [] {
    const std::u32string chars =
        U"账户密码银行卡挂失补办信用额度年费减免转账限额手机号验证登录失败网点营业时间理财产品"
        U"利率贷款还款逾期积分兑换宽带套餐流量话费充值发票退订投诉查询修改地址物流配送维修安装"
        U"设备故障重启信号覆盖开通注销实名认证客服热线人工服务短信提醒自动扣款余额明细冻结解冻";
    auto utf8 = [](char32_t c) {
      std::string out;
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
      return out;
    };
    std::vector<std::string> w;
    const std::size_t n = chars.size();
    for (std::size_t i = 0; i < 3000; ++i) {
      std::string word = utf8(chars[(i * 11) % n]) + utf8(chars[(i * 17 + i / n) % n]);
      if (i % 4 == 3) word += utf8(chars[(i * 29 + 3) % n]);
      w.push_back(std::move(word));
    }
    return w;
  }();
  return list;
}

// Skewed towards the first words of the list, as real text is.
const std::string& draw(std::mt19937_64& rng) {
  const double u = std::uniform_real_distribution<double>(0, 1)(rng);
  const auto& w = words();
  return w[static_cast<std::size_t>(u * u * static_cast<double>(w.size()))];
}

// Sentences without spaces, a product code now and then.
std::string text(std::mt19937_64& rng, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) {
    if (i > 0 && rng() % 12 == 0) out += rng() % 2 ? "，" : "。";
    if (rng() % 25 == 0) out += fmt::format("KB{}", rng() % 500);
    out += draw(rng);
  }
  return out + "。";
}

std::string category_of(std::size_t i) { return fmt::format("c{}/s{}", i % 10, i % 40); }
std::string queue_of(std::size_t i) { return fmt::format("q{}", i % kQueues); }
std::string ivr_path_of(std::size_t i) { return fmt::format("menu/{}/{}", i % 5, i % kQueues); }

KnowledgeService::Options at_now() {
  KnowledgeService::Options o;
  o.clock = [] { return kNow; };
  return o;
}

int fixture_articles() {
  const char* env = std::getenv("HOTLINE_BENCH_ARTICLES");
  return env ? std::max(1000, std::atoi(env)) : 10'000;
}

struct KnowledgeFixture {
  hotline::testing::TempDir dir{"hotline-bench"};
  std::unique_ptr<Storage> storage;
  std::unique_ptr<KnowledgeService> kb;
  int articles = fixture_articles();
  double build_seconds = 0;
  KnowledgeFixture() {
    const auto started = std::chrono::steady_clock::now();
    auto opened = open_sqlite_storage(SqliteOptions{dir.file("knowledge.db")});
    die_unless(opened.ok() ? Status{} : Status(opened.error()));
    storage = std::move(*opened);
    kb = std::make_unique<KnowledgeService>(*storage, at_now());
    const Actor editor{"content-team", Role::kSupervisor};
    std::mt19937_64 rng(5);
    die_unless(kb->write_together([&]() -> Status {
      for (int i = 0; i < 10; ++i) {
        auto c = kb->create_category(editor, fmt::format("c{}", i));
        if (!c) return std::move(c).error();
      }
      for (std::size_t i = 0; i < 40; ++i) {
        auto c = kb->create_category(editor, category_of(i));
        if (!c) return std::move(c).error();
      }
      for (std::size_t i = 0; i < kScripts; ++i) {
        NewScript s;
        s.title = text(rng, 3);
        s.text = text(rng, 20);
        s.queue = queue_of(i);
        s.category = category_of(i);
        s.ivr_path = ivr_path_of(i);
        auto made = kb->create_script(editor, s);
        if (!made) return std::move(made).error();
      }
      return {};
    }));
    // 500 articles to a transaction: the fixture is not what is measured.
    for (int start = 0; start < articles; start += 500) {
      die_unless(kb->write_together([&]() -> Status {
        for (int i = start; i < std::min(articles, start + 500); ++i) {
          NewArticle n;
          n.title = text(rng, 4);
          n.body = text(rng, 120);
          n.category = category_of(static_cast<std::size_t>(i));
          n.tags = {draw(rng), draw(rng)};
          auto a = kb->create_article(editor, n);
          if (!a) return std::move(a).error();
          auto p = kb->publish(editor, a->id);
          if (!p) return std::move(p).error();
        }
        return {};
      }));
    }
    build_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  }
};

double per_query(std::size_t hits, const benchmark::State& state) {
  const auto runs = std::max<std::int64_t>(state.iterations(), 1);
  return static_cast<double>(hits) / static_cast<double>(runs);
}

KnowledgeFixture& fixture() {
  static KnowledgeFixture f;
  return f;
}

// Arg 0: one common word; 1: a common and a rare word; 2: two words of
// middling frequency.
std::vector<std::string> queries(int kind) {
  std::mt19937_64 rng(13);
  const auto& w = words();
  std::vector<std::string> out;
  for (int i = 0; i < 64; ++i) {
    const auto common = [&] { return w[rng() % 20]; };
    const auto middling = [&] { return w[100 + rng() % 400]; };
    const auto rare = [&] { return w[w.size() / 2 + rng() % (w.size() / 2)]; };
    switch (kind) {
      case 0: out.push_back(common()); break;
      case 1: out.push_back(common() + " " + rare()); break;
      default: out.push_back(middling() + " " + middling()); break;
    }
  }
  return out;
}

void BM_KnowledgeSearch(benchmark::State& state) {
  auto& f = fixture();
  const auto q = queries(static_cast<int>(state.range(0)));
  const Actor agent{"1017", Role::kAgent};
  std::size_t i = 0, hits = 0;
  for (auto _ : state) {
    auto r = f.kb->search(agent, q[i++ & 63], 10);
    if (!r.ok()) {
      state.SkipWithError(r.error().message.c_str());
      break;
    }
    hits += r->size();
  }
  state.counters["articles"] = f.articles;
  state.counters["fixture_build_s"] = f.build_seconds;
  state.counters["hits_per_query"] = per_query(hits, state);
  static const char* const labels[] = {"one common word", "a common and a rare word",
                                       "two middling words"};
  state.SetLabel(labels[state.range(0)]);
}
BENCHMARK(BM_KnowledgeSearch)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);

// A live contact: its queue, IVR path and category, and a subject of two
// words (arg 0) or none (arg 1: scripts and articles by place only). Arg 2:
// with a subject, each call on a service just opened, which has not yet
// split the articles' texts into words: the first suggestion of a process.
void BM_KnowledgeSuggest(benchmark::State& state) {
  auto& f = fixture();
  const bool with_subject = state.range(0) != 1;
  const bool first_call = state.range(0) == 2;
  const auto q = queries(2);
  std::vector<SuggestionRequest> requests;
  for (std::size_t i = 0; i < 64; ++i) {
    SuggestionRequest r;
    r.queue = queue_of(i * 7);
    r.ivr_path = ivr_path_of(i * 7);
    r.category = category_of(i * 3);
    if (with_subject) r.subject = q[i];
    requests.push_back(std::move(r));
  }
  const Actor agent{"1017", Role::kAgent};
  std::size_t i = 0, hits = 0;
  for (auto _ : state) {
    std::unique_ptr<KnowledgeService> fresh;
    if (first_call) fresh = std::make_unique<KnowledgeService>(*f.storage, at_now());
    auto r = (first_call ? *fresh : *f.kb).suggest(agent, requests[i++ & 63]);
    if (!r.ok()) {
      state.SkipWithError(r.error().message.c_str());
      break;
    }
    hits += r->size();
  }
  state.counters["articles"] = f.articles;
  state.counters["scripts"] = kScripts;
  state.counters["hits_per_query"] = per_query(hits, state);
  static const char* const labels[] = {"queue, IVR path, category and subject", "no subject",
                                       "with subject, the first call of a service"};
  state.SetLabel(labels[state.range(0)]);
}
BENCHMARK(BM_KnowledgeSuggest)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);

}  // namespace
