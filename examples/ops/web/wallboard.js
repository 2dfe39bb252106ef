// The wallboard: per queue what waits now and how the day goes against the
// thresholds of ops.json's "wallboard" object (GET /api/v1/wallboard).
// Polls the REST routes every second and at once after a routing event.
"use strict";

(() => {
  const HISTORY = 60;  // samples kept for the chart
  let thresholds = null;
  let chart = null;
  const history = {labels: [], series: new Map()};

  // ok / warn / alert against a target: within, close to it, past it.
  function atLeast(value, target) {
    if (value === null || value === undefined || !Number.isFinite(value)) return "";
    if (value >= target) return "ok";
    return value >= target * 0.9 ? "warn" : "alert";
  }
  function atMost(value, target) {
    if (value === null || value === undefined || !Number.isFinite(value)) return "";
    if (value <= target) return "ok";
    return value <= Math.max(target * 1.5, target + 1) ? "warn" : "alert";
  }

  function ratio(part, whole) {
    return whole > 0 ? part / whole : null;
  }

  function cell(field, text, level) {
    const td = Ops.el("td", text, level || "");
    td.dataset.field = field;
    if (level) td.dataset.level = level;
    return td;
  }

  function render(queues, stats) {
    const body = document.querySelector("#queues tbody");
    const rows = [];
    let waiting = 0;
    for (const q of queues) {
      const s = stats && stats.queues ? stats.queues[q.id] : null;
      waiting += q.waiting;
      const tr = document.createElement("tr");
      tr.dataset.queue = q.id;
      const name = Ops.el("td", q.id, "text");
      name.dataset.field = "queue";
      tr.append(name);
      tr.append(cell("waiting", q.waiting));
      tr.append(cell("longest_wait", Ops.seconds(q.longest_wait_ms)));
      if (s) {
        const sl = s.service_level;
        const abandon = ratio(s.abandoned, s.offered);
        const busy = ratio(s.refused, s.offered + s.refused);
        const asa = s.answered > 0 ? s.asa_ms : null;
        // A ratio over nothing is no figure: without a judged issue there is
        // no first-contact resolution to colour, only "–".
        const fcr = s.issue_contacts > 0 ? s.first_contact_resolution : null;
        const threshold =
            q.service_level_ms !== undefined ? ` in ${q.service_level_ms / 1000} s` : "";
        tr.append(cell("service_level", Ops.percent(sl) + threshold,
                       atLeast(sl, thresholds.service_level_percent / 100)));
        tr.append(cell("abandon_rate", Ops.percent(abandon),
                       atMost(abandon, thresholds.abandon_percent / 100)));
        tr.append(cell("busy_rate", Ops.percent(busy),
                       atMost(busy, thresholds.busy_percent / 100)));
        tr.append(cell("asa", asa === null ? "–" : Ops.seconds(asa),
                       atMost(asa === null ? null : asa / 1000, thresholds.asa_seconds)));
        tr.append(cell("fcr", Ops.percent(fcr), atLeast(fcr, thresholds.fcr_percent / 100)));
      } else {
        for (const field of ["service_level", "abandon_rate", "busy_rate", "asa", "fcr"]) {
          tr.append(cell(field, "–"));
        }
      }
      tr.append(cell("agents_available", q.agents_available));
      tr.append(cell("agents_busy", q.agents_busy));
      tr.append(cell("agents_other",
                     Math.max(0, q.agents_logged_in - q.agents_available - q.agents_busy)));
      rows.push(tr);
    }
    body.replaceChildren(...rows);

    const waitingTile = document.querySelector("#tile-waiting .value");
    waitingTile.textContent = String(waiting);
    const occupancyTile = document.getElementById("tile-occupancy");
    let occupancy = null;
    if (stats && stats.agents) {
      const values = Object.values(stats.agents)
          .filter((a) => a.state !== "logged_out" && Number.isFinite(a.occupancy))
          .map((a) => a.occupancy);
      if (values.length) occupancy = values.reduce((x, y) => x + y, 0) / values.length;
    }
    occupancyTile.querySelector(".value").textContent = Ops.percent(occupancy);
    occupancyTile.className = `tile ${atMost(occupancy, thresholds.occupancy_percent / 100)}`;
    document.getElementById("clock").textContent =
        new Date(stats ? stats.time : Date.now()).toLocaleTimeString();
    chartSample(queues, stats ? stats.time : Date.now());
  }

  function chartSample(queues, time) {
    if (typeof window.Chart !== "function") return;
    history.labels.push(new Date(time).toLocaleTimeString());
    for (const q of queues) {
      if (!history.series.has(q.id)) {
        history.series.set(q.id, new Array(history.labels.length - 1).fill(null));
      }
    }
    for (const [id, values] of history.series) {
      const q = queues.find((x) => x.id === id);
      values.push(q ? q.waiting : null);
      if (values.length > HISTORY) values.shift();
    }
    if (history.labels.length > HISTORY) history.labels.shift();
    const datasets = [...history.series].map(([id, values]) => ({label: id, data: values}));
    if (chart === null) {
      chart = new window.Chart(document.getElementById("waiting-chart"), {
        type: "line",
        data: {labels: history.labels, datasets},
        options: {
          animation: false, responsive: true, maintainAspectRatio: false,
          scales: {
            x: {title: {display: true, text: "time (the center's clock)"}},
            y: {beginAtZero: true, title: {display: true, text: "callers waiting"},
                ticks: {precision: 0}},
          },
        },
      });
    } else {
      chart.data.labels = history.labels;
      chart.data.datasets = datasets;
      chart.update();
    }
  }

  async function refresh() {
    const queues = await Ops.api("GET", "/api/v1/queues");
    let stats = null;
    try {
      stats = await Ops.api("GET", "/api/v1/stats");
    } catch (e) {
      if (e.status !== 403) throw e;  // an agent's token sees the queues only
    }
    render(queues.queues, stats);
    // The center's time of the figures shown (ms since the epoch), for whoever checks freshness.
    document.getElementById("queues").dataset.time = String(queues.time);
  }

  async function start() {
    Ops.wireLogout();
    await Ops.login();
    thresholds = await Ops.api("GET", "/api/v1/wallboard");
    document.getElementById("sl-heading").textContent =
        `Service level (target ${thresholds.service_level_percent} %)`;
    const poke = Ops.refresher(refresh, 1000);
    Ops.events((event) => {
      if (event.kind === "routing" || event.kind === "contact_queued" ||
          event.kind === "call_ended" || event.kind === "contact_refused") {
        poke();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    start().catch((e) => Ops.showStatus(e.message, true));
  });
})();
