// The dashboard page: a run list, a page per run and a comparison of two runs, drawn from the
// server's JSON endpoints and kept live by its event stream. Plots are the server's SVGs (the
// same drawings a run leaves in its folder), so the page carries no charting code of its own.
"use strict";

const view = document.getElementById("view");
const connection = document.getElementById("connection");
let leave = () => {};

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.substring(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

async function getJson(path) {
  const response = await fetch(path, { cache: "no-store" });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function human(n) {
  if (n === undefined || n === null || !isFinite(n)) return "";
  const a = Math.abs(n);
  if (a >= 1e9) return (n / 1e9).toFixed(2) + "G";
  if (a >= 1e6) return (n / 1e6).toFixed(2) + "M";
  if (a >= 1e3) return (n / 1e3).toFixed(1) + "k";
  return String(n);
}

function seconds(s) {
  if (s === undefined || s === null || !isFinite(s)) return "";
  s = Math.round(s);
  if (s >= 3600) return Math.floor(s / 3600) + "h" + String(Math.floor((s % 3600) / 60)).padStart(2, "0") + "m";
  if (s >= 60) return Math.floor(s / 60) + "m" + String(s % 60).padStart(2, "0") + "s";
  return s + "s";
}

function number(v) {
  if (typeof v !== "number" || !isFinite(v)) return v === undefined ? "" : String(v);
  return Math.abs(v) >= 1000 ? human(v) : v.toFixed(4).replace(/\.?0+$/, "");
}

function badge(status) {
  return el("span", { class: "status " + status }, status);
}

function activityLine(a) {
  const eta = a.eta_seconds !== undefined ? ", ETA " + seconds(a.eta_seconds) : "";
  const share = a.total > 0 ? Math.min(1, a.done / a.total) : 0;
  return el("div", { class: "activity" },
    el("b", {}, a.activity), " ", a.done + "/" + a.total + " " + a.unit + (a.total === 1 ? "" : "s"),
    " (" + seconds(a.elapsed_seconds) + eta + ") ", el("span", { class: "muted" }, a.status || ""),
    el("div", { class: "bar" }, el("div", { style: "width:" + (100 * share).toFixed(1) + "%" })));
}

// The run list, refreshed every two seconds.
function runList() {
  const body = el("tbody");
  view.replaceChildren(el("h1", {}, "Runs"), el("table", { id: "runs" },
    el("thead", {}, el("tr", {}, ["run", "status", "space", "strategy", "evaluator", "data", "trials", "phase", "work under way", "best"]
      .map(h => el("th", {}, h)))), body));
  let timer = null;
  async function refresh() {
    try {
      const runs = await getJson("/api/runs");
      connection.textContent = "updated " + new Date().toLocaleTimeString();
      body.replaceChildren(...runs.map(run => el("tr", {},
        el("td", {}, el("a", { href: "#/run/" + encodeURIComponent(run.name) }, run.name)),
        el("td", {}, badge(run.status)), el("td", {}, run.space || ""), el("td", {}, run.strategy || ""),
        el("td", {}, run.evaluator || ""), el("td", {}, run.data || ""), el("td", { class: "num" }, run.trials),
        el("td", {}, run.phase || ""),
        el("td", {}, run.status === "running" ? (run.activities || []).map(a => a.activity + " " + a.done + "/" + a.total
          + (a.eta_seconds !== undefined ? " (ETA " + seconds(a.eta_seconds) + ")" : "")).join("; ") : ""),
        el("td", {}, run.best && run.best.metrics && run.objective in run.best.metrics
          ? run.objective + " " + number(run.best.metrics[run.objective]) : ""))));
      if (runs.length === 0) body.replaceChildren(el("tr", {}, el("td", { colspan: 10 }, "no run folders here yet")));
    } catch (e) {
      connection.textContent = "server unreachable: " + e.message;
    }
    timer = setTimeout(refresh, 2000);
  }
  refresh();
  return () => clearTimeout(timer);
}

// One run, live: status, plots, trials, notes, settings, downloads.
function runPage(name) {
  const state = { detail: null, trials: [], seen: new Set(), sort: { key: "number", dir: 1 }, filter: { status: "", phase: "", text: "" } };
  const facts = el("div", { class: "facts", id: "facts" });
  const activities = el("div", { class: "activities", id: "activities" });
  const plots = el("div", { class: "plots", id: "plots" });
  const head = el("thead");
  const rows = el("tbody");
  const shown = el("span", { class: "muted", id: "shown" });
  const statusFilter = el("select", { id: "filter-status", onchange: e => { state.filter.status = e.target.value; table(); } },
    ["", "ok", "failed", "rejected"].map(s => el("option", { value: s }, s || "every status")));
  const phaseFilter = el("select", { id: "filter-phase", onchange: e => { state.filter.phase = e.target.value; table(); } });
  const textFilter = el("input", { id: "filter-text", placeholder: "architecture contains…", oninput: e => { state.filter.text = e.target.value; table(); } });
  const notes = el("ul", { class: "notes" });
  const settings = el("pre", { id: "settings" });
  const downloads = el("p", { id: "downloads" });
  view.replaceChildren(el("h1", {}, name, " ", el("span", { id: "status" })), facts, activities,
    el("h2", {}, "Plots"), plots,
    el("h2", {}, "Trials"), el("div", { class: "filters" }, statusFilter, phaseFilter, textFilter, shown),
    el("table", { id: "trials" }, head, rows),
    el("h2", {}, "Notes"), notes,
    el("h2", {}, "Settings"), el("details", {}, el("summary", {}, "the resolved job (job.conf)"), settings),
    el("h2", {}, "Downloads"), downloads);

  const primary = () => {
    const objectives = state.detail && state.detail.settings && state.detail.settings.objectives;
    return objectives && objectives.length ? objectives[0] : { metric: "accuracy", goal: "max" };
  };
  const better = (a, b) => primary().goal === "min" ? a < b : a > b;

  function best() {
    let found = null;
    const metric = primary().metric;
    for (const t of state.trials) {
      const v = t.metrics && t.metrics[metric];
      if (t.status === "ok" && typeof v === "number" && isFinite(v) && (found === null || better(v, found.metrics[metric]))) found = t;
    }
    return found;
  }

  function renderFacts() {
    const d = state.detail;
    if (!d) return;
    const s = d.settings || {};
    const type = k => (s[k] && s[k].type) || "";
    const progress = d.progress || {};
    // A run stopped by a signal leaves no end: its last update is when it stopped.
    const end = progress.ended ? Date.parse(progress.ended) : d.status === "running" ? Date.now() : Date.parse(progress.updated);
    const elapsed = progress.started ? (end - Date.parse(progress.started)) / 1000 : undefined;
    const budget = s.budget && s.budget.trials ? s.budget.trials : "no limit";
    const evaluated = state.trials.filter(t => t.status !== "rejected").length;
    const b = best();
    const metric = primary().metric;
    const last = state.trials.length ? state.trials[state.trials.length - 1] : null;
    const fact = (label, value, id) => el("div", id ? { id: id } : {}, el("span", {}, label), value === "" ? "–" : value);
    document.getElementById("status").replaceChildren(badge(d.status));
    facts.replaceChildren(
      fact("job", s.name || name), fact("space", type("space")), fact("strategy", type("strategy")),
      fact("evaluator", type("evaluator")), fact("data", type("data")),
      fact("device", (s.compute && s.compute.device) || "", "device"),
      fact("execution", type("execution") || "in-process"),
      fact(d.status === "running" ? "elapsed (this session)" : "session took", seconds(elapsed), "elapsed"),
      fact("trials evaluated / budget", evaluated + " / " + budget, "count"),
      fact("best so far (" + metric + ")", b ? number(b.metrics[metric]) + " (trial " + b.number + (b.phase ? ", " + b.phase : "") + ")" : "", "best"),
      fact("phase", last && last.phase ? last.phase : (last ? "main" : ""), "phase"));
    activities.replaceChildren(...(d.status === "running" ? (progress.activities || []).map(activityLine) : []));
    notes.replaceChildren(...(progress.notes || []).slice().reverse().map(n => el("li", {}, new Date(n.time).toLocaleTimeString() + "  " + n.message)));
  }

  function columns() {
    const metrics = new Set();
    for (const t of state.trials) for (const k of Object.keys(t.metrics || {})) if (k !== "params" && k !== "flops") metrics.add(k);
    const cols = [
      { key: "number", label: "#", value: t => t.number, num: true },
      { key: "phase", label: "phase", value: t => t.phase || "" },
      { key: "status", label: "status", value: t => t.status },
      { key: "canonical", label: "architecture", value: t => t.canonical || "" },
      { key: "params", label: "params", value: t => t.params, num: true, text: human },
      { key: "flops", label: "FLOPs", value: t => t.flops, num: true, text: human }];
    for (const m of metrics) cols.push({ key: "m:" + m, label: m, value: t => t.metrics ? t.metrics[m] : undefined, num: true, text: number });
    cols.push({ key: "cost", label: "cost (s)", value: t => t.cost_seconds, num: true, text: v => v === undefined ? "" : v.toFixed(2) });
    return cols;
  }

  function table() {
    const cols = columns();
    const sortCol = cols.find(c => c.key === state.sort.key) || cols[0];
    head.replaceChildren(el("tr", {}, cols.map(c => el("th", {
      class: c.key === sortCol.key ? (state.sort.dir > 0 ? "sorted-asc" : "sorted-desc") : "",
      "data-key": c.key,
      onclick: () => { state.sort = { key: c.key, dir: state.sort.key === c.key ? -state.sort.dir : (c.num ? -1 : 1) }; table(); }
    }, c.label))));
    const f = state.filter;
    const matching = state.trials.filter(t => (!f.status || t.status === f.status) && (!f.phase || (t.phase || "main") === f.phase)
      && (!f.text || (t.canonical || "").includes(f.text)));
    const key = sortCol.value;
    matching.sort((a, b) => {
      const x = key(a), y = key(b);
      if (x === y) return a.number - b.number;
      if (x === undefined || x === null) return 1;
      if (y === undefined || y === null) return -1;
      return (x < y ? -1 : 1) * state.sort.dir;
    });
    const limit = 500;
    rows.replaceChildren(...matching.slice(0, limit).map(t => el("tr", { "data-number": t.number }, cols.map(c => {
      const v = c.value(t);
      if (c.key === "status") return el("td", {}, badge(v));
      if (c.key === "canonical") return el("td", { class: "arch", title: t.message || "" }, v);
      return el("td", { class: c.num ? "num" : "" }, c.text ? c.text(v) : (v === undefined ? "" : v));
    }))));
    shown.textContent = matching.length > limit ? "showing " + limit + " of " + matching.length + " matching trials"
      : matching.length + " of " + state.trials.length + " trials";
    const phases = [...new Set(state.trials.map(t => t.phase || "main"))];
    if (phaseFilter.options.length !== phases.length + 1) {
      phaseFilter.replaceChildren(el("option", { value: "" }, "every phase"), ...phases.map(p => el("option", { value: p }, p)));
      phaseFilter.value = f.phase;
    }
  }

  async function refreshPlots() {
    const names = state.detail ? state.detail.plots : [];
    for (const plot of names) {
      let box = plots.querySelector('[data-plot="' + plot + '"]');
      if (!box) {
        box = el("div", { class: "plot", "data-plot": plot });
        plots.append(box);
      }
      const response = await fetch("/api/runs/" + encodeURIComponent(name) + "/plots/" + plot + ".svg", { cache: "no-store" });
      if (response.ok) box.innerHTML = await response.text();
    }
  }

  async function refreshDetail() {
    state.detail = await getJson("/api/runs/" + encodeURIComponent(name));
    settings.textContent = JSON.stringify(state.detail.settings, null, 2);
    downloads.replaceChildren(...state.detail.downloads.map(href => el("a", { href: href, style: "margin-right:16px" }, href.split("/").pop())));
    if (state.detail.downloads.length === 0) downloads.textContent = "nothing yet: result.json and the weights come when the run ends";
    renderFacts();
    await refreshPlots();
  }

  // Many events in a burst (a resumed journal, a fast search) draw once; events during a drawing
  // draw again after it. A run whose plots take long to draw (tens of thousands of trials) is
  // redrawn less often: the page waits twice as long as the last drawing took.
  let pending = null;
  let again = false;
  let lastDrawing = 0;
  function soon() {
    if (pending) {
      again = true;
      return;
    }
    pending = setTimeout(async () => {
      again = false;
      const started = performance.now();
      try {
        table();
        await refreshDetail();
      } catch (e) {
        connection.textContent = "server unreachable: " + e.message;
      } finally {
        lastDrawing = performance.now() - started;
        pending = null;
        if (again) soon();
      }
    }, Math.max(500, 2 * lastDrawing));
  }

  const events = new EventSource("/api/runs/" + encodeURIComponent(name) + "/events");
  events.onopen = () => { connection.textContent = "live"; };
  events.onerror = () => { connection.textContent = "reconnecting…"; };
  events.addEventListener("trial", e => {
    // A reconnected stream starts from the first line again.
    if (state.seen.has(e.lastEventId)) return;
    state.seen.add(e.lastEventId);
    state.trials.push(JSON.parse(e.data));
    soon();
  });
  for (const kind of ["epoch", "progress", "status"]) events.addEventListener(kind, soon);
  refreshDetail().then(table).catch(e => view.replaceChildren(el("p", { class: "error" }, "cannot show " + name + ": " + e.message)));
  return () => { events.close(); clearTimeout(pending); };
}

// Two runs' rankings of the architectures both evaluated.
function comparePage(query) {
  const params = new URLSearchParams(query);
  const pick = id => el("select", { id: id });
  const a = pick("compare-a"), b = pick("compare-b");
  const metric = el("input", { id: "compare-metric", value: params.get("metric") || "accuracy" });
  const metricB = el("input", { id: "compare-metric-b", placeholder: "same", value: params.get("metric-b") || "" });
  const result = el("div", { id: "comparison" });
  const go = () => {
    const q = new URLSearchParams({ a: a.value, b: b.value, metric: metric.value });
    if (metricB.value) q.set("metric-b", metricB.value);
    location.hash = "#/compare?" + q;
  };
  view.replaceChildren(el("h1", {}, "Compare two runs"),
    el("p", { class: "muted" }, "Rank correlation over the architectures both runs evaluated (creamery compare): one-shot scores against the same members trained alone, or a training-free measure against accuracy."),
    el("div", { class: "filters" }, "run A", a, "metric", metric, "run B", b, "metric of B", metricB, el("button", { onclick: go }, "compare")),
    result);
  getJson("/api/runs").then(async runs => {
    for (const select of [a, b]) select.replaceChildren(...runs.map(r => el("option", { value: r.name }, r.name)));
    if (params.get("a")) a.value = params.get("a");
    if (params.get("b")) b.value = params.get("b");
    if (!params.get("a") || !params.get("b")) return;
    const q = new URLSearchParams(query);
    const response = await fetch("/api/compare.svg?" + q, { cache: "no-store" });
    if (!response.ok) {
      result.replaceChildren(el("p", { class: "error" }, (await response.json()).error));
      return;
    }
    const box = el("div", { class: "plot", style: "max-width:760px" });
    box.innerHTML = await response.text();
    const stats = await getJson("/api/compare?" + q);
    result.replaceChildren(box, el("p", {}, stats.n + " architectures in common: Kendall tau " + stats.kendall_tau.toFixed(3)
      + " (p " + stats.p_value.toPrecision(3) + "), Spearman rho " + stats.spearman_rho.toFixed(3)));
  }).catch(e => result.replaceChildren(el("p", { class: "error" }, e.message)));
  return () => {};
}

function route() {
  leave();
  const hash = location.hash || "#/";
  if (hash.startsWith("#/run/")) leave = runPage(decodeURIComponent(hash.substring("#/run/".length)));
  else if (hash.startsWith("#/compare")) leave = comparePage(hash.includes("?") ? hash.substring(hash.indexOf("?") + 1) : "");
  else leave = runList();
}

window.addEventListener("hashchange", route);
route();
