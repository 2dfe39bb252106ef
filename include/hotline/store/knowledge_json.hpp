// Knowledge-base records as JSON, for the C ABI, the bindings and the example
// content loader. Readers are strict like the other store forms: an unknown
// field, a wrong type or a bad enum value is an error naming its JSON path.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "hotline/store/knowledge.hpp"
#include "hotline/util/result.hpp"

namespace hotline::store {

nlohmann::json to_json(const Category& c);
nlohmann::json to_json(const Article& a);
nlohmann::json to_json(const ArticleVersion& v);
nlohmann::json to_json(const Script& s);
nlohmann::json to_json(const KnowledgeGap& g);
nlohmann::json to_json(const Suggestion& s);
nlohmann::json to_json(const RenderedScript& r);

Result<NewArticle> new_article_from_json(const nlohmann::json& j, std::string_view path = "$");
// "review_at": null removes the review date; an absent field is left as is.
Result<ArticleUpdate> article_update_from_json(const nlohmann::json& j,
                                               std::string_view path = "$");
Result<ArticleQuery> article_query_from_json(const nlohmann::json& j,
                                             std::string_view path = "$");
Result<NewScript> new_script_from_json(const nlohmann::json& j, std::string_view path = "$");
Result<ScriptUpdate> script_update_from_json(const nlohmann::json& j,
                                             std::string_view path = "$");
Result<ScriptQuery> script_query_from_json(const nlohmann::json& j, std::string_view path = "$");
Result<SuggestionRequest> suggestion_request_from_json(const nlohmann::json& j,
                                                       std::string_view path = "$");
// "used" or "helped".
Result<ArticleUse> article_use_from_text(std::string_view text);

}  // namespace hotline::store
