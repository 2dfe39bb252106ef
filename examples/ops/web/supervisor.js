// The supervisor's view: every agent with state, time in state, reason,
// current call and calls handled today; a forced not ready by button, and
// monitor, whisper and barge on an agent's current call.
"use strict";

(() => {
  const currentCall = new Map();  // agent id -> call id, learnt from the event stream
  let agents = [];
  let stats = null;
  let session = {};  // who is logged in (GET /api/v1/session)
  let clockOffset = 0;  // the server's clock minus the browser's, from the statistics

  async function act(description, action) {
    try {
      await action();
      Ops.showStatus(`${description}: done`);
    } catch (e) {
      Ops.showStatus(`${description}: ${e.message}`, true);
    }
    poke();
  }

  function button(text, onClick) {
    const b = Ops.el("button", text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  function render() {
    const now = Date.now() + clockOffset;
    const rows = agents.map((agent) => {
      const tr = document.createElement("tr");
      tr.dataset.agent = agent.id;
      const add = (field, text, className) => {
        const td = Ops.el("td", text, className);
        td.dataset.field = field;
        tr.append(td);
      };
      add("id", agent.id, "text");
      add("name", agent.name, "text");
      add("state", agent.state, "text");
      add("in_state", agent.since ? Ops.seconds(now - agent.since) : "–");
      tr.lastChild.dataset.since = agent.since || "";
      add("reason", agent.reason || "", "text");
      const call = currentCall.get(agent.id);
      add("call", call || "", "text");
      const handled = stats && stats.agents && stats.agents[agent.id];
      add("handled", handled ? handled.handled : "–");
      const actions = document.createElement("td");
      actions.className = "text";
      const reason = () => document.getElementById("force-reason").value;
      if (agent.state !== "logged_out" && agent.state !== "not_ready") {
        // A supervisor who is an agent of the center forces (the engine records
        // who did it, and a busy agent changes when the call ends); another token
        // sets the state as the agent would.
        const route = session.agent_id ? "force" : "state";
        actions.append(button("Force not ready", () => act(`${agent.id} not ready`, () =>
            Ops.api("POST", `/api/v1/agents/${encodeURIComponent(agent.id)}/${route}`,
                    {state: "not_ready", reason: reason()}))));
      }
      if (call) {
        for (const action of ["monitor", "whisper", "barge"]) {
          actions.append(button(action[0].toUpperCase() + action.slice(1), () =>
              act(`${action} ${call}`, () =>
                  Ops.api("POST", `/api/v1/calls/${encodeURIComponent(call)}/actions`,
                          {action}))));
        }
      }
      tr.append(actions);
      return tr;
    });
    document.querySelector("#agents tbody").replaceChildren(...rows);
  }

  function tick() {
    const now = Date.now() + clockOffset;
    for (const td of document.querySelectorAll("#agents td[data-field=in_state]")) {
      const since = Number(td.dataset.since);
      if (since) td.textContent = Ops.seconds(now - since);
    }
  }

  async function refresh() {
    agents = (await Ops.api("GET", "/api/v1/agents")).agents;
    try {
      stats = await Ops.api("GET", "/api/v1/stats");
      clockOffset = stats.time - Date.now();
    } catch (e) {
      if (e.status !== 403) throw e;
      stats = null;
    }
    render();
  }

  function follow(event) {
    if (event.kind === "routing" && event.agent_id) {
      if (event.event === "offer_accepted" && event.call_id) {
        currentCall.set(event.agent_id, event.call_id);
      } else if (event.event === "wrap_up_ended" || event.event === "contact_completed") {
        currentCall.delete(event.agent_id);
      }
    } else if (event.kind === "call_ended" && event.call_id) {
      for (const [agent, call] of currentCall) {
        if (call === event.call_id) currentCall.delete(agent);
      }
    }
    poke();
  }

  let poke = () => {};
  async function start() {
    Ops.wireLogout();
    session = await Ops.login();
    poke = Ops.refresher(refresh, 2000);
    Ops.events(follow);
    setInterval(tick, 1000);  // time in state moves on between refreshes
  }

  document.addEventListener("DOMContentLoaded", () => {
    start().catch((e) => Ops.showStatus(e.message, true));
  });
})();
