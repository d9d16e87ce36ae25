// The taskq dashboard: polls the REST API every second and redraws. Plain JavaScript, no build step.
// Every value from the API is inserted as text (never as HTML): payloads and errors are user data.
"use strict";

const STATES = ["waiting", "blocked", "delayed", "active", "completed", "dead"];
const view = { state: "waiting", queue: "", job: null, confirmPurge: null, history: new Map() };
const token = readToken();

function readToken() {
  const match = /token=([^&]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem("taskq-token", decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname);
  }
  return sessionStorage.getItem("taskq-token") || "";
}

async function api(method, path) {
  // Writes say they are JSON: the server refuses any other write, so a page elsewhere cannot post one.
  const headers = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(method === "GET" ? {} : { "content-type": "application/json" }) };
  const response = await fetch(path, { method, headers });
  const body = (response.headers.get("content-type") || "").includes("json") ? await response.json() : await response.text();
  if (response.status === 401) document.getElementById("token-form").hidden = false;
  if (!response.ok) throw Object.assign(new Error(body.error || response.statusText), { status: response.status });
  return body;
}

/** Builds an element; strings become text nodes. */
function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null) el.setAttribute(key, value);
  }
  for (const child of children.flat()) el.append(child instanceof Node ? child : String(child ?? ""));
  return el;
}

function ago(iso) {
  if (!iso) return "-";
  const s = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
  return s < 120 ? `${s}s ago` : s < 7200 ? `${Math.round(s / 60)}m ago` : `${Math.round(s / 3600)}h ago`;
}

function fill(tableId, rows, empty, columns) {
  const body = document.querySelector(`#${tableId} tbody`);
  body.replaceChildren(...(rows.length ? rows : [h("tr", { class: "empty" }, h("td", { colspan: columns }, empty))]));
}

const pill = (state) => h("span", { class: `pill ${state}` }, state);
const openJob = (queue, id) => { view.job = { queue, id }; void refresh(); };
// A queue is known by prefix and name: shown and sent to the API as prefix:name outside the default prefix.
const label = (x) => (x.prefix && x.prefix !== "taskq" ? `${x.prefix}:${x.queue}` : x.queue);

/** Finished jobs per second from the change in completed + dead counts between polls, last 60 polls. */
function throughput(q) {
  const points = view.history.get(label(q)) || [];
  const finished = q.completed + q.dead;
  const last = points[points.length - 1];
  const now = Date.now();
  points.push({ at: now, finished, rate: last ? Math.max(0, finished - last.finished) / Math.max(0.001, (now - last.at) / 1000) : 0 });
  if (points.length > 60) points.shift();
  view.history.set(label(q), points);
  return points;
}

function sparkline(points) {
  const width = 160, height = 28, max = Math.max(1, ...points.map((p) => p.rate));
  const coords = points.map((p, i) => `${(i / Math.max(1, points.length - 1)) * width},${height - 2 - (p.rate / max) * (height - 4)}`).join(" ");
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("class", "spark"); svg.setAttribute("width", width); svg.setAttribute("height", height);
  const line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
  line.setAttribute("points", coords); line.setAttribute("fill", "none"); line.setAttribute("stroke", "#2b6cb0"); line.setAttribute("stroke-width", "1.5");
  svg.append(line);
  const rate = points.length ? points[points.length - 1].rate : 0;
  return h("div", { style: "display:flex;align-items:center;gap:8px" }, svg, h("span", { class: "num" }, rate.toFixed(1)));
}

function renderQueues(queues) {
  fill("queues", queues.map((q) => h("tr", { class: "clickable", "data-queue": label(q), onclick: () => { view.queue = view.queue === label(q) ? "" : label(q); void refresh(); } },
    h("td", {}, h("strong", {}, q.queue), q.prefix === "taskq" ? "" : ` (${q.prefix})`),
    ...["waiting", "delayed", "active", "completed"].map((k) => h("td", { class: "num" }, q[k])),
    h("td", { class: `num ${q.dead ? "dead-count" : ""}` }, q.dead),
    h("td", {}, `${q.workers.live} live`, q.workers.dead ? h("span", { class: "dead-count" }, `, ${q.workers.dead} dead`) : ""),
    h("td", { class: "num" }, `${Math.round(q.busyRatio * 100)}%`),
    h("td", {}, sparkline(throughput(q))),
  )), "no queues yet", 9);
}

function renderWorkers(workers) {
  fill("workers", workers.map((w) => h("tr", {},
    h("td", {}, h("code", {}, w.id)),
    h("td", {}, pill(w.state)),
    h("td", {}, w.queues.map((q) => `${q} ×${w.concurrency[q] || 0}`).join(", ")),
    h("td", {}, ago(w.lastHeartbeat)),
    h("td", {}, Object.entries(w.jobs).flatMap(([q, ids]) => ids.map((id) => h("a", { class: "job-link", onclick: () => openJob(q, id) }, `${q}/${id}`)))),
  )), "no workers", 5);
}

function renderStates() {
  document.getElementById("states").replaceChildren(...STATES.map((s) => h("button", { type: "button", class: s === view.state ? "selected" : "", "data-state": s, onclick: () => { view.state = s; void refresh(); } }, s)));
  document.getElementById("jobs-queue").textContent = view.queue ? `of ${view.queue}` : "of every queue";
}

function renderJobs(jobs) {
  renderStates();
  fill("jobs", jobs.map((j) => h("tr", { class: "clickable", "data-id": j.id, onclick: () => openJob(label(j), j.id) },
    h("td", {}, j.id), h("td", {}, label(j)), h("td", {}, j.name), h("td", {}, pill(j.state)), h("td", {}, j.priority),
    h("td", { class: "num" }, `${j.attempts}/${j.maxAttempts}`), h("td", {}, ago(j.createdAt)),
  )), `no ${view.state} jobs`, 7);
}

function renderJob(job) {
  const panel = document.getElementById("job-panel");
  panel.hidden = !view.job;
  if (!view.job) return;
  document.getElementById("job-title").textContent = `${view.job.queue}/${view.job.id}`;
  if (!job) return document.getElementById("job").replaceChildren(h("p", {}, "This job no longer exists (purged, or its record expired)."));
  const row = (k, v) => (v === undefined || v === null ? [] : [h("dt", {}, k), h("dd", {}, v)]);
  const json = (v) => h("pre", {}, JSON.stringify(v, null, 2));
  document.getElementById("job").replaceChildren(
    h("dl", {}, row("name", job.name), row("state", pill(job.state)), row("priority", job.priority), row("attempts", `${job.attempts} of ${job.maxAttempts}`),
      row("created", job.createdAt), row("started", job.startedAt), row("finished", job.finishedAt), row("due", job.dueAt), row("worker", job.workerId),
      row("payload", json(job.payload)), job.result === undefined ? [] : row("result", json(job.result)), job.progress === undefined ? [] : row("progress", json(job.progress))),
    job.errors.length ? h("div", {}, h("h2", {}, "Errors"), job.errors.map((e) => h("p", { class: "error" }, `attempt ${e.attempt} · ${new Date(e.at).toISOString()} · ${e.name}: ${e.message}`))) : "",
    job.logs.length ? h("div", {}, h("h2", {}, "Logs"), h("pre", {}, job.logs.join("\n"))) : "",
  );
}

async function act(method, path) {
  try { await api(method, path); } catch (error) { setStatus(error.message, true); }
  await refresh();
}

function renderDlq(jobs) {
  fill("dlq", jobs.map((j) => {
    const at = `${encodeURIComponent(j.id)}?queue=${encodeURIComponent(label(j))}`;
    const purging = view.confirmPurge === `${label(j)}/${j.id}`;
    return h("tr", { "data-id": j.id },
      h("td", {}, h("a", { class: "job-link", onclick: () => openJob(label(j), j.id) }, j.id)), h("td", {}, label(j)), h("td", {}, j.name),
      h("td", { class: "num" }, j.attempts), h("td", {}, ago(j.diedAt)), h("td", { class: "error" }, j.errors.length ? j.errors[j.errors.length - 1].message : "-"),
      h("td", { style: "white-space:nowrap" },
        h("button", { type: "button", class: "retry", onclick: () => act("POST", `/dlq/${at.replace("?", "/retry?")}`) }, "Retry"), " ",
        h("button", { type: "button", class: "danger purge", onclick: () => { if (purging) { view.confirmPurge = null; void act("DELETE", `/dlq/${at}`); } else { view.confirmPurge = `${label(j)}/${j.id}`; renderDlq(jobs); } } }, purging ? "Confirm purge" : "Purge")));
  }), "the dead-letter queue is empty", 7);
}

function describeSchedule(s) {
  return s.cron ? `cron ${s.cron}${s.tz ? ` (${s.tz})` : ""}` : s.everyMs ? `every ${s.everyMs / 1000} s${s.limit ? `, ${s.limit} times` : ""}` : `once`;
}

function renderSchedules(schedules) {
  fill("schedules", schedules.map((s) => h("tr", { "data-id": s.id },
    h("td", {}, h("code", {}, s.id)), h("td", {}, s.queue), h("td", {}, s.name), h("td", {}, describeSchedule(s.schedule)),
    h("td", {}, s.nextAt ? new Date(s.nextAt).toLocaleString() : "done"), h("td", { class: "num" }, s.fired),
    h("td", {}, h("button", { type: "button", class: "danger", onclick: () => act("DELETE", `/schedules/${encodeURIComponent(s.id)}?queue=${encodeURIComponent(s.queue)}`) }, "Remove")),
  )), "no schedules", 7);
}

function setStatus(text, bad = false) {
  const el = document.getElementById("status");
  el.textContent = text;
  el.className = bad ? "status bad" : "status";
}

async function refresh() {
  try {
    const jobsPath = `/jobs?state=${view.state}&limit=20${view.queue ? `&queue=${encodeURIComponent(view.queue)}` : ""}`;
    const [stats, workers, jobs, dlq, schedules] = await Promise.all([api("GET", "/stats"), api("GET", "/workers"), api("GET", jobsPath), api("GET", "/dlq?limit=50"), api("GET", "/schedules")]);
    renderQueues(stats.queues);
    renderWorkers(workers.workers);
    renderJobs(jobs.jobs);
    renderDlq(dlq.jobs);
    renderSchedules(schedules.schedules);
    const job = view.job ? await api("GET", `/jobs/${encodeURIComponent(view.job.id)}?queue=${encodeURIComponent(view.job.queue)}`).catch((e) => { if (e.status === 404) return null; throw e; }) : null;
    renderJob(job);
    setStatus(`live · updated ${new Date().toLocaleTimeString()}`);
  } catch (error) {
    setStatus(`cannot reach the API: ${error.message}`, true);
  }
}

document.getElementById("job-close").addEventListener("click", () => { view.job = null; renderJob(null); });
document.getElementById("token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem("taskq-token", document.getElementById("token").value);
  location.reload();
});

(async function poll() {
  await refresh();
  setTimeout(poll, 1000);
})();
