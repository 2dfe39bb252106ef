// What every page shares: the login (a bearer token traded once for a
// session cookie), calls to the API, the event stream, and elements built
// with textContent only, so that no text from the data is ever read as HTML.
"use strict";

const Ops = (() => {
  const status = () => document.getElementById("status");

  function showStatus(text, isError) {
    const box = status();
    if (!box) return;
    box.textContent = text;
    box.className = isError ? "status error" : "status";
  }

  // An element with text (never HTML) and an optional class.
  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  // A JSON request through the session cookie; throws ApiError on a non-2xx answer.
  async function api(method, path, body) {
    const init = {method, credentials: "same-origin", headers: {}};
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    } else if (method !== "GET" && method !== "HEAD") {
      init.body = "";
    }
    const reply = await fetch(path, init);
    const text = await reply.text();
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch (e) {
        data = {error: text};
      }
    }
    if (!reply.ok) {
      const message = (data && data.error) || `${method} ${path}: ${reply.status}`;
      throw new ApiError(reply.status, message);
    }
    return data;
  }

  // Who is logged in: the session's role and agent, after asking for the
  // token with the page's login form when there is no session yet.
  async function login() {
    const current = await api("GET", "/api/v1/session");
    if (current.authenticated) return current;
    const form = document.getElementById("login");
    const main = document.getElementById("content");
    form.hidden = false;
    if (main) main.hidden = true;
    return new Promise((resolve) => {
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const token = form.elements.token.value.trim();
        try {
          const reply = await fetch("/api/v1/session", {
            method: "POST", credentials: "same-origin", body: "",
            headers: {"Authorization": `Bearer ${token}`},
          });
          if (!reply.ok) {
            showStatus("The token was not accepted.", true);
            return;
          }
          form.elements.token.value = "";
          form.hidden = true;
          if (main) main.hidden = false;
          showStatus("");
          resolve(await reply.json());
        } catch (e) {
          showStatus(`Login failed: ${e.message}`, true);
        }
      });
    });
  }

  async function logout() {
    try {
      await api("DELETE", "/api/v1/session");
    } finally {
      window.location.reload();
    }
  }

  // The engine's notifications as they happen; reconnects after a drop.
  function events(onEvent) {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    let socket = null;
    const open = () => {
      socket = new WebSocket(`${scheme}//${window.location.host}/api/v1/events`);
      socket.addEventListener("message", (message) => {
        let event;
        try {
          event = JSON.parse(message.data);
        } catch (e) {
          return;
        }
        onEvent(event);
      });
      socket.addEventListener("close", () => setTimeout(open, 2000));
    };
    open();
    return () => socket && socket.close();
  }

  // Runs `refresh` now, every `periodMs`, and soon after `poke()`.
  function refresher(refresh, periodMs) {
    let pending = null;
    const run = async () => {
      pending = null;
      try {
        await refresh();
      } catch (e) {
        showStatus(e.message, true);
      }
    };
    run();
    setInterval(run, periodMs);
    return () => {
      if (pending === null) pending = setTimeout(run, 150);
    };
  }

  function seconds(ms) {
    if (ms === null || ms === undefined || !Number.isFinite(ms)) return "–";
    const total = Math.max(0, Math.round(ms / 1000));
    const m = Math.floor(total / 60);
    const s = total % 60;
    return m > 0 ? `${m}:${String(s).padStart(2, "0")}` : `${s} s`;
  }

  function percent(fraction) {
    if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return "–";
    return `${(fraction * 100).toFixed(1)} %`;
  }

  function wireLogout() {
    const button = document.getElementById("logout");
    if (button) button.addEventListener("click", logout);
  }

  return {el, api, login, logout, events, refresher, seconds, percent, showStatus, wireLogout,
          ApiError};
})();
