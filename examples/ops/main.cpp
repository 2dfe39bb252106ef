// hotline-ops: the operations server over a contact center's engine.
//
//   hotline-ops CENTER.json --access OPS.json [--store FILE] [--address 127.0.0.1]
//               [--port 8080] [--web DIR] [--chartjs DIR]
//
// CENTER.json is the engine's configuration (docs/configuration.md; flow_files read in,
// a scenario's simulation part set aside, as the simulator does); OPS.json
// the server's tokens and histogram buckets (docs/ops-server.md). The engine
// runs on a libuv loop through the runtime and libwebsockets serves on the
// same loop. With --store the SQLite store serves the customer and ticket
// routes, gives rings their screen pop and keeps the IVR's tickets and the
// supervisors' audit. Prints "listening on http://ADDRESS:PORT" once it accepts
// connections; SIGINT or SIGTERM stops it cleanly.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include <CLI/CLI.hpp>
#include <uv.h>

#include "hotline/runtime/customer_resolution.hpp"
#include "hotline/runtime/runtime.hpp"
#include "hotline/runtime/store_opening.hpp"
#include "hotline/util/json_input.hpp"
#include "center_file.hpp"
#include "ops_config.hpp"
#include "ops_server.hpp"
#include "ops_store.hpp"

using namespace hotline;

namespace {

Result<nlohmann::json> read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::kIo, path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_json(text.str(), path);
}

int fail(const std::string& message) {
  std::cerr << "hotline-ops: " << message << '\n';
  return 1;
}

void stop_on_signal(uv_signal_t* handle, int /*signum*/) { uv_stop(handle->loop); }

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"hotline-ops: REST, WebSocket events and Prometheus metrics for a center"};
  std::string center_path;
  std::string access_path;
  std::string store_path;
  ops::ListenOptions listen;
  app.add_option("center", center_path, "the engine's configuration (JSON)")->required();
  app.add_option("--access", access_path, "tokens and buckets of the server (JSON)")
      ->required();
  app.add_option("--store", store_path,
                 "the SQLite store of customers and tickets (created if new)");
  app.add_option("--address", listen.address, "the address to listen on")
      ->capture_default_str();
  app.add_option("--port", listen.port, "the TCP port (0: any free one)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  ops::PagesOptions pages{ops::default_web_root(), "/usr/share/javascript/chart.js"};
  app.add_option("--web", pages.web_root,
                 "the pages' folder (default: beside the program, installed, or the source's)")
      ->check(CLI::ExistingDirectory);
  app.add_option("--chartjs", pages.chartjs_dir, "the charting library's folder (libjs-chart.js)")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  auto center = ops::read_center_file(center_path);
  if (!center) return fail(center.error().message);
  auto ops_json = read_json_file(access_path);
  if (!ops_json) return fail(ops_json.error().message);
  engine::Engine engine;
  if (Status s = engine.load_config(*center, runtime::system_clock_ms()); !s) {
    return fail(center_path + ": " + s.error().message);
  }
  auto config = ops::ops_config_for_center(*ops_json, engine);
  if (!config) return fail(access_path + ": " + config.error().message);
  // Three connections to one SQLite file (WAL): the API's, the runtime's
  // ticket and audit writes on the thread pool, and the caller-ID reads.
  std::shared_ptr<store::TicketService> runtime_tickets;
  std::unique_ptr<runtime::CustomerResolver> resolver;
  std::unique_ptr<ops::OpsStore> api_store;
  if (!store_path.empty()) {
    auto opened = runtime::open_store(
        nlohmann::json{{"backend", "sqlite"}, {"path", store_path}}, "--store");
    if (!opened) return fail(store_path + ": " + opened.error().message);
    auto customers = runtime::CustomerResolver::open(opened->config);
    if (!customers) return fail(store_path + ": " + customers.error().message);
    resolver = std::move(*customers);
    auto served = ops::OpsStore::open(opened->config);
    if (!served) return fail(store_path + ": " + served.error().message);
    api_store = std::move(*served);
    runtime_tickets =
        runtime::make_ticket_service(std::move(opened->storage), std::move(opened->config));
  }
  metrics::KpiCollector kpi;
  runtime::Driver driver(engine, kpi);
  ops::CallTimings timings(config->wait_buckets_seconds, config->handle_buckets_seconds);

  uv_loop_t loop;
  uv_loop_init(&loop);
  int status = 0;
  // Outlives the runtime's scope: lws finishes closing in the last loop run.
  std::unique_ptr<ops::OpsServer> server;
  {
    runtime::Runtime runtime(engine, &loop, driver);
    runtime.on_error([](const Error& e) { std::cerr << "hotline-ops: " << e.message << '\n'; });
    if (runtime_tickets) runtime.use_tickets(runtime_tickets);
    ops::OpsApi api(engine, driver, kpi, timings, config->access,
                    [&runtime] { return runtime.now(); }, [&runtime] { runtime.flush(); });
    api.use_store(api_store.get());
    server = std::make_unique<ops::OpsServer>(api, config->access, timings);
    server->serve_pages(pages, config->wallboard);
    // Before a ring goes out: the customer's open tickets join its screen
    // pop, which then goes to the event stream.
    driver.use_ring_amender([&resolver, &server](engine::Command& ring) -> Status {
      Status amended = resolver ? resolver->add_open_tickets(ring) : Status{};
      server->ring(ring);
      return amended;
    });
    driver.use_sink(server.get());
    runtime.flush();

    uv_signal_t sigint;
    uv_signal_t sigterm;
    uv_signal_init(&loop, &sigint);
    uv_signal_init(&loop, &sigterm);
    uv_signal_start(&sigint, stop_on_signal, SIGINT);
    uv_signal_start(&sigterm, stop_on_signal, SIGTERM);

    if (Status s = server->start(&loop, listen); !s) {
      std::cerr << "hotline-ops: " << s.error().message << '\n';
      status = 1;
    } else {
      std::printf("listening on http://%s:%d\n", listen.address.c_str(), server->port());
      std::fflush(stdout);
      uv_run(&loop, UV_RUN_DEFAULT);
    }
    driver.use_sink(nullptr);
    driver.use_ring_amender(nullptr);
    server->close();
    uv_close(reinterpret_cast<uv_handle_t*>(&sigint), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&sigterm), nullptr);
  }
  // The runtime's, lws's and the signals' handles finish closing here.
  uv_run(&loop, UV_RUN_DEFAULT);
  server.reset();
  if (uv_loop_close(&loop) != 0) return fail("the loop still had open handles at exit");
  return status;
}
