#include "hotline/store/knowledge_loader.hpp"

#include <fmt/format.h>

#include "hotline/store/knowledge_json.hpp"
#include "store/json_object_reader.hpp"
#include "store/try.hpp"

namespace hotline::store {
namespace {

struct LoadedArticle {
  NewArticle article;
  bool publish = false;
};

Status expect_list(const nlohmann::json* list, const std::string& path) {
  if (!list || list->is_array()) return {};
  return make_error(Errc::kInvalidArgument, fmt::format("{}: expected a list", path));
}

Result<LoadedArticle> read_article(const nlohmann::json& j, const std::string& path) {
  if (!j.is_object()) {
    return make_error(Errc::kInvalidArgument, fmt::format("{}: expected an object", path));
  }
  // An article's fields and "status", which belongs to the loader: an
  // unknown key is refused with all of them listed.
  JsonObjectReader keys(j, path);
  for (const char* key : {"title", "body", "category", "tags", "owner", "review_at", "status"}) {
    (void)keys.claim(key);
  }
  HL_STORE_CHECK(keys.done());
  // "status" belongs to the loader; the rest is a new article.
  LoadedArticle out;
  nlohmann::json fields = j;
  if (auto it = fields.find("status"); it != fields.end()) {
    if (*it == "published") {
      out.publish = true;
    } else if (*it != "draft") {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("{}.status: expected draft or published", path));
    }
    fields.erase("status");
  }
  auto article = new_article_from_json(fields, path);
  if (!article) return std::move(article).error();
  out.article = std::move(*article);
  return out;
}

}  // namespace

Result<KnowledgeLoadReport> load_knowledge(KnowledgeService& service, const Actor& actor,
                                           const nlohmann::json& document) {
  JsonObjectReader r(document, "$");
  HL_STORE_CHECK(r.object());
  const nlohmann::json* categories = r.claim("categories");
  const nlohmann::json* articles = r.claim("articles");
  const nlohmann::json* scripts = r.claim("scripts");
  HL_STORE_CHECK(r.done());
  HL_STORE_CHECK(expect_list(categories, "$.categories"));
  HL_STORE_CHECK(expect_list(articles, "$.articles"));
  HL_STORE_CHECK(expect_list(scripts, "$.scripts"));

  std::vector<std::string> category_paths;
  for (std::size_t i = 0; categories && i < categories->size(); ++i) {
    const auto& c = (*categories)[i];
    if (!c.is_string()) {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("$.categories[{}]: expected a string", i));
    }
    category_paths.push_back(c.get<std::string>());
  }
  std::vector<LoadedArticle> new_articles;
  for (std::size_t i = 0; articles && i < articles->size(); ++i) {
    HL_STORE_TRY(a, read_article((*articles)[i], fmt::format("$.articles[{}]", i)));
    new_articles.push_back(std::move(a));
  }
  std::vector<NewScript> new_scripts;
  for (std::size_t i = 0; scripts && i < scripts->size(); ++i) {
    HL_STORE_TRY(s, new_script_from_json((*scripts)[i], fmt::format("$.scripts[{}]", i)));
    new_scripts.push_back(std::move(s));
  }

  KnowledgeLoadReport report;
  auto at = [](const char* list, std::size_t i, Error e) {
    return make_error(e.code, fmt::format("$.{}[{}]: {}", list, i, e.message));
  };
  // One transaction: a refusal at any item leaves the store as it was.
  HL_STORE_CHECK(service.write_together([&]() -> Status {
    report = KnowledgeLoadReport{};
    for (std::size_t i = 0; i < category_paths.size(); ++i) {
      auto c = service.create_category(actor, category_paths[i]);
      if (!c) return at("categories", i, std::move(c).error());
      ++report.categories;
    }
    for (std::size_t i = 0; i < new_articles.size(); ++i) {
      auto a = service.create_article(actor, new_articles[i].article);
      if (!a) return at("articles", i, std::move(a).error());
      if (new_articles[i].publish) {
        auto p = service.publish(actor, a->id);
        if (!p) return at("articles", i, std::move(p).error());
      }
      ++report.articles;
    }
    for (std::size_t i = 0; i < new_scripts.size(); ++i) {
      auto s = service.create_script(actor, new_scripts[i]);
      if (!s) return at("scripts", i, std::move(s).error());
      ++report.scripts;
    }
    return {};
  }));
  return report;
}

}  // namespace hotline::store
