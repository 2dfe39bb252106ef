#include "ops_server.hpp"

#include <charconv>
#include <cstdint>
#include <deque>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>
#include <libwebsockets.h>
#include <uv.h>

#include "notification_json.hpp"
#include "page_routes.hpp"
#include "screen_pop.hpp"

namespace hotline::ops {

namespace {

// The API answers JSON and text only: nothing may load, frame or submit.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
// The pages load their own scripts, styles and the charting library, and
// talk to this server only; no inline script, no other origin, no framing.
constexpr std::string_view kPageSecurityPolicy =
    "default-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'none'";
constexpr std::string_view kEventsPath = "/api/v1/events";

std::string header(struct lws* wsi, enum lws_token_indexes token) {
  const int length = lws_hdr_total_length(wsi, token);
  if (length <= 0) return {};
  std::string value(static_cast<std::size_t>(length) + 1, '\0');
  if (lws_hdr_copy(wsi, value.data(), length + 1, token) < 0) return {};
  value.resize(static_cast<std::size_t>(length));
  return value;
}

// The query string's parameters as lws gives them: one fragment per
// parameter, already percent-decoded, "name=value" (or "name" alone).
std::vector<std::pair<std::string, std::string>> query_of(struct lws* wsi) {
  std::vector<std::pair<std::string, std::string>> query;
  const int total = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_URI_ARGS);
  if (total <= 0) return query;
  std::string fragment(static_cast<std::size_t>(total) + 1, '\0');
  for (int n = 0;; ++n) {
    const int length = lws_hdr_copy_fragment(wsi, fragment.data(), total + 1,
                                             WSI_TOKEN_HTTP_URI_ARGS, n);
    if (length < 0) break;
    std::string_view text(fragment.data(), static_cast<std::size_t>(length));
    const std::size_t equals = text.find('=');
    if (equals == std::string_view::npos) {
      query.emplace_back(std::string(text), std::string());
    } else {
      query.emplace_back(std::string(text.substr(0, equals)),
                         std::string(text.substr(equals + 1)));
    }
  }
  return query;
}

std::string method_of(struct lws* wsi) {
  struct Method {
    enum lws_token_indexes token;
    const char* name;
  };
  static constexpr Method kMethods[] = {
      {WSI_TOKEN_GET_URI, "GET"},       {WSI_TOKEN_POST_URI, "POST"},
      {WSI_TOKEN_PUT_URI, "PUT"},       {WSI_TOKEN_DELETE_URI, "DELETE"},
      {WSI_TOKEN_PATCH_URI, "PATCH"},   {WSI_TOKEN_HEAD_URI, "HEAD"},
      {WSI_TOKEN_OPTIONS_URI, "OPTIONS"},
  };
  for (const Method& m : kMethods) {
    if (lws_hdr_total_length(wsi, m.token) > 0) return m.name;
  }
  return "OTHER";
}

}  // namespace

struct OpsServer::Impl {
  struct Session {
    // HTTP: the request being read and the response being written.
    HttpRequest request;
    BrowserRequest browser;
    bool body_too_large = false;
    // A request gets one response: once answered, what is left of its body is ignored.
    bool responded = false;
    // Answered before its body was read (no or too large a Content-Length): the
    // connection cannot carry another request, so it closes after the response.
    bool close_after = false;
    std::string response_body;
    // WebSocket: who subscribed and what waits to be sent.
    std::optional<Principal> subscriber;
    std::deque<std::string> outbox;
    bool overflowed = false;
  };

  Impl(OpsApi& api, const AccessTable& access, CallTimings& timings,
       runtime::NotificationSink* next)
      : api(api),
        access(access),
        timings(timings),
        next(next),
        audience([&api](std::string_view agent_id) { return api.is_supervisor(agent_id); }) {}

  static int callback(struct lws* wsi, enum lws_callback_reasons reason, void* user, void* in,
                      std::size_t len);
  int on_event(struct lws* wsi, enum lws_callback_reasons reason, void* in, std::size_t len);
  int respond(struct lws* wsi, Session& session, const HttpResponse& response,
              std::string_view set_cookie = {});
  // Answers a request whose body (if any) is in: a page's file, a browser
  // route, or the API.
  int dispatch(struct lws* wsi, Session& session);
  int serve_file(struct lws* wsi, Session& session);

  OpsApi& api;
  const AccessTable& access;
  CallTimings& timings;
  runtime::NotificationSink* next;
  EventAudience audience;
  struct lws_context* context = nullptr;
  struct lws_vhost* vhost = nullptr;
  bool closing = false;
  // lws clears this when a destroy has completed (info.pcontext).
  struct lws_context* alive = nullptr;
  std::vector<struct lws_protocols> protocols;
  std::unordered_map<struct lws*, Session> sessions;
  std::unordered_set<struct lws*> subscribers;
  PagesOptions pages;
  std::optional<PageRoutes> page_routes;
};

int OpsServer::Impl::callback(struct lws* wsi, enum lws_callback_reasons reason, void* /*user*/,
                              void* in, std::size_t len) {
  auto* self = static_cast<Impl*>(lws_context_user(lws_get_context(wsi)));
  if (self == nullptr) return lws_callback_http_dummy(wsi, reason, nullptr, in, len);
  if (self->closing) {
    // lws closes its connections on the loop after close(): forget them, serve nothing.
    self->subscribers.erase(wsi);
    self->sessions.erase(wsi);
    return lws_callback_http_dummy(wsi, reason, nullptr, in, len);
  }
  try {
    return self->on_event(wsi, reason, in, len);
  } catch (const std::exception& e) {
    // A request that fails unexpectedly closes its own connection, never the server.
    lwsl_err("hotline-ops: %s\n", e.what());
    return -1;
  }
}

int OpsServer::Impl::respond(struct lws* wsi, Session& session, const HttpResponse& response,
                             std::string_view set_cookie) {
  if (session.responded) return 0;
  session.responded = true;
  std::vector<unsigned char> buffer(LWS_PRE + 2048);
  unsigned char* start = buffer.data() + LWS_PRE;
  unsigned char* p = start;
  unsigned char* end = buffer.data() + buffer.size() - 1;
  auto add = [&](const char* name, std::string_view value) {
    return lws_add_http_header_by_name(wsi, reinterpret_cast<const unsigned char*>(name),
                                       reinterpret_cast<const unsigned char*>(value.data()),
                                       static_cast<int>(value.size()), &p, end);
  };
  if (lws_add_http_common_headers(wsi, static_cast<unsigned int>(response.status),
                                  response.content_type.c_str(), response.body.size(), &p,
                                  end) ||
      add("content-security-policy:", kContentSecurityPolicy) ||
      add("x-content-type-options:", "nosniff") || add("cache-control:", "no-store") ||
      (response.status == 401 && add("www-authenticate:", "Bearer realm=\"hotline\"")) ||
      (session.close_after && add("connection:", "close")) ||
      (!set_cookie.empty() && add("set-cookie:", set_cookie)) ||
      lws_finalize_write_http_header(wsi, start, &p, end)) {
    return 1;
  }
  session.response_body = response.body;
  lws_callback_on_writable(wsi);
  return 0;
}

int OpsServer::Impl::serve_file(struct lws* wsi, Session& session) {
  const std::string& method = session.request.method;
  if (method != "GET" && method != "HEAD") {
    return respond(wsi, session, error_response(405, "GET only"));
  }
  const auto file = find_web_file(pages, session.request.path);
  if (!file) return respond(wsi, session, error_response(404, "no such page"));
  session.responded = true;
  unsigned char headers[512];
  unsigned char* p = headers;
  unsigned char* end = headers + sizeof headers;
  auto add = [&](const char* name, std::string_view value) {
    return lws_add_http_header_by_name(wsi, reinterpret_cast<const unsigned char*>(name),
                                       reinterpret_cast<const unsigned char*>(value.data()),
                                       static_cast<int>(value.size()), &p, end);
  };
  if (add("content-security-policy:", kPageSecurityPolicy) ||
      add("x-content-type-options:", "nosniff") || add("cache-control:", "no-cache") ||
      add("referrer-policy:", "no-referrer")) {
    return -1;
  }
  const int served = lws_serve_http_file(wsi, file->path.c_str(), file->content_type.c_str(),
                                         reinterpret_cast<const char*>(headers),
                                         static_cast<int>(p - headers));
  if (served < 0 || (served > 0 && lws_http_transaction_completed(wsi))) return -1;
  return 0;
}

int OpsServer::Impl::dispatch(struct lws* wsi, Session& session) {
  BrowserRequest& browser = session.browser;
  if (page_routes && PageRoutes::is_page_path(session.request.path)) {
    return serve_file(wsi, session);
  }
  if (page_routes) {
    if (auto answer = page_routes->answer(browser)) {
      return respond(wsi, session, answer->response, answer->set_cookie);
    }
    if (auto refused = page_routes->authorize(browser)) return respond(wsi, session, *refused);
    session.request.authorization = browser.authorization;
  }
  return respond(wsi, session, api.handle(session.request));
}

int OpsServer::Impl::on_event(struct lws* wsi, enum lws_callback_reasons reason, void* in,
                              std::size_t len) {
  switch (reason) {
    case LWS_CALLBACK_HTTP: {
      Session& session = sessions[wsi];
      session = Session{};
      session.request.method = method_of(wsi);
      session.request.path.assign(static_cast<const char*>(in), len);
      session.request.authorization = header(wsi, WSI_TOKEN_HTTP_AUTHORIZATION);
      session.browser = BrowserRequest{session.request.method, session.request.path,
                                       session.request.authorization,
                                       header(wsi, WSI_TOKEN_HTTP_COOKIE),
                                       header(wsi, WSI_TOKEN_ORIGIN), header(wsi, WSI_TOKEN_HOST)};
      session.request.query = query_of(wsi);
      // lws reads a body for any request with a Content-Length, and without one
      // waits for up to 100 MiB of body on a POST, PUT or PATCH: a request with
      // a body is answered once the body is in, one that needs a body and does
      // not say how long it is gets 411, a body over the limit 413, at once.
      const std::string length_header = header(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH);
      if (length_header.empty()) {
        const std::string& method = session.request.method;
        if (method == "POST" || method == "PUT" || method == "PATCH") {
          session.close_after = true;
          return respond(wsi, session,
                         error_response(411, "a Content-Length header is required"));
        }
        return dispatch(wsi, session);
      }
      std::uint64_t length = 0;
      const char* last = length_header.data() + length_header.size();
      auto [end, error] = std::from_chars(length_header.data(), last, length);
      if (error != std::errc() || end != last) {
        session.close_after = true;
        return respond(wsi, session, error_response(400, "the Content-Length is not a number"));
      }
      if (length > OpsApi::kMaxBodyBytes) {
        session.close_after = true;
        return respond(wsi, session, error_response(413, "the body is too large"));
      }
      if (length > 0) return 0;  // answered at LWS_CALLBACK_HTTP_BODY_COMPLETION
      return dispatch(wsi, session);
    }
    case LWS_CALLBACK_HTTP_BODY: {
      Session& session = sessions[wsi];
      if (session.responded) return 0;
      if (session.request.body.size() + len > OpsApi::kMaxBodyBytes) {
        session.body_too_large = true;
      } else {
        session.request.body.append(static_cast<const char*>(in), len);
      }
      return 0;
    }
    case LWS_CALLBACK_HTTP_BODY_COMPLETION: {
      Session& session = sessions[wsi];
      if (session.responded) return 0;
      if (session.body_too_large) {
        return respond(wsi, session, error_response(413, "the body is too large"));
      }
      return dispatch(wsi, session);
    }
    case LWS_CALLBACK_HTTP_WRITEABLE: {
      auto found = sessions.find(wsi);
      if (found == sessions.end()) return -1;
      std::string& body = found->second.response_body;
      std::vector<unsigned char> buffer(LWS_PRE + body.size());
      std::copy(body.begin(), body.end(), buffer.begin() + LWS_PRE);
      if (lws_write(wsi, buffer.data() + LWS_PRE, body.size(), LWS_WRITE_HTTP_FINAL) <
          static_cast<int>(body.size())) {
        return -1;
      }
      body.clear();
      if (found->second.close_after) return -1;
      return lws_http_transaction_completed(wsi) ? -1 : 0;
    }
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION: {
      // The WebSocket handshake: only the event stream, only with a token.
      if (header(wsi, WSI_TOKEN_GET_URI) != kEventsPath) return -1;
      const std::string authorization = header(wsi, WSI_TOKEN_HTTP_AUTHORIZATION);
      auto who = page_routes
                     ? page_routes->subscriber(BrowserRequest{
                           "GET", std::string(kEventsPath), authorization,
                           header(wsi, WSI_TOKEN_HTTP_COOKIE), header(wsi, WSI_TOKEN_ORIGIN),
                           header(wsi, WSI_TOKEN_HOST)})
                     : access.authenticate(authorization);
      if (!who) return -1;
      sessions[wsi].subscriber = std::move(who);
      return 0;
    }
    case LWS_CALLBACK_ESTABLISHED:
      subscribers.insert(wsi);
      return 0;
    case LWS_CALLBACK_RECEIVE:
      return 0;  // the stream is one-way; what a client sends is ignored
    case LWS_CALLBACK_SERVER_WRITEABLE: {
      auto found = sessions.find(wsi);
      if (found == sessions.end()) return -1;
      Session& session = found->second;
      if (session.overflowed) return -1;
      if (session.outbox.empty()) return 0;
      const std::string& message = session.outbox.front();
      std::vector<unsigned char> buffer(LWS_PRE + message.size());
      std::copy(message.begin(), message.end(), buffer.begin() + LWS_PRE);
      if (lws_write(wsi, buffer.data() + LWS_PRE, message.size(), LWS_WRITE_TEXT) <
          static_cast<int>(message.size())) {
        return -1;
      }
      session.outbox.pop_front();
      if (!session.outbox.empty()) lws_callback_on_writable(wsi);
      return 0;
    }
    case LWS_CALLBACK_CLOSED:
    case LWS_CALLBACK_CLOSED_HTTP:
    case LWS_CALLBACK_WSI_DESTROY:
      subscribers.erase(wsi);
      sessions.erase(wsi);
      return 0;
    default:
      return lws_callback_http_dummy(wsi, reason, nullptr, in, len);
  }
}

OpsServer::OpsServer(OpsApi& api, const AccessTable& access, CallTimings& timings,
                     runtime::NotificationSink* next)
    : impl_(std::make_unique<Impl>(api, access, timings, next)) {}

OpsServer::~OpsServer() {
  close();
  // On a guest loop the first destroy only starts closing; once the loop has
  // run, a second one frees what is left (lws has cleared `alive` if the
  // first one already finished).
  if (impl_->alive != nullptr) lws_context_destroy(impl_->alive);
}

void OpsServer::serve_pages(const PagesOptions& pages, const WallboardThresholds& wallboard) {
  impl_->pages = pages;
  impl_->page_routes.emplace(impl_->access, wallboard);
}

Status OpsServer::start(uv_loop_s* loop, const ListenOptions& listen) {
  if (impl_->context != nullptr || impl_->closing) {
    return make_error(Errc::kIllegalState, "the operations server was started before");
  }
  lws_set_log_level(LLL_ERR | LLL_WARN, nullptr);
  impl_->protocols = {
      {"hotline-events", &Impl::callback, 0, 4096, 0, nullptr, 0},
      {nullptr, nullptr, 0, 0, 0, nullptr, 0},
  };
  void* foreign_loops[] = {loop};
  struct lws_context_creation_info info {};
  info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_DISABLE_IPV6;
  info.foreign_loops = foreign_loops;
  info.port = listen.port;
  info.iface = listen.address.c_str();
  info.protocols = impl_->protocols.data();
  info.user = impl_.get();
  info.vhost_name = "hotline-ops";
  info.pcontext = &impl_->alive;
  impl_->context = lws_create_context(&info);
  impl_->alive = impl_->context;
  if (impl_->context == nullptr) {
    return make_error(Errc::kIo, fmt::format("cannot listen on {}:{}", listen.address,
                                             listen.port));
  }
  impl_->vhost = lws_get_vhost_by_name(impl_->context, "hotline-ops");
  return {};
}

int OpsServer::port() const noexcept {
  return impl_->vhost ? lws_get_vhost_listen_port(impl_->vhost) : -1;
}

void OpsServer::close() {
  if (impl_->context == nullptr) return;
  impl_->closing = true;
  impl_->subscribers.clear();
  impl_->sessions.clear();
  lws_context_destroy(impl_->context);
  impl_->context = nullptr;
  impl_->vhost = nullptr;
}

void OpsServer::notification(const engine::Notification& n) {
  impl_->timings.observe(n);
  impl_->api.observe(n);
  impl_->audience.observe(n);
  std::string message;
  for (struct lws* wsi : impl_->subscribers) {
    auto found = impl_->sessions.find(wsi);
    if (found == impl_->sessions.end() || !found->second.subscriber) continue;
    Impl::Session& session = found->second;
    if (session.overflowed || !impl_->audience.visible_to(*session.subscriber, n)) continue;
    if (session.outbox.size() >= kMaxQueuedEvents) {
      session.overflowed = true;  // the next writable callback closes it
    } else {
      if (message.empty()) {
        message = notification_json(n).dump(-1, ' ', false,
                                             nlohmann::json::error_handler_t::replace);
      }
      session.outbox.push_back(message);
    }
    lws_callback_on_writable(wsi);
  }
  impl_->audience.settle(n);
  if (impl_->next) impl_->next->notification(n);
}

void OpsServer::ring(const engine::Command& ring) {
  for (struct lws* wsi : impl_->subscribers) {
    auto found = impl_->sessions.find(wsi);
    if (found == impl_->sessions.end() || !found->second.subscriber) continue;
    Impl::Session& session = found->second;
    if (session.overflowed) continue;
    auto message = screen_pop_for(*session.subscriber, ring);
    if (!message) continue;
    if (session.outbox.size() >= kMaxQueuedEvents) {
      session.overflowed = true;  // the next writable callback closes it
    } else {
      session.outbox.push_back(
          message->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    lws_callback_on_writable(wsi);
  }
}

void OpsServer::host_error(const runtime::HostError& e) {
  if (impl_->next) impl_->next->host_error(e);
}

}  // namespace hotline::ops
