// The knowledge base through the C ABI on an SQLite store (in memory, so the
// search index and its tokenizer run): the first byte picks the call and the
// actor, the rest is its input (JSON, a category path, search text, a quick
// reply's shortcut, or a script's template text). Whatever happens, the
// published article and the script made beforehand still read back, search
// and render as before, and a refused call leaves the categories, articles and
// scripts exactly as they were.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"
#include "record_id.hpp"

using namespace hotline::fuzz;

namespace {

const hl_actor kActors[] = {{"agent1", HL_ROLE_AGENT}, {"super1", HL_ROLE_SUPERVISOR},
                            {"admin1", HL_ROLE_ADMIN}};
const hl_actor& kAdmin = kActors[2];

void must(hl_status st) {
  if (st != HL_OK) std::abort();
}

// What a refused call may not change: the categories, every article (drafts
// included) and every script, as the store lists them.
std::string contents(hl_store* store) {
  std::string all;
  char* out = nullptr;
  must(hl_kb_category_list(store, &out, nullptr));
  all += out;
  hl_free(out);
  must(hl_kb_article_list(store, &kAdmin, nullptr, &out, nullptr));
  all += out;
  hl_free(out);
  must(hl_kb_script_list(store, nullptr, &out, nullptr));
  all += out;
  hl_free(out);
  return all;
}

// A script whose template is the input: the template reader sees any text.
std::string script_with_text(const std::string& text) {
  nlohmann::json j = {{"title", "fuzzed"}};
  j["text"] = text;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t op = data[0];
  const std::string input = text(data + 1, size - 1);
  const char* in = input.c_str();
  const int call = op % 14;
  const hl_actor& actor = kActors[(op >> 4) % 3];

  hl_store* store = nullptr;
  must(hl_store_open(&store, R"({"backend": "sqlite", "path": ":memory:"})", nullptr));
  must(hl_store_set_time(store, kEpochMs));
  char* out = nullptr;
  must(hl_kb_category_create(store, &kAdmin, "cards", &out, nullptr));
  hl_free(out);
  must(hl_kb_article_create(store, &kAdmin,
                            R"({"title": "银行卡挂失 lost card", "body": "先冻结卡片，再补办新卡。",
                                "category": "cards", "tags": ["挂失"]})",
                            &out, nullptr));
  const std::int64_t article = id_of(out);
  must(hl_kb_article_publish(store, &kAdmin, article, &out, nullptr));
  hl_free(out);
  must(hl_kb_script_create(store, &kAdmin,
                           R"({"title": "Greeting", "text": "Hello ${customer.name}",
                               "shortcut": "/hi"})",
                           &out, nullptr));
  const std::int64_t script = id_of(out);
  const std::string before = contents(store);

  hl_error* err = nullptr;
  out = nullptr;
  hl_status st = HL_OK;
  switch (call) {
    case 0: st = hl_kb_category_create(store, &actor, in, &out, &err); break;
    case 1: st = hl_kb_article_create(store, &actor, in, &out, &err); break;
    case 2: st = hl_kb_article_update(store, &actor, article, in, &out, &err); break;
    case 3: st = hl_kb_article_list(store, &actor, in, &out, &err); break;
    case 4: st = hl_kb_article_search(store, &actor, in, 10, &out, &err); break;
    case 5: st = hl_kb_article_record_use(store, &actor, article, in, &out, &err); break;
    case 6: st = hl_kb_script_create(store, &actor, in, &out, &err); break;
    case 7: st = hl_kb_script_update(store, &actor, script, in, &out, &err); break;
    case 8: st = hl_kb_script_list(store, in, &out, &err); break;
    case 9: st = hl_kb_quick_reply(store, in, &out, &err); break;
    case 10: st = hl_kb_script_render(store, script, in, &out, &err); break;
    case 11: st = hl_kb_suggest(store, &actor, in, &out, &err); break;
    case 12: st = hl_kb_load(store, &actor, in, &out, &err); break;
    default: {
      st = hl_kb_script_create(store, &kAdmin, script_with_text(input).c_str(), &out, &err);
      if (st == HL_OK) {
        const std::int64_t fuzzed = id_of(out);
        out = nullptr;
        st = hl_kb_script_render(store, fuzzed, R"({"customer": {"name": "张三"}})", &out,
                                 &err);
      }
      break;
    }
  }
  if (st == HL_OK) {
    hl_free(out);
  } else {
    // A refusal says why, writes nothing and hands nothing back.
    if (err == nullptr || hl_error_message(err)[0] == '\0' || out != nullptr) std::abort();
    forget(err);
    if (call != 13 && contents(store) != before) std::abort();
  }

  // What was stored before still reads back, whatever the call did.
  must(hl_kb_article_get(store, &kActors[0], article, &out, nullptr));
  hl_free(out);
  must(hl_kb_script_get(store, script, &out, nullptr));
  hl_free(out);
  must(hl_kb_article_search(store, &kActors[0], "挂失", 10, &out, nullptr));
  // Unless the call edited the article or loaded others that may outrank it.
  const bool may_miss = st == HL_OK && (call == 2 || call == 12);
  if (!may_miss && std::string(out).find("lost card") == std::string::npos) std::abort();
  hl_free(out);
  must(hl_kb_script_render(store, script, R"({"customer": {"name": "Jana"}})", &out, nullptr));
  const bool edited_script = st == HL_OK && call == 7;
  if (!edited_script && std::string(out).find("Hello Jana") == std::string::npos) std::abort();
  hl_free(out);
  hl_store_close(store);
  return 0;
}
