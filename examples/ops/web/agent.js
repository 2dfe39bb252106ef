// The agent's desktop: the agent's own state by button, the screen pop of a
// ringing call (customer, IVR path, digits, open tickets) with the
// customer's 360° view, wrap-up codes and the ticket form.
"use strict";

(() => {
  let me = null;  // the agent id of the session
  let call = null;  // {id, customerId} of the call on screen

  function fields(list, entries) {
    const nodes = [];
    for (const [key, value] of entries) {
      if (value === null || value === undefined || typeof value === "object") continue;
      nodes.push(Ops.el("dt", key), Ops.el("dd", value));
    }
    list.replaceChildren(...nodes);
  }

  async function setState(state, reason) {
    const body = reason ? {state, reason} : {state};
    try {
      const after = await Ops.api("POST", `/api/v1/agents/${encodeURIComponent(me)}/state`, body);
      showState(after);
      Ops.showStatus("");
    } catch (e) {
      Ops.showStatus(e.message, true);
    }
  }

  function showState(agent) {
    document.getElementById("state").textContent = agent.state;
    document.getElementById("state-reason").textContent = agent.reason ? `(${agent.reason})` : "";
  }

  async function refreshState() {
    const list = (await Ops.api("GET", "/api/v1/agents")).agents;
    const mine = list.find((a) => a.id === me);
    if (mine) showState(mine);
  }

  // The 360° view: the record (masked for an agent), recent contacts, open tickets.
  async function showCustomer(customerId) {
    const box = document.getElementById("customer");
    const contacts = document.getElementById("customer-contacts");
    if (!customerId) {
      box.replaceChildren();
      contacts.replaceChildren();
      return;
    }
    try {
      const view = await Ops.api("GET", `/api/v1/customers/${encodeURIComponent(customerId)}`);
      const record = view.customer || {};
      const entries = Object.entries(record).filter(([, v]) => typeof v !== "object");
      for (const list of ["phones", "emails", "tags"]) {
        if (Array.isArray(record[list])) entries.push([list, record[list].join(", ")]);
      }
      if (view.last_agent) entries.push(["last agent", view.last_agent]);
      fields(box, entries);
      contacts.replaceChildren(...(view.contacts || []).map((c) => Ops.el(
          "li", `${new Date(c.started_at).toLocaleString()} ${c.channel || ""} ` +
                `${c.queue || ""} ${c.agent || ""} ${c.outcome || ""}`)));
      if (Array.isArray(view.open_tickets)) {
        document.getElementById("pop-tickets").replaceChildren(...ticketItems(view.open_tickets));
      }
    } catch (e) {
      box.replaceChildren(Ops.el("dd", `The customer's record cannot be shown: ${e.message}`));
    }
  }

  // A ring shows the call; its screen pop (a "screen_pop" message, before or
  // after the routing "offer") fills in the caller and the customer.
  function popCall(callId, queueId, pop) {
    if (!call || call.id !== callId) {
      call = {id: callId, customerId: null};
      for (const id of ["pop", "pop-tickets", "customer", "customer-contacts"]) {
        document.getElementById(id).replaceChildren();
      }
      document.getElementById("call-queue").textContent = "";
    }
    document.getElementById("call").hidden = false;
    document.getElementById("call-id").textContent = callId || "";
    if (queueId) document.getElementById("call-queue").textContent = `from ${queueId}`;
    if (!pop) return;
    const customer = pop.customer || {};
    call.customerId = customer.id || null;
    const entries = [["caller", pop.caller], ["dialled", pop.dialled]];
    for (const [key, value] of Object.entries(customer)) entries.push([`customer ${key}`, value]);
    if (Array.isArray(pop.ivr_path)) entries.push(["IVR path", pop.ivr_path.join(" → ")]);
    for (const [name, digits] of Object.entries(pop.digits || {})) {
      entries.push([`digits ${name}`, digits]);
    }
    fields(document.getElementById("pop"), entries);
    document.getElementById("pop-tickets").replaceChildren(...ticketItems(pop.open_tickets));
    showCustomer(call.customerId);
  }

  function ticketItems(tickets) {
    return (tickets || []).map((t) => Ops.el(
        "li", `${t.number || t.id}: ${t.subject || ""} (${t.status || ""}, ${t.priority || ""})`));
  }

  function follow(event) {
    if (event.agent_id !== me) return;
    if (event.kind === "routing" && event.event === "offer") {
      popCall(event.call_id, event.queue_id, null);
    }
    if (event.kind === "screen_pop") {
      const pop = event.context || {};
      popCall(event.call_id, pop.queue_id, pop);
    }
    if (event.kind === "routing" && event.event === "agent_state_changed") {
      refreshState().catch((e) => Ops.showStatus(e.message, true));
    }
  }

  function wire() {
    document.getElementById("state-login").addEventListener("click", () => setState("login"));
    document.getElementById("state-ready").addEventListener("click", () => setState("ready"));
    document.getElementById("state-not-ready").addEventListener("click", () =>
        setState("not_ready", document.getElementById("not-ready-reason").value));
    document.getElementById("state-logout").addEventListener("click", () => setState("logout"));
    document.getElementById("wrapup").addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!call) return;
      const code = document.getElementById("wrapup-code").value;
      try {
        await Ops.api("POST", `/api/v1/calls/${encodeURIComponent(call.id)}/actions`,
                      {action: "wrapup", code});
        Ops.showStatus(`Call ${call.id} wrapped up: ${code}`);
        document.getElementById("call").hidden = true;
        call = null;
      } catch (e) {
        Ops.showStatus(e.message, true);
      }
    });
    document.getElementById("ticket").addEventListener("submit", async (event) => {
      event.preventDefault();
      const form = event.target;
      const ticket = {
        subject: form.elements.subject.value,
        category: form.elements.category.value,
        priority: form.elements.priority.value,
        description: form.elements.description.value,
      };
      if (call && call.customerId) ticket.customer = call.customerId;
      if (call) ticket.contact_id = call.id;
      const result = document.getElementById("ticket-result");
      try {
        const created = await Ops.api("POST", "/api/v1/tickets", ticket);
        result.textContent = `Ticket ${created.number || created.id} filed.`;
        form.reset();
      } catch (e) {
        result.textContent = `The ticket was not filed: ${e.message}`;
      }
    });
  }

  async function start() {
    Ops.wireLogout();
    const session = await Ops.login();
    if (!session.agent_id) {
      Ops.showStatus("This page is for an agent's token.", true);
      return;
    }
    me = session.agent_id;
    document.getElementById("me").textContent = me;
    wire();
    await refreshState();
    Ops.events(follow);
  }

  document.addEventListener("DOMContentLoaded", () => {
    start().catch((e) => Ops.showStatus(e.message, true));
  });
})();
