// The taskq dashboard: polls the REST API every second and redraws. Plain JavaScript, no build step.
// Every value from the API is inserted as text (never as HTML): payloads and errors are user data.
// Two views, chosen by the address: the overview (`#/`) and one job's page (`#/job/<queue>/<id>`).
// Lists are read a page at a time with the API's cursors (never whole), so a queue of a million dead
// jobs pages like one of ten.
"use strict";

const STATES = ["waiting", "blocked", "delayed", "active", "completed", "dead"];
const PAGE = 25;
/** A list's paging: the cursor of each page seen so far (the first is none), the page shown, the next page's cursor. */
const pager = () => ({ cursors: [null], index: 0, next: null });
const view = {
  state: "waiting",
  queue: "",
  jobsName: "",
  dlqName: "",
  jobs: pager(),
  dlq: pager(),
  confirm: null,
  confirmPurge: null,
  bulk: null,
  history: new Map(),
  stats: [],
  polls: 0,
};
const token = readToken();

function readToken() {
  const match = /token=([^&]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem("taskq-token", decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname);
  }
  return sessionStorage.getItem("taskq-token") || "";
}

async function api(method, path, body) {
  // Writes say they are JSON: the server refuses any other write, so a page elsewhere cannot post one.
  const headers = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(method === "GET" ? {} : { "content-type": "application/json" }) };
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = (response.headers.get("content-type") || "").includes("json") ? await response.json() : await response.text();
  if (response.status === 401) document.getElementById("token-form").hidden = false;
  if (!response.ok) throw Object.assign(new Error(answer.error || response.statusText), { status: response.status });
  return answer;
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

/** Builds an SVG element (attributes only; text through textContent). */
function s(tag, attrs = {}, text) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, value);
  if (text !== undefined) el.textContent = String(text);
  return el;
}

function ago(iso) {
  if (!iso) return "-";
  const sec = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
  return sec < 120 ? `${sec}s ago` : sec < 7200 ? `${Math.round(sec / 60)}m ago` : `${Math.round(sec / 3600)}h ago`;
}

function fill(tableId, rows, empty, columns) {
  const body = document.querySelector(`#${tableId} tbody`);
  body.replaceChildren(...(rows.length ? rows : [h("tr", { class: "empty" }, h("td", { colspan: columns }, empty))]));
}

const pill = (state) => h("span", { class: `pill ${state}` }, state);
const jobHref = (queue, id) => `#/job/${encodeURIComponent(queue)}/${encodeURIComponent(id)}`;
const openJob = (queue, id) => {
  location.hash = jobHref(queue, id);
};
const query = (params) =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null && v !== "")
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join("&");

/** The job a `#/job/<queue>/<id>` address names, else null (the overview). */
function route() {
  const match = /^#\/job\/([^/]+)\/(.+)$/.exec(location.hash);
  return match ? { queue: decodeURIComponent(match[1]), id: decodeURIComponent(match[2]) } : null;
}

// A queue is known by prefix and name: shown and sent to the API as prefix:name outside the default prefix.
const label = (x) => (x.prefix && x.prefix !== "taskq" ? `${x.prefix}:${x.queue}` : x.queue);

// ---- overview: queues, workers -------------------------------------------------------------------

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
  const width = 160,
    height = 28,
    max = Math.max(1, ...points.map((p) => p.rate));
  const coords = points.map((p, i) => `${(i / Math.max(1, points.length - 1)) * width},${height - 2 - (p.rate / max) * (height - 4)}`).join(" ");
  const svg = s("svg", { class: "spark", width, height });
  svg.append(s("polyline", { points: coords, fill: "none", stroke: "#2b6cb0", "stroke-width": "1.5" }));
  const rate = points.length ? points[points.length - 1].rate : 0;
  return h("div", { class: "spark-cell" }, svg, h("span", { class: "num" }, rate.toFixed(1)));
}

function selectQueue(queue) {
  view.queue = queue;
  view.jobs = pager();
  view.dlq = pager();
  view.confirm = null;
  void refresh();
}

function renderQueues(queues) {
  fill(
    "queues",
    queues.map((q) =>
      h(
        "tr",
        {
          class: `clickable${view.queue === label(q) ? " selected" : ""}`,
          "data-queue": label(q),
          onclick: () => selectQueue(view.queue === label(q) ? "" : label(q)),
        },
        h("td", {}, h("strong", {}, q.queue), q.prefix === "taskq" ? "" : ` (${q.prefix})`),
        ...["waiting", "delayed", "active", "completed"].map((k) => h("td", { class: "num" }, q[k])),
        h("td", { class: `num ${q.dead ? "dead-count" : ""}` }, q.dead),
        h("td", {}, `${q.workers.live} live`, q.workers.dead ? h("span", { class: "dead-count" }, `, ${q.workers.dead} dead`) : ""),
        h("td", { class: "num" }, `${Math.round(q.busyRatio * 100)}%`),
        h("td", {}, sparkline(throughput(q))),
      ),
    ),
    "no queues yet",
    9,
  );
}

function renderWorkers(workers) {
  fill(
    "workers",
    workers.map((w) =>
      h(
        "tr",
        {},
        h("td", {}, h("code", {}, w.id)),
        h("td", {}, pill(w.state)),
        h("td", {}, w.queues.map((q) => `${q} ×${w.concurrency[q] || 0}`).join(", ")),
        h("td", {}, ago(w.lastHeartbeat)),
        h(
          "td",
          {},
          Object.entries(w.jobs).flatMap(([q, ids]) => ids.map((id) => h("a", { class: "job-link", href: jobHref(q, id) }, `${q}/${id}`))),
        ),
      ),
    ),
    "no workers",
    5,
  );
}

// ---- charts --------------------------------------------------------------------------------------

/** A rounded-up axis maximum: 1, 2 or 5 times a power of ten. */
function niceMax(value) {
  if (value <= 4) return 4;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * power).find((m) => m >= value);
}

/**
 * Draws per-minute series into an SVG 150 high: gridlines with their values, one bar per non-zero
 * minute and series (side by side within the minute; its time and value in a tooltip), and minutes
 * ago along the bottom.
 */
function drawChart(svg, from, bucketMs, series) {
  // Drawn at the size shown (text is never stretched): the viewBox follows the element's width.
  const W = Math.max(200, Math.round(svg.getBoundingClientRect().width) || 600),
    H = 150,
    left = 34,
    right = 8,
    top = 8,
    bottom = 20;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const n = series[0].values.length;
  const max = niceMax(Math.max(0, ...series.flatMap((x) => x.values)));
  const slot = (W - left - right) / Math.max(1, n);
  const bar = Math.max(1, (slot * 0.8) / series.length);
  const y = (v) => top + (1 - v / max) * (H - top - bottom);
  const children = [];
  for (const v of [0, max / 2, max]) {
    children.push(s("line", { x1: left, x2: W - right, y1: y(v), y2: y(v), class: "grid" }));
    children.push(s("text", { x: left - 4, y: y(v) + 4, "text-anchor": "end", class: "axis" }, Number.isInteger(v) ? v : v.toFixed(1)));
  }
  for (let ago = 0; ago < n; ago += 15) {
    const i = n - 1 - ago;
    children.push(
      s("text", { x: left + (i + 0.5) * slot, y: H - 5, "text-anchor": ago === 0 ? "end" : "middle", class: "axis" }, ago === 0 ? "now" : `-${ago} min`),
    );
  }
  series.forEach(({ label, color, values }, k) => {
    values.forEach((v, i) => {
      if (v === 0) return;
      const rect = s("rect", {
        x: left + i * slot + slot * 0.1 + k * bar,
        y: y(v),
        width: bar,
        height: Math.max(1, y(0) - y(v)),
        fill: color,
        class: "point",
        "data-series": label,
        "data-value": v,
      });
      rect.append(
        s("title", {}, `${new Date(new Date(from).getTime() + i * bucketMs).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}: ${v} ${label}`),
      );
      children.push(rect);
    });
  });
  svg.replaceChildren(...children);
  svg.setAttribute("data-total", String(series.reduce((sum, x) => sum + x.values.reduce((a, b) => a + b, 0), 0)));
}

function renderCharts(history) {
  const shown = history.queues.filter((q) => !view.queue || label(q) === view.queue);
  const n = shown[0] ? shown[0].completed.length : 60;
  const add = (key) => Array.from({ length: n }, (_, i) => shown.reduce((sum, q) => sum + q[key][i], 0));
  const completed = add("completed"),
    failed = add("failed"),
    dead = add("dead");
  const total = (values) => values.reduce((a, b) => a + b, 0);
  drawChart(document.getElementById("chart-throughput"), history.from, history.bucketMs, [{ label: "completed", color: "#1f8a4c", values: completed }]);
  drawChart(document.getElementById("chart-failures"), history.from, history.bucketMs, [
    { label: "failed attempts", color: "#b7791f", values: failed },
    { label: "dead", color: "#c53030", values: dead },
  ]);
  document.getElementById("throughput-total").textContent = `· ${total(completed)} in the hour, ${(total(completed) / n).toFixed(1)}/min`;
  document.getElementById("failures-total").textContent = `· ${total(failed)} failed, ${total(dead)} dead`;
  document.getElementById("charts-queue").textContent = view.queue ? `of ${view.queue}` : "of every queue";
}

// ---- jobs and dead jobs, a page at a time --------------------------------------------------------

function renderPager(id, paging, count, onMove) {
  const go = (delta) => () => {
    if (delta > 0) {
      paging.cursors[paging.index + 1] = paging.next;
      paging.index++;
    } else paging.index--;
    onMove();
  };
  document
    .getElementById(id)
    .replaceChildren(
      h("button", { type: "button", class: "prev", ...(paging.index === 0 ? { disabled: "" } : {}), onclick: go(-1) }, "‹ Previous"),
      h("span", { class: "page" }, `page ${paging.index + 1}${count ? ` · ${count} shown` : ""}`),
      h("button", { type: "button", class: "next", ...(paging.next ? {} : { disabled: "" }), onclick: go(1) }, "Next ›"),
    );
}

function renderStates() {
  document.getElementById("states").replaceChildren(
    ...STATES.map((st) =>
      h(
        "button",
        {
          type: "button",
          class: st === view.state ? "selected" : "",
          "data-state": st,
          onclick: () => {
            view.state = st;
            view.jobs = pager();
            void refresh();
          },
        },
        st,
      ),
    ),
  );
  document.getElementById("jobs-queue").textContent = `${view.queue ? `of ${view.queue}` : "of every queue"}${view.jobsName ? `, named ${view.jobsName}` : ""}`;
}

function renderJobs(page) {
  renderStates();
  view.jobs.next = page.nextCursor;
  fill(
    "jobs",
    page.jobs.map((j) =>
      h(
        "tr",
        { class: "clickable", "data-id": j.id, onclick: () => openJob(label(j), j.id) },
        h("td", {}, h("a", { class: "job-link", href: jobHref(label(j), j.id) }, j.id)),
        h("td", {}, label(j)),
        h("td", {}, j.name),
        h("td", {}, pill(j.state)),
        h("td", {}, j.priority),
        h("td", { class: "num" }, `${j.attempts}/${j.maxAttempts}`),
        h("td", {}, ago(j.createdAt)),
      ),
    ),
    page.nextCursor
      ? "nothing on this page (a name filter looks at 5,000 jobs per page): try the next one"
      : `no ${view.state} jobs${view.jobsName ? ` named ${view.jobsName}` : ""}`,
    7,
  );
  renderPager("jobs-pager", view.jobs, page.jobs.length, () => void refresh());
}

async function act(method, path) {
  try {
    await api(method, path);
  } catch (error) {
    setStatus(error.message, true);
  }
  await refresh();
}

/**
 * A dead job's two-step Purge: the first click asks (the button turns to "Confirm purge" and `redraw`
 * shows it), the second deletes it at `/dlq/<at>`.
 */
function purgeButton(job, at, redraw) {
  const key = `${label(job)}/${job.id}`;
  const purging = view.confirmPurge === key;
  const onclick = () => {
    if (purging) {
      view.confirmPurge = null;
      void act("DELETE", `/dlq/${at}`);
    } else {
      view.confirmPurge = key;
      redraw();
    }
  };
  return h("button", { type: "button", class: "danger purge", onclick }, purging ? "Confirm purge" : "Purge");
}

function renderDlq(page) {
  view.dlq.next = page.nextCursor;
  document.getElementById("dlq-queue").textContent = `${view.queue ? `of ${view.queue}` : "of every queue"}${view.dlqName ? `, named ${view.dlqName}` : ""}`;
  fill(
    "dlq",
    page.jobs.map((j) => {
      const at = `${encodeURIComponent(j.id)}?queue=${encodeURIComponent(label(j))}`;
      return h(
        "tr",
        { "data-id": j.id },
        h("td", {}, h("a", { class: "job-link", href: jobHref(label(j), j.id) }, j.id)),
        h("td", {}, label(j)),
        h("td", {}, j.name),
        h("td", { class: "num" }, j.attempts),
        h("td", {}, ago(j.diedAt)),
        h("td", { class: "error" }, j.errors.length ? j.errors[j.errors.length - 1].message : "-"),
        h(
          "td",
          { class: "actions" },
          h("button", { type: "button", class: "retry", onclick: () => act("POST", `/dlq/${at.replace("?", "/retry?")}`) }, "Retry"),
          " ",
          purgeButton(j, at, () => renderDlq(page)),
        ),
      );
    }),
    page.nextCursor ? "nothing on this page (a name filter looks at 10,000 jobs per page): try the next one" : "the dead-letter queue is empty",
    7,
  );
  renderPager("dlq-pager", view.dlq, page.jobs.length, () => void refresh());
}

// ---- bulk retry and purge of the dead jobs the filter matches ------------------------------------

/** What the filter takes, in words, with the count when the stats know it (no name filter). */
function describeDeadSet() {
  const queues = view.stats.filter((q) => !view.queue || label(q) === view.queue);
  const where = view.queue ? `queue ${view.queue}` : "every queue";
  if (view.dlqName) return `every dead job named ${view.dlqName} in ${where}`;
  const count = queues.reduce((sum, q) => sum + q.dead, 0);
  return `all ${count.toLocaleString("en")} dead job${count === 1 ? "" : "s"} in ${where}`;
}

function renderConfirm() {
  const box = document.getElementById("dlq-confirm");
  if (view.bulk) {
    box.hidden = false;
    box.replaceChildren(h("span", {}, `${view.bulk.action === "retry" ? "Retrying" : "Purging"}… ${view.bulk.done} done`));
    return;
  }
  if (!view.confirm) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  const { action, text, filter } = view.confirm;
  box.hidden = false;
  box.replaceChildren(
    h("span", {}, `${action === "retry" ? "Retry" : "Purge for good"} ${text}?`),
    h(
      "button",
      { type: "button", class: action === "purge" ? "danger confirm-yes" : "confirm-yes", onclick: () => void runBulk(action, filter) },
      action === "retry" ? "Yes, retry them" : "Yes, purge them",
    ),
    h(
      "button",
      {
        type: "button",
        class: "confirm-no",
        onclick: () => {
          view.confirm = null;
          renderConfirm();
        },
      },
      "Cancel",
    ),
  );
}

function askBulk(action) {
  // The filter is fixed when asked: what is confirmed is what runs, whatever is typed meanwhile.
  view.confirm = { action, text: describeDeadSet(), filter: { ...(view.queue ? { queue: view.queue } : {}), ...(view.dlqName ? { name: view.dlqName } : {}) } };
  renderConfirm();
}

/** Runs the bulk action in calls of at most 1,000 jobs (the API's bound) until none is left. */
async function runBulk(action, filter) {
  view.confirm = null;
  view.bulk = { action, done: 0 };
  renderConfirm();
  try {
    for (let more = true; more;) {
      const answer = await api("POST", `/dlq/${action}`, { ...filter, limit: 1000 });
      view.bulk.done += answer.count;
      more = answer.more && answer.count > 0;
      renderConfirm();
    }
    setStatus(`${action === "retry" ? "retried" : "purged"} ${view.bulk.done} dead job${view.bulk.done === 1 ? "" : "s"}`);
  } catch (error) {
    setStatus(`${action} stopped after ${view.bulk.done}: ${error.message}`, true);
  }
  view.bulk = null;
  view.dlq = pager();
  renderConfirm();
  await refresh(false);
}

// ---- schedules -----------------------------------------------------------------------------------

function describeSchedule(sc) {
  return sc.cron
    ? `cron ${sc.cron}${sc.tz ? ` (${sc.tz})` : ""}`
    : sc.everyMs
      ? `every ${sc.everyMs / 1000} s${sc.limit ? `, ${sc.limit} times` : ""}`
      : `once`;
}

function renderSchedules(schedules) {
  fill(
    "schedules",
    schedules.map((sc) =>
      h(
        "tr",
        { "data-id": sc.id },
        h("td", {}, h("code", {}, sc.id)),
        h("td", {}, label(sc)),
        h("td", {}, sc.name),
        h("td", {}, describeSchedule(sc.schedule)),
        h("td", {}, sc.nextAt ? new Date(sc.nextAt).toLocaleString() : "done"),
        h("td", { class: "num" }, sc.fired),
        h(
          "td",
          {},
          h(
            "button",
            {
              type: "button",
              class: "danger",
              onclick: () =>
                act("DELETE", `/schedules/${encodeURIComponent(sc.id)}?queue=${encodeURIComponent(label(sc))}&prefix=${encodeURIComponent(sc.prefix)}`),
            },
            "Remove",
          ),
        ),
      ),
    ),
    "no schedules",
    7,
  );
}

// ---- one job's page ------------------------------------------------------------------------------

function renderProgress(progress) {
  const value = typeof progress === "number" ? progress : progress && typeof progress.percent === "number" ? progress.percent : undefined;
  const bar = value !== undefined && value >= 0 && value <= 100 ? h("progress", { max: 100, value }, `${value}%`) : "";
  return h(
    "div",
    { class: "progress" },
    bar,
    bar ? h("span", { class: "num" }, `${value}%`) : "",
    typeof progress === "number" ? "" : h("pre", {}, JSON.stringify(progress, null, 2)),
  );
}

function renderJobPage(at, job) {
  document.getElementById("job-title").textContent = `${at.queue}/${at.id}`;
  const box = document.getElementById("job");
  const actions = document.getElementById("job-actions");
  if (!job) {
    actions.replaceChildren();
    return box.replaceChildren(h("p", {}, "This job no longer exists (purged, or its record expired)."));
  }
  const here = `${encodeURIComponent(job.id)}?queue=${encodeURIComponent(label(job))}`;
  actions.replaceChildren(
    ...(job.state === "dead" || job.state === "delayed"
      ? [
          h(
            "button",
            { type: "button", class: "retry", onclick: () => act("POST", `/jobs/${here.replace("?", "/retry?")}`) },
            job.state === "dead" ? "Retry" : "Run now",
          ),
        ]
      : []),
    ...(["waiting", "delayed", "blocked"].includes(job.state)
      ? [h("button", { type: "button", class: "danger cancel", onclick: () => act("DELETE", `/jobs/${here}`) }, "Cancel")]
      : []),
    ...(job.state === "dead" ? [purgeButton(job, here, () => renderJobPage(at, job))] : []),
  );
  const row = (k, v) => (v === undefined || v === null ? [] : [h("dt", {}, k), h("dd", {}, v)]);
  const json = (v) => h("pre", {}, JSON.stringify(v, null, 2));
  const when = (iso) => (iso ? `${new Date(iso).toLocaleString()} (${ago(iso)})` : undefined);
  box.replaceChildren(
    h(
      "dl",
      {},
      row("queue", label(job)),
      row("name", job.name),
      row("state", pill(job.state)),
      row("priority", job.priority),
      row("attempts", `${job.attempts} of ${job.maxAttempts}`),
      row("created", when(job.createdAt)),
      row("started", when(job.startedAt)),
      row("finished", when(job.finishedAt)),
      row("due", when(job.dueAt)),
      row("worker", job.workerId),
      row("timeout", job.timeoutMs === undefined ? undefined : `${job.timeoutMs} ms`),
      row("schema version", job.version),
    ),
    h("h3", {}, "Progress"),
    job.progress === undefined ? h("p", { class: "muted" }, "none reported") : renderProgress(job.progress),
    h(
      "div",
      { class: "columns" },
      h("div", {}, h("h3", {}, "Payload"), json(job.payload)),
      h(
        "div",
        {},
        h("h3", {}, "Result"),
        job.result === undefined ? h("p", { class: "muted" }, job.state === "completed" ? "no result" : "not completed") : json(job.result),
      ),
    ),
    h("h3", {}, `Attempts that failed (${job.errors.length})`),
    job.errors.length
      ? h(
          "ol",
          { class: "attempts" },
          job.errors.map((e) =>
            h(
              "li",
              { class: "attempt", "data-attempt": e.attempt },
              h(
                "div",
                {},
                h("strong", {}, `attempt ${e.attempt}`),
                ` · ${e.at ? new Date(e.at).toLocaleString() : "-"} · `,
                h("span", { class: "error" }, `${e.name}: ${e.message}`),
              ),
              e.stack ? h("details", {}, h("summary", {}, "stack"), h("pre", { class: "stack" }, e.stack)) : "",
            ),
          ),
        )
      : h("p", { class: "muted" }, "none"),
    h("h3", {}, `Logs (${job.logs.length})`),
    job.logs.length ? h("pre", { class: "logs" }, job.logs.join("\n")) : h("p", { class: "muted" }, "none"),
  );
}

// ---- polling -------------------------------------------------------------------------------------

function setStatus(text, bad = false) {
  const el = document.getElementById("status");
  el.textContent = text;
  el.className = bad ? "status bad" : "status";
}

async function refreshJob(at) {
  const job = await api("GET", `/jobs/${encodeURIComponent(at.id)}?queue=${encodeURIComponent(at.queue)}`).catch((e) => {
    if (e.status === 404) return null;
    throw e;
  });
  renderJobPage(at, job);
}

async function refreshOverview() {
  const jobsPath = `/jobs?${query({ state: view.state, limit: PAGE, queue: view.queue, name: view.jobsName, cursor: view.jobs.cursors[view.jobs.index] })}`;
  const dlqPath = `/dlq?${query({ limit: PAGE, queue: view.queue, name: view.dlqName, cursor: view.dlq.cursors[view.dlq.index] })}`;
  // The hour's counts change once a minute at most: read every fifth poll (and on any change of filter).
  const wantHistory = view.polls++ % 5 === 0 || view.historyQueue !== view.queue;
  const [stats, workers, jobs, dlq, schedules, history] = await Promise.all([
    api("GET", "/stats"),
    api("GET", "/workers"),
    api("GET", jobsPath),
    api("GET", dlqPath),
    api("GET", "/schedules"),
    wantHistory ? api("GET", "/stats/history") : Promise.resolve(null),
  ]);
  view.stats = stats.queues;
  renderQueues(stats.queues);
  renderWorkers(workers.workers);
  renderJobs(jobs);
  renderDlq(dlq);
  renderSchedules(schedules.schedules);
  if (history) {
    view.lastHistory = history;
    view.historyQueue = view.queue;
  }
  if (view.lastHistory) renderCharts(view.lastHistory);
}

let refreshing = null;
async function refresh() {
  // One refresh at a time: a click during a poll waits for it rather than racing it.
  if (refreshing) await refreshing;
  refreshing = (async () => {
    const at = route();
    document.getElementById("overview").hidden = Boolean(at);
    document.getElementById("job-view").hidden = !at;
    try {
      if (at) await refreshJob(at);
      else await refreshOverview();
      if (!view.bulk) setStatus(`live · updated ${new Date().toLocaleTimeString()}`);
    } catch (error) {
      setStatus(`cannot reach the API: ${error.message}`, true);
    }
  })();
  try {
    await refreshing;
  } finally {
    refreshing = null;
  }
}

// ---- controls ------------------------------------------------------------------------------------

document.getElementById("find-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const id = document.getElementById("find-id").value.trim();
  const result = document.getElementById("find-result");
  result.textContent = "";
  if (!id) return;
  try {
    const job = await api("GET", `/jobs/${encodeURIComponent(id)}`);
    openJob(label(job), job.id);
  } catch (error) {
    result.textContent = error.status === 404 ? `no job ${id}` : error.status === 400 ? "not a job id: 1 to 128 of A-Z a-z 0-9 . _ : -" : error.message;
  }
});
document.getElementById("jobs-filter").addEventListener("submit", (event) => {
  event.preventDefault();
  view.jobsName = document.getElementById("jobs-name").value.trim();
  view.jobs = pager();
  void refresh();
});
document.getElementById("dlq-filter").addEventListener("submit", (event) => {
  event.preventDefault();
  view.dlqName = document.getElementById("dlq-name").value.trim();
  view.dlq = pager();
  view.confirm = null;
  renderConfirm();
  void refresh();
});
document.getElementById("dlq-retry-all").addEventListener("click", () => askBulk("retry"));
document.getElementById("dlq-purge-all").addEventListener("click", () => askBulk("purge"));
document.getElementById("token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem("taskq-token", document.getElementById("token").value);
  location.reload();
});
window.addEventListener("hashchange", () => {
  view.confirmPurge = null;
  window.scrollTo(0, 0);
  void refresh();
});

(async function poll() {
  await refresh();
  setTimeout(poll, 1000);
})();
