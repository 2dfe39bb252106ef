// The knowledge base's C ABI: JSON in, JSON out, over KnowledgeService,
// behind the store's exception guard.
#include "hotline/knowledge.h"

#include "hotline/store/knowledge_json.hpp"
#include "hotline/store/knowledge_loader.hpp"
#include "store_handle.hpp"

using namespace hotline::store;
using namespace hotline::capi::store_calls;
using hotline::Result;
using hotline::Status;
using hotline::capi::invalid;
using hotline::capi::need;

namespace {

// Reads `text` as JSON and then as T through `from_json`; NULL reads `{}`
// when the argument is optional.
template <typename T, typename FromJson>
Result<T> read(const char* text, const char* what, FromJson from_json, bool optional = false) {
  if (!text && optional) return from_json(json::object(), "$");
  auto j = parse(text, what);
  if (!j) return std::move(j).error();
  return from_json(*j, "$");
}

}  // namespace

extern "C" {

hl_status hl_kb_category_create(hl_store* s, const hl_actor* a, const char* path, char** out,
                                hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) -> Status {
    if (auto n = need(path, "path"); !n) return n;
    return emit_result(out, st.knowledge->create_category(actor, path));
  });
}

hl_status hl_kb_category_list(hl_store* s, char** out, hl_error** err) {
  return call(s, out, err,
              [&](hl_store& st) { return emit_list(out, st.knowledge->categories()); });
}

hl_status hl_kb_article_create(hl_store* s, const hl_actor* a, const char* article_json,
                               char** out, hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) -> Status {
    auto n = read<NewArticle>(article_json, "article_json", new_article_from_json);
    if (!n) return std::move(n).error();
    return emit_result(out, st.knowledge->create_article(actor, *n));
  });
}

hl_status hl_kb_article_update(hl_store* s, const hl_actor* a, int64_t id,
                               const char* update_json, char** out, hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) -> Status {
    auto u = read<ArticleUpdate>(update_json, "update_json", article_update_from_json);
    if (!u) return std::move(u).error();
    return emit_result(out, st.knowledge->update_article(actor, id, *u));
  });
}

hl_status hl_kb_article_publish(hl_store* s, const hl_actor* a, int64_t id, char** out,
                                hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) {
    return emit_result(out, st.knowledge->publish(actor, id));
  });
}

hl_status hl_kb_article_archive(hl_store* s, const hl_actor* a, int64_t id, char** out,
                                hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) {
    return emit_result(out, st.knowledge->archive(actor, id));
  });
}

hl_status hl_kb_article_get(hl_store* s, const hl_actor* a, int64_t id, char** out,
                            hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) {
    return emit_result(out, st.knowledge->get_article(actor, id));
  });
}

hl_status hl_kb_article_list(hl_store* s, const hl_actor* a, const char* query_json, char** out,
                             hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) -> Status {
    auto q = read<ArticleQuery>(query_json, "query_json", article_query_from_json, true);
    if (!q) return std::move(q).error();
    return emit_list(out, st.knowledge->list_articles(actor, *q));
  });
}

hl_status hl_kb_article_history(hl_store* s, const hl_actor* a, int64_t id, char** out,
                                hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) {
    return emit_list(out, st.knowledge->history(actor, id));
  });
}

hl_status hl_kb_article_version(hl_store* s, const hl_actor* a, int64_t id, int version,
                                char** out, hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) {
    return emit_result(out, st.knowledge->version(actor, id, version));
  });
}

hl_status hl_kb_article_search(hl_store* s, const hl_actor* a, const char* text, int limit,
                               char** out, hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) -> Status {
    if (auto n = need(text, "text"); !n) return n;
    return emit_list(out, st.knowledge->search(actor, text, limit));
  });
}

hl_status hl_kb_article_record_use(hl_store* s, const hl_actor* a, int64_t id, const char* use,
                                   char** out, hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) -> Status {
    if (auto n = need(use, "use"); !n) return n;
    auto kind = article_use_from_text(use);
    if (!kind) return std::move(kind).error();
    return emit_result(out, st.knowledge->record_use(actor, id, *kind));
  });
}

hl_status hl_kb_gaps(hl_store* s, const hl_actor* a, int64_t from_ms, int64_t to_ms, int limit,
                     char** out, hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) {
    return emit_list(out, st.knowledge->gaps(actor, from_ms, to_ms, limit));
  });
}

hl_status hl_kb_script_create(hl_store* s, const hl_actor* a, const char* script_json,
                              char** out, hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) -> Status {
    auto n = read<NewScript>(script_json, "script_json", new_script_from_json);
    if (!n) return std::move(n).error();
    return emit_result(out, st.knowledge->create_script(actor, *n));
  });
}

hl_status hl_kb_script_update(hl_store* s, const hl_actor* a, int64_t id,
                              const char* update_json, char** out, hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) -> Status {
    auto u = read<ScriptUpdate>(update_json, "update_json", script_update_from_json);
    if (!u) return std::move(u).error();
    return emit_result(out, st.knowledge->update_script(actor, id, *u));
  });
}

hl_status hl_kb_script_get(hl_store* s, int64_t id, char** out, hl_error** err) {
  return call(s, out, err,
              [&](hl_store& st) { return emit_result(out, st.knowledge->get_script(id)); });
}

hl_status hl_kb_script_list(hl_store* s, const char* query_json, char** out, hl_error** err) {
  return call(s, out, err, [&](hl_store& st) -> Status {
    auto q = read<ScriptQuery>(query_json, "query_json", script_query_from_json, true);
    if (!q) return std::move(q).error();
    return emit_list(out, st.knowledge->list_scripts(*q));
  });
}

hl_status hl_kb_quick_reply(hl_store* s, const char* shortcut, char** out, hl_error** err) {
  return call(s, out, err, [&](hl_store& st) -> Status {
    if (auto n = need(shortcut, "shortcut"); !n) return n;
    return emit_result(out, st.knowledge->quick_reply(shortcut));
  });
}

hl_status hl_kb_script_render(hl_store* s, int64_t id, const char* context_json, char** out,
                              hl_error** err) {
  return call(s, out, err, [&](hl_store& st) -> Status {
    auto context = parse(context_json, "context_json");
    if (!context) return std::move(context).error();
    return emit_result(out, st.knowledge->render_script(id, *context));
  });
}

hl_status hl_kb_suggest(hl_store* s, const hl_actor* a, const char* request_json, char** out,
                        hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) -> Status {
    auto r = read<SuggestionRequest>(request_json, "request_json", suggestion_request_from_json);
    if (!r) return std::move(r).error();
    return emit_list(out, st.knowledge->suggest(actor, *r));
  });
}

hl_status hl_kb_load(hl_store* s, const hl_actor* a, const char* document_json, char** out,
                     hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) -> Status {
    auto j = parse(document_json, "document_json");
    if (!j) return std::move(j).error();
    auto report = load_knowledge(*st.knowledge, actor, *j);
    if (!report) return std::move(report).error();
    return emit(out, json{{"categories", report->categories},
                          {"articles", report->articles},
                          {"scripts", report->scripts}});
  });
}

}  // extern "C"
