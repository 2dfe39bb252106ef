#include "serve.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include <uv.h>

#include "hotline/runtime/customer_resolution.hpp"
#include "hotline/runtime/store_opening.hpp"
#include "hotline/util/json_input.hpp"
#include "ops_config.hpp"
#include "ops_server.hpp"
#include "ops_store.hpp"

namespace hotline::sim {

namespace {

// The simulated clock moves this often, by tick × speed.
constexpr std::uint64_t kTickMs = 100;

// Hands notifications to the server once it exists (the run is made first).
struct Forward : runtime::NotificationSink {
  runtime::NotificationSink* to = nullptr;
  void notification(const engine::Notification& n) override {
    if (to) to->notification(n);
  }
  void host_error(const runtime::HostError& e) override {
    if (to) to->host_error(e);
  }
};

struct Pacing {
  SteppedRun* run = nullptr;
  TimeMs simulated_now = 0;
  double speed = 1;
  bool day_over = false;
  int status = 0;
};

void tick(uv_timer_t* timer) {
  auto* pacing = static_cast<Pacing*>(timer->data);
  if (pacing->day_over) return;
  pacing->simulated_now += static_cast<TimeMs>(static_cast<double>(kTickMs) * pacing->speed);
  try {
    if (!pacing->run->step(pacing->simulated_now)) {
      pacing->day_over = true;
      std::cout << "the simulated day is over; serving its final state" << std::endl;
    }
  } catch (const std::exception& e) {
    std::cerr << "hotline-sim: " << e.what() << '\n';
    pacing->status = 1;
    uv_stop(timer->loop);
  }
}

void stop_on_signal(uv_signal_t* handle, int /*signum*/) { uv_stop(handle->loop); }

Result<ops::OpsConfig> read_access(const std::string& path, const engine::Engine& engine) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::kIo, path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  auto j = parse_json(text.str(), path);
  if (!j) return std::move(j).error();
  auto config = ops::ops_config_for_center(*j, engine);
  if (!config) return make_error(config.error().code, path + ": " + config.error().message);
  return config;
}

// The --store file, as hotline-ops opens it: the API's connection and the
// caller-id reads' own.
struct ServedStore {
  std::unique_ptr<runtime::CustomerResolver> resolver;
  std::unique_ptr<ops::OpsStore> api;
};

Result<ServedStore> open_served_store(const std::string& path) {
  ServedStore served;
  if (path.empty()) return served;
  auto opened =
      runtime::open_store(nlohmann::json{{"backend", "sqlite"}, {"path", path}}, "--store");
  if (!opened) return make_error(opened.error().code, path + ": " + opened.error().message);
  auto resolver = runtime::CustomerResolver::open(opened->config);
  if (!resolver) return make_error(resolver.error().code, path + ": " + resolver.error().message);
  served.resolver = std::move(*resolver);
  auto api = ops::OpsStore::open(opened->config);
  if (!api) return make_error(api.error().code, path + ": " + api.error().message);
  served.api = std::move(*api);
  return served;
}

// A simulated caller whose number is a stored customer's arrives as that
// customer, as a host's arrival does through the C ABI: the record first,
// the call's own attributes (the stream's VIP tier) win on a shared key.
void look_up_caller(runtime::CustomerResolver& resolver, engine::CallInfo& call) {
  engine::Event arrival;
  arrival.kind = engine::EventKind::kCallArrived;
  arrival.caller = call.caller;
  if (Status s = resolver.resolve(arrival); !s) {
    std::cerr << "hotline-sim: caller " << call.caller << ": " << s.error().message << '\n';
    return;
  }
  if (arrival.customer.empty()) return;
  expr::Attributes attributes = std::move(arrival.customer);
  for (std::size_t i = 0; i < call.attributes.size(); ++i) {
    const std::string_view key = call.attributes.key_at(i);
    if (const expr::Value* v = call.attributes.find(key)) attributes.set_value(key, *v);
  }
  call.attributes = std::move(attributes);
}

}  // namespace

int serve(const Scenario& scenario, const ServeOptions& options) {
  Forward forward;
  SteppedRun run(scenario, &forward);
  auto store = open_served_store(options.store_path);
  if (!store) {
    std::cerr << "hotline-sim: " << store.error().message << '\n';
    return 1;
  }
  if (store->resolver) {
    run.use_caller_lookup(
        [&resolver = *store->resolver](engine::CallInfo& call) { look_up_caller(resolver, call); });
  }
  if (Status s = run.begin(); !s) {
    std::cerr << "hotline-sim: " << s.error().message << '\n';
    return 1;
  }
  // Read after the center is loaded: an agent token must name one of its agents.
  auto config = read_access(options.access_path, run.engine());
  if (!config) {
    std::cerr << "hotline-sim: " << config.error().message << '\n';
    return 1;
  }
  Pacing pacing{&run, scenario.start, options.speed};
  ops::CallTimings timings(config->wait_buckets_seconds, config->handle_buckets_seconds);
  // The API acts at the simulated time, never before the engine's own.
  ops::OpsApi api(
      run.engine(), run.driver(), run.kpi(), timings, config->access,
      [&] { return std::max(pacing.simulated_now, run.engine().now()); },
      [&] { run.deliver(); });
  api.use_store(store->api.get());
  // Outlives the loop's last run, in which lws finishes closing.
  auto server = std::make_unique<ops::OpsServer>(api, config->access, timings);
  server->serve_pages(
      ops::PagesOptions{options.web_root.empty() ? ops::default_web_root() : options.web_root,
                        options.chartjs_dir},
      config->wallboard);
  forward.to = server.get();
  // Before a ring reaches the simulated agent's phone: the customer's open
  // tickets join its screen pop, which goes to the event stream as
  // hotline-ops sends it.
  runtime::CustomerResolver* resolver = store->resolver.get();
  run.driver().use_ring_amender([resolver, &server](engine::Command& ring) -> Status {
    Status amended = resolver ? resolver->add_open_tickets(ring) : Status{};
    server->ring(ring);
    return amended;
  });

  uv_loop_t loop;
  uv_loop_init(&loop);
  uv_timer_t timer;
  uv_signal_t sigint;
  uv_signal_t sigterm;
  uv_timer_init(&loop, &timer);
  timer.data = &pacing;
  uv_signal_init(&loop, &sigint);
  uv_signal_init(&loop, &sigterm);
  uv_signal_start(&sigint, stop_on_signal, SIGINT);
  uv_signal_start(&sigterm, stop_on_signal, SIGTERM);
  ops::ListenOptions listen{options.address, options.port};
  if (Status s = server->start(&loop, listen); !s) {
    std::cerr << "hotline-sim: " << s.error().message << '\n';
    pacing.status = 1;
  } else {
    std::printf("listening on http://%s:%d\n", listen.address.c_str(), server->port());
    std::fflush(stdout);
    uv_timer_start(&timer, tick, kTickMs, kTickMs);
    uv_run(&loop, UV_RUN_DEFAULT);
  }
  forward.to = nullptr;
  run.driver().use_ring_amender(nullptr);
  server->close();
  uv_close(reinterpret_cast<uv_handle_t*>(&timer), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&sigint), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&sigterm), nullptr);
  uv_run(&loop, UV_RUN_DEFAULT);
  server.reset();
  if (uv_loop_close(&loop) != 0) {
    std::cerr << "hotline-sim: the loop still had open handles at exit\n";
    return 1;
  }
  return pacing.status;
}

}  // namespace hotline::sim
