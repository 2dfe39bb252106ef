// The operations server: the REST API (ops_api.hpp), /metrics and the
// event stream over WebSocket, served by libwebsockets on the engine's own
// libuv loop (a foreign loop to lws), so every request runs on the loop
// thread beside the engine and no lock is needed.
//
// It is the runtime's notification sink: each notification feeds the
// histograms and goes, as JSON, to every event-stream subscriber allowed to
// see it, then on to `next` (if any).
#pragma once

#include <memory>
#include <string>

#include "access_table.hpp"
#include "call_timings.hpp"
#include "event_audience.hpp"
#include "ops_api.hpp"
#include "wallboard_thresholds.hpp"
#include "web_files.hpp"
#include "hotline/runtime/notification_sink.hpp"

struct uv_loop_s;

namespace hotline::ops {

struct ListenOptions {
  std::string address = "127.0.0.1";
  int port = 8080;
};

class OpsServer : public runtime::NotificationSink {
 public:
  OpsServer(OpsApi& api, const AccessTable& access, CallTimings& timings,
            runtime::NotificationSink* next = nullptr);
  ~OpsServer() override;
  OpsServer(const OpsServer&) = delete;
  OpsServer& operator=(const OpsServer&) = delete;

  // Serves the pages' files and the browser routes (page_routes.hpp) too;
  // call before start().
  void serve_pages(const PagesOptions& pages, const WallboardThresholds& wallboard);

  // Listens on `listen` on `loop` (which must outlive close()).
  Status start(uv_loop_s* loop, const ListenOptions& listen);
  // The port it listens on (the chosen one when started on port 0).
  int port() const noexcept;
  // Closes every connection and lws's handles. With the loop lws is a guest
  // on, the closing finishes as the loop runs: keep the server alive (it
  // answers nothing any more) until the loop has run once more.
  void close();

  void notification(const engine::Notification& n) override;
  // A ring_agent command on its way to the phone: its screen pop goes to the
  // agent rung and to every supervisor and admin subscribed (screen_pop.hpp).
  void ring(const engine::Command& ring);
  void host_error(const runtime::HostError& e) override;

  // A subscriber whose unsent events pass this many is disconnected rather
  // than let its backlog grow without bound.
  static constexpr std::size_t kMaxQueuedEvents = 4096;

  struct Impl;  // libwebsockets state, private to ops_server.cpp

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace hotline::ops
