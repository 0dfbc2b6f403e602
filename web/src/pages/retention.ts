import { ApiError, downloadCsv, get, query, type GetAnswer, type Schemas } from "../api";
import { chartFigure, MONTH_DAYS, PALETTE, tooltip, type Chart } from "../charts";
import { IN_MONTHS } from "../palette";
import { filtersToggle, fmtNumber, fmtPercent, h, label, num, replace } from "../dom";
import { remember, whenShown } from "../router";
import { session } from "../session";
import { vocabulary } from "../vocab";
import { downloadName } from "../export";
import { describeCurves, kmHeight, kmOption } from "./km-chart";
import { panelsHeight, reasonPanelsOption, reasonsOption } from "./reasons-chart";
import { describeQuery, FILTER_LABELS, groupName } from "./query-words";

// The three measures answer the same report; peer-work stands for them all.
type Survival = GetAnswer<"/api/retention/peer-work">;
type Group = Schemas["GroupCurve"];
type Reasons = GetAnswer<"/api/retention/reasons">;
type Cohorts = GetAnswer<"/api/retention/cohorts">;
type Model = GetAnswer<"/api/retention/peer-work/model">;
type Occupation = GetAnswer<"/api/trajectories/occupation">;
type Burnout = GetAnswer<"/api/retention/burnout">;
type LadderFlows = GetAnswer<"/api/retention/ladder">;

/**
 * The estimate at a mark (months), or null where fewer than the minimum cell size remain at risk or the mark is past
 * the follow-up. The service writes null there, though the document's dictionary values are not nullable.
 */
function atMark<T>(at: Record<string, T>, month: number): T | null {
  return at[String(month)] ?? null;
}

const MONTHS = [6, 12, 24, 36];
const MEASURES: Record<string, { title: string; endpoint: string; what: string }> = {
  "peer-work": { title: "Retention in peer work", endpoint: "/api/retention/peer-work", what: "share still in peer work" },
  "first-peer-job": { title: "Time to first peer job", endpoint: "/api/retention/first-peer-job", what: "share still without a peer job" },
  job: { title: "Retention in each job", endpoint: "/api/retention/job", what: "share still in the job" },
  "first-promotion": { title: "Time to a first promotion", endpoint: "/api/retention/first-promotion", what: "share not yet promoted" },
};
// The filters each measure takes (RetentionQuery.KeysFor on the service).
const PERSON_KEYS = ["state", "cohort", "credential", "rural", "mhpsa"];
const KEYS: Record<string, string[]> = {
  "first-peer-job": PERSON_KEYS,
  "peer-work": ["state", "cohort", "credential", "tier", "fullTime", "rural", "mhpsa", "hireYear"],
  "first-promotion": ["state", "cohort", "credential", "tier", "fullTime", "rural", "mhpsa", "hireYear"],
  job: ["state", "cohort", "credential", "jobType", "tier", "fullTime", "rural", "mhpsa", "hireYear"],
};
const VIEWS = [
  { id: "curves", title: "Retention curves" },
  { id: "reasons", title: "Reasons for leaving" },
  { id: "cohorts", title: "Cohorts" },
  { id: "occupation", title: "Where people are" },
  { id: "burnout", title: "Burnout" },
  { id: "ladder", title: "Career ladder" },
  { id: "models", title: "What predicts leaving" },
];
const CATEGORY_LABELS: Record<string, string> = { peer: "In peer work", other: "In other work only", notEmployed: "Not employed", paused: "Paused", lost: "Lost to follow-up" };

const SCALE_LABELS: Record<string, string> = { exhaustion: "Exhaustion", cynicism: "Cynicism", professionalEfficacy: "Professional efficacy" };

const months = (day: number) => day / MONTH_DAYS;
const fmtMonths = (day: number | string | null) => (day === null ? "not reached" : `${months(num(day)).toFixed(1)} mo`);

/** Kaplan-Meier curves, reasons for leaving (cumulative incidence) and the cohort grid, with the API's filters. */
export async function retentionPage(params: URLSearchParams): Promise<HTMLElement> {
  const vocab = await vocabulary();
  const me = session.me()!;
  const state: Record<string, string> = {};
  for (const [k, v] of params) state[k] = v;
  state.view ??= "curves";
  state.measure ??= "peer-work";

  const controls = h("form", { class: "filters", "aria-label": "Retention query", "data-testid": "retention-controls" });
  const output = h("div", { class: "output", "aria-live": "polite", "aria-busy": "false" });
  const tabs = h("div", { class: "tabs", role: "tablist", "aria-label": "Views" });
  tabs.addEventListener("keydown", (event) => {
    const order = VIEWS.map((v) => v.id);
    const at = order.indexOf(state.view as (typeof order)[number]);
    const n = order.length;
    const next = event.key === "ArrowRight" ? (at + 1) % n : event.key === "ArrowLeft" ? (at - 1 + n) % n
      : event.key === "Home" ? 0 : event.key === "End" ? n - 1 : -1;
    if (next < 0) return;
    event.preventDefault();
    state.view = order[next];
    void refresh(true).then(() => document.getElementById(`tab-${order[next]}`)?.focus());
  });

  function keysForView(): string[] {
    return state.view === "curves" || state.view === "models" ? KEYS[state.measure] : state.view === "reasons" || state.view === "ladder" ? KEYS["peer-work"] : state.view === "burnout" ? KEYS.job : PERSON_KEYS;
  }

  /** The model's covariates as checkboxes (the measure's grouping attributes, and "promoted" when time-varying). */
  function covariateControl(): HTMLElement {
    const timeVarying = state.timeVarying === "true" && state.measure !== "first-peer-job";
    const keys = [...KEYS[state.measure], ...(timeVarying ? ["promoted"] : []), ...(state.measure === "first-peer-job" ? [] : ["wage"])];
    const chosen = new Set((state.covariates ?? "").split(",").filter((k) => keys.includes(k)));
    state.covariates = [...chosen].join(",");
    return h("fieldset", { class: "field covariates", "data-testid": "covariates" },
      h("legend", {}, "Covariates"),
      keys.map((k) => {
        const id = `cov-${k}`;
        const box = h("input", { type: "checkbox", id, value: k });
        box.checked = chosen.has(k);
        box.addEventListener("change", () => {
          if (box.checked) chosen.add(k); else chosen.delete(k);
          state.covariates = keys.filter((x) => chosen.has(x)).join(",");
          void refresh(false);
        });
        return h("label", { for: id, class: "inline" }, box, ` ${COVARIATE_LABELS[k] ?? FILTER_LABELS[k] ?? k}`);
      }));
  }

  function select(name: string, text: string, choices: { value: string; label: string }[], help?: string): HTMLElement {
    const id = `ctl-${name}`;
    const el = h("select", { id, name }, choices.map((c) => h("option", { value: c.value }, c.label)));
    // Without a value in the address, a select shows its first choice (the API's default comes first).
    el.value = state[name] ?? "";
    if (el.selectedIndex < 0) el.selectedIndex = 0;
    el.addEventListener("change", () => { state[name] = el.value; void refresh(true); });
    return h("div", { class: "field" }, h("label", { for: id }, text), el, help ? h("p", { class: "help" }, help) : null);
  }

  function text(name: string, textLabel: string, attrs: Record<string, string | number>): HTMLElement {
    const id = `ctl-${name}`;
    const el = h("input", { id, name, value: state[name] ?? "", autocomplete: "off", ...attrs });
    el.addEventListener("change", () => { state[name] = el.value.trim(); void refresh(false); });
    return h("div", { class: "field" }, h("label", { for: id }, textLabel), el);
  }

  function filterControl(key: string): HTMLElement {
    const any = { value: "", label: "Any" };
    const yesNo = [any, { value: "true", label: "Yes" }, { value: "false", label: "No" }];
    switch (key) {
      case "state":
        return me.states?.length === 1 ? select(key, FILTER_LABELS[key], [any, { value: me.states[0], label: me.states[0] }]) : text(key, FILTER_LABELS[key], { maxlength: 2, size: 3, placeholder: "e.g. OR" });
      case "cohort": case "hireYear": return text(key, FILTER_LABELS[key], { type: "number", min: 1990, max: 2100, step: 1, placeholder: "e.g. 2022" });
      case "credential": return select(key, FILTER_LABELS[key], [any, ...vocab.credentials.map((c) => ({ value: c, label: label(c) }))]);
      case "jobType": return select(key, FILTER_LABELS[key], [any, ...vocab.jobTypes.map((c) => ({ value: c, label: label(c) }))]);
      case "tier": return select(key, FILTER_LABELS[key], [any, ...vocab.tiers.map((c) => ({ value: c, label: c })), { value: "none", label: "No tier" }]);
      default: return select(key, FILTER_LABELS[key], yesNo);
    }
  }

  function renderControls(): void {
    replace(tabs, VIEWS.map((v) => {
      // Roving focus (WAI-ARIA tabs): only the chosen tab is in the Tab order; arrow keys move between tabs.
      const b = h("button", { type: "button", role: "tab", "aria-selected": state.view === v.id ? "true" : "false", id: `tab-${v.id}`, tabindex: state.view === v.id ? 0 : -1 }, v.title);
      b.addEventListener("click", () => { state.view = v.id; void refresh(true); });
      return b;
    }));
    const keys = keysForView();
    for (const k of Object.keys(FILTER_LABELS)) if (!keys.includes(k)) delete state[k];
    if (state.groupBy && !keys.includes(state.groupBy)) delete state.groupBy;
    if (state.view === "models") {
      delete state.groupBy;
      if (state.measure === "first-promotion") state.measure = "peer-work";
    }
    replace(controls,
      state.view === "curves" || state.view === "models" ? select("measure", "Measure", Object.entries(MEASURES)
        .filter(([value]) => state.view !== "models" || value !== "first-promotion")   // no model of it (yet)
        .map(([value, m]) => ({ value, label: m.title }))) : null,
      state.view === "models" ? covariateControl() : null,
      state.view === "models" && state.measure !== "first-peer-job" ? select("timeVarying", "Tier and hours", [{ value: "", label: "At the start of the spell" }, { value: "true", label: "As they change (time-varying)" }], "Time-varying: promotions and hours changes during the spell count from when they happen.") : null,
      state.view === "models" ? select("ties", "Tied times", [{ value: "", label: "Efron (default, as R)" }, { value: "breslow", label: "Breslow" }]) : null,
      // Burnout is grouped by the job type held at the check-in unless another grouping is chosen (the API's default).
      state.view !== "cohorts" && state.view !== "models" && state.view !== "ladder" ? select("groupBy", "Group by", state.view === "burnout"
        ? [{ value: "", label: "Job type held (default)" }, ...keys.filter((k) => k !== "jobType").map((k) => ({ value: k, label: FILTER_LABELS[k] }))]
        : [{ value: "", label: "No grouping" }, ...keys.map((k) => ({ value: k, label: FILTER_LABELS[k] }))]) : null,
      keys.map(filterControl),
      text("asOf", "As of", { type: "date" }),
      state.view === "curves" ? select("ci", "Confidence interval", [{ value: "log-log", label: "95%, log-log (default)" }, { value: "log", label: "95%, log" }]) : null,
      state.view === "burnout" ? select("scale", "Score", Object.entries(SCALE_LABELS).map(([value, l]) => ({ value, label: l }))) : null,
      state.view === "cohorts" ? select("category", "Colour by", Object.entries(CATEGORY_LABELS).map(([value, l]) => ({ value, label: l }))) : null);
  }

  function apiQuery(extra: string[] = []): string {
    const keys = [...keysForView(), "asOf", ...extra];
    const values: Record<string, string> = {};
    for (const k of keys) if (state[k]) values[k] = k === "state" ? state[k].toUpperCase() : state[k];
    return query(values);
  }

  let ticket = 0;
  async function refresh(rebuildControls: boolean): Promise<void> {
    if (rebuildControls) renderControls();
    remember("/retention", state);
    const mine = ++ticket;
    output.setAttribute("aria-busy", "true");
    try {
      let content: HTMLElement;
      if (state.view === "models") {
        const timeVarying = state.timeVarying === "true" && state.measure !== "first-peer-job";
        const keys = timeVarying ? keysForView().filter((k) => k !== "tier" && k !== "fullTime") : keysForView();
        const values: Record<string, string> = {};
        for (const k of [...keys, "asOf", "covariates", "ties"]) if (state[k]) values[k] = k === "state" ? state[k].toUpperCase() : state[k];
        if (timeVarying) values.timeVarying = "true";
        content = state.covariates ? await modelView(state.measure, query(values)) : h("p", { "data-testid": "model-empty" }, "Choose one or more covariates: each is compared level by level with its largest group.");
      } else if (state.view === "reasons") content = await reasonsView(apiQuery(["groupBy"]));
      else if (state.view === "cohorts") content = await cohortsView(apiQuery(), state.category || "peer");
      else if (state.view === "occupation") content = await occupationView(apiQuery(["groupBy"]));
      else if (state.view === "ladder") content = await ladderView(apiQuery());
      else if (state.view === "burnout") content = await burnoutView(apiQuery(["groupBy"]), state.scale || "exhaustion");
      else content = await curvesView(state.measure, apiQuery(["groupBy", "ci"]));
      if (mine === ticket) replace(output, content);
    } catch (e) {
      if (mine === ticket) replace(output, h("p", { class: "error", role: "alert", "data-testid": "query-error" }, e instanceof Error ? e.message : String(e)));
    } finally {
      if (mine === ticket) output.setAttribute("aria-busy", "false");
    }
  }
  controls.addEventListener("submit", (e) => { e.preventDefault(); void refresh(false); });

  const page = h("section", {}, h("h1", {}, "Retention"), tabs, filtersToggle(controls, "retention-filters"), controls, output);
  renderControls();
  whenShown(page, () => void refresh(false));
  return page;
}

/**
 * What a figure's downloads carry: the query in words (with the as-of date the service answered for) and a file name
 * with the query in it; the CSV of the same answer gets the same name.
 */
function exported(base: string, q: string, asOf: string, csvPath?: string) {
  const file = downloadName(base, q);
  return { context: describeQuery(q, asOf), file, csv: csvPath ? () => downloadCsv(csvPath, `${file}.csv`) : undefined };
}

function suppressedNote(groups: { key: string; suppressed: boolean }[], min: number | string, nameOf: (key: string) => string = (k) => k): HTMLElement | null {
  const hidden = groups.filter((g) => g.suppressed).map((g) => nameOf(g.key));
  return hidden.length === 0 ? null : h("p", { class: "suppressed-note", "data-testid": "suppressed-groups" },
    h("span", { class: "badge suppressed" }, "Suppressed"), ` ${hidden.join(", ")}: fewer than ${min} people (or hidden so that a small group cannot be worked out from the others).`);
}

async function curvesView(measure: string, q: string): Promise<HTMLElement> {
  const m = MEASURES[measure];
  const report = await get<Survival>(m.endpoint + q);
  const nameOf = (key: string) => groupName(report.groupBy, key);
  const shownCount = report.groups.filter((g) => !g.suppressed).length;
  const figure: Chart = chartFigure({
    id: "km-chart", title: `${m.title} (Kaplan-Meier, ${report.ci} 95% CI)`,
    caption: `Y: ${m.what}; X: months since the start of the spell. Shaded: 95% confidence band; +: people censored (still in, or followed no longer). Under the plot, the number still at risk at each month. Curves stop where fewer than ${report.minCellSize} remain at risk.${report.groupBy === "tier" || report.groupBy === "fullTime" ? ` Groups are by ${FILTER_LABELS[report.groupBy].toLowerCase()} at the start of the spell, not as it changed (for that, see "What predicts leaving", time-varying).` : ""} As of ${report.asOf}.`,
    ...exported(report.measure, q, report.asOf, m.endpoint + q),
    protection: report.protection?.note,
    height: kmHeight(shownCount),
  });
  figure.set(kmOption(report.groups, nameOf), describeCurves(m.title, report.groups, nameOf, MONTHS));

  const cell = (g: Group, month: number) => {
    const at = atMark(g.at, month);
    if (g.suppressed) return h("td", { class: "suppressed" }, "suppressed");
    if (!at) return h("td", { class: "suppressed", title: `fewer than ${report.minCellSize} at risk, or beyond the follow-up` }, `< ${report.minCellSize} at risk`);
    return h("td", { class: "num" },
      h("span", { "data-testid": `atrisk-${g.key}-${month}` }, String(at.atRisk)),
      h("span", { class: "muted" }, ` · ${fmtPercent(at.survival)} (${fmtPercent(at.lower)}–${fmtPercent(at.upper)})`));
  };
  const table = h("table", { class: "data", "data-testid": "at-risk-table" },
    h("caption", {}, "Number at risk, and the estimate with its 95% interval, at each mark."),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, report.groupBy ? FILTER_LABELS[report.groupBy] ?? report.groupBy : "Group"),
      ["n", "Events", "Censored", "Median (95% CI)", "0 mo", ...MONTHS.map((x) => `${x} mo`)].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, report.groups.map((g) => h("tr", { "data-group": g.key },
      h("th", { scope: "row" }, nameOf(g.key)),
      g.suppressed ? h("td", { class: "suppressed", colspan: 5 + MONTHS.length }, `suppressed: fewer than ${report.minCellSize} people`) : [
        h("td", { class: "num", "data-testid": `n-${g.key}` }, fmtNumber(g.n)),
        h("td", { class: g.events === null ? "suppressed" : "num" }, g.events === null ? "suppressed" : fmtNumber(g.events)),
        h("td", { class: g.censored === null ? "suppressed" : "num" }, g.censored === null ? "suppressed" : fmtNumber(g.censored)),
        h("td", {}, g.median ? `${fmtMonths(g.median.days)} (${fmtMonths(g.median.lower)}–${fmtMonths(g.median.upper)})` : "—"),
        h("td", { class: "num" }, h("span", { "data-testid": `atrisk-${g.key}-0` }, fmtNumber(g.n))),
        MONTHS.map((x) => cell(g, x)),
      ]))));
  const rmeanTable = h("table", { class: "data", "data-testid": "rmean-table" },
    h("caption", {}, "Restricted mean time: of the first 12, 24 or 36 months, how many on average (area under the curve), with its 95% interval. Blank where the curve stops earlier."),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, report.groupBy ? FILTER_LABELS[report.groupBy] ?? report.groupBy : "Group"),
      [12, 24, 36].map((m) => h("th", { scope: "col" }, `Of ${m} mo`)))),
    h("tbody", {}, report.groups.filter((g) => !g.suppressed).map((g) => h("tr", {},
      h("th", { scope: "row" }, nameOf(g.key)),
      [12, 24, 36].map((m) => {
        const r = g.restrictedMean?.[String(m)] ?? null;
        return r ? h("td", { class: "num", "data-testid": `rmean-${g.key}-${m}` }, `${months(num(r.days)).toFixed(1)} mo (${months(num(r.lower)).toFixed(1)}–${months(num(r.upper)).toFixed(1)})`)
          : h("td", { class: "muted" }, "—");
      })))));
  const rank = report.logRank
    && { chiSquare: num(report.logRank.chiSquare), df: report.logRank.df, p: num(report.logRank.p) };
  const logRank = rank ? h("p", { "data-testid": "log-rank" },
    `Log-rank test across the groups shown: χ² = ${rank.chiSquare.toFixed(2)}, df = ${rank.df}, `
      + `p ${rank.p < 0.001 ? "< 0.001" : `= ${rank.p.toFixed(3)}`}.`) : null;
  const trend = report.groupBy === "cohort" || report.groupBy === "hireYear" ? trendFigure(measure, report, q) : null;
  // Grouped by tier or hours, say what the groups are, and lead to the view where they change over the spell.
  const startOnly = report.groupBy === "tier" || report.groupBy === "fullTime" ? h("p", { class: "suppressed-note", "data-testid": "at-the-start" },
    `${FILTER_LABELS[report.groupBy]}: each spell counts in the group it started in, so a promotion or a change of hours later in the spell does not move it (most spells start at the first tier). `,
    measure === "first-promotion" ? null : h("a", { href: `#/retention?${new URLSearchParams({ view: "models", measure, timeVarying: "true", covariates: report.groupBy === "tier" ? "tier,promoted" : "fullTime" })}` },
      "See them as they change (time-varying model)")) : null;
  return h("div", {}, suppressedNote(report.groups, report.minCellSize, nameOf), startOnly, figure.element, trend, h("div", { class: "scroll" }, table),
    h("div", { class: "scroll" }, rmeanTable), protectionNote(report.protection), logRank);
}

/** Grouped by certification or hire year: 12- and 24-month retention by year, with intervals, as lines. */
function trendFigure(measure: string, report: Survival, q: string): HTMLElement {
  const m = MEASURES[measure];
  const by = report.groupBy === "cohort" ? "certification year" : "hire year";
  const figure = chartFigure({
    id: "trend-chart", title: `Trend: ${m.what} at 12 and 24 months, by ${by}`,
    caption: `Each point is the Kaplan-Meier estimate at the mark for the people of that year, with its 95% interval; years whose curve stops before the mark (fewer than ${report.minCellSize} at risk, or not yet followed that long) have no point. As of ${report.asOf}.`,
    ...exported(`${report.measure}-trend`, q, report.asOf, m.endpoint + q),
    protection: report.protection?.note,
  });
  const years = report.groups.filter((g) => !g.suppressed).map((g) => g.key).sort();
  const series: unknown[] = [];
  [12, 24].forEach((mark, i) => {
    const color = PALETTE[i];
    const at = years.map((y) => atMark(report.groups.find((g) => g.key === y)!.at, mark));
    series.push({ name: `${mark} months`, type: "line", data: at.map((a, k) => [years[k], a ? num(a.survival) : null]), itemStyle: { color }, lineStyle: { color, width: 2 }, connectNulls: false, symbolSize: 7 });
    series.push({ name: `${mark} months (95% CI)`, type: "line", data: at.map((a, k) => [years[k], a && a.lower !== null ? num(a.lower) : null]), lineStyle: { type: "dashed", color, width: 1 }, itemStyle: { color }, showSymbol: false, tooltip: { show: false } });
    series.push({ name: `${mark} months (95% CI) `, type: "line", data: at.map((a, k) => [years[k], a && a.upper !== null ? num(a.upper) : null]), lineStyle: { type: "dashed", color, width: 1 }, itemStyle: { color }, showSymbol: false, tooltip: { show: false } });
  });
  figure.set({
    legend: { top: 0, data: ["12 months", "24 months"] },
    grid: { left: 56, right: 24, top: 40, bottom: 48 },
    tooltip: tooltip({ valueFormatter: (v: number) => fmtPercent(v) }),
    xAxis: { type: "category", data: years, name: by[0].toUpperCase() + by.slice(1), nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "value", min: 0, max: 1, name: "Share", axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
    series,
  }, `${m.what} at 12 and 24 months, by ${by}. ${years.map((y) => {
    const g = report.groups.find((x) => x.key === y)!;
    const at = (mark: number) => atMark(g.at, mark);
    return `${y}: ${[12, 24].map((mark) => `${mark} months ${at(mark) ? fmtPercent(at(mark)!.survival) : "not reached"}`).join(", ")}`;
  }).join("; ")}.`);
  return figure.element;
}

async function reasonsView(q: string): Promise<HTMLElement> {
  const endpoint = "/api/retention/reasons";
  const report = await get<Reasons>(endpoint + q);
  const shown = report.groups.filter((g) => !g.suppressed);
  const nameOf = (key: string) => groupName(report.groupBy, key);
  const wrap = h("div", {});
  const chooserId = "reasons-group";
  // With a grouping, the first choice is every group side by side (small multiples); then each group on its own.
  const panels = report.groupBy && shown.length > 1;
  const chooser = h("select", { id: chooserId },
    panels ? h("option", { value: "" }, "Every group, one panel each") : null,
    shown.map((g) => h("option", { value: g.key }, `${nameOf(g.key)} (n=${g.n})`)));
  const host = h("div", {});
  const table = h("div", { class: "scroll" });
  let figure: Chart | null = null;

  function draw(): void {
    const one = shown.find((x) => x.key === chooser.value);
    const g = one ?? shown[0];
    if (!g) return;
    const many = panels && !one;
    figure = chartFigure({
      id: "reasons-chart", title: `Reasons for leaving peer work (stacked cumulative incidence)${many ? ", by " + (FILTER_LABELS[report.groupBy!] ?? report.groupBy).toLowerCase() : `: ${nameOf(g.key)}`}`,
      caption: `Aalen-Johansen estimate, each reason with the others as competing risks: at every month the bands and the share still in peer work add up to 100%.${many ? " Every panel has the same scale." : ""} As of ${report.asOf}.`,
      ...exported(many ? "reasons-panels" : `reasons-${g.key}`, q, report.asOf, endpoint + q),
      protection: report.protection?.note,
      height: many ? panelsHeight(shown.length) : undefined,
    });
    replace(host, figure.element);
    const words = (x: typeof g) => {
      const at = (m: number) => x.at[String(m)] ?? null;
      const left = MONTHS.map((m) => at(m)).map((a, i) => (a ? `${MONTHS[i]} months ${fmtPercent(1 - num(a.survival))} had left` : null)).filter((w) => w);
      const top = [...report.reasons].filter((r) => x.leavers[r] !== null && (num(x.leavers[r]) ?? 0) > 0)
        .sort((a, b) => (num(x.leavers[b]) ?? 0) - (num(x.leavers[a]) ?? 0)).slice(0, 3).map((r) => `${label(r)} ${fmtNumber(x.leavers[r])}`);
      return `${nameOf(x.key)}, ${x.n} people: ${left.join(", ") || "not followed to 6 months"}. Most leavers: ${top.join(", ") || "none shown"}.`;
    };
    const option = many ? reasonPanelsOption(shown, report.reasons, label, nameOf) : reasonsOption(g, report.reasons, label);
    figure.set({ ...option, tooltip: tooltip({ valueFormatter: (v: number) => fmtPercent(v) }) },
      `Reasons for leaving peer work. ${(many ? shown : [g]).map(words).join(" ")}`);
    const markCell = (month: number, share: (at: Schemas["IncidenceView"]) => number | string | null | undefined) => {
      const at = atMark(g.at, month);
      if (!at) return h("td", { class: "suppressed" }, `< ${report.minCellSize} at risk`);
      const value = share(at);
      // A reason with fewer than the minimum leavers has its curve hidden with its count.
      return value === null || value === undefined ? h("td", { class: "suppressed" }, "suppressed")
        : h("td", { class: "num" }, fmtPercent(value));
    };
    replace(table, h("table", { class: "data", "data-testid": "reasons-table" },
      h("caption", {}, `Leavers by reason in ${nameOf(g.key)}, and the cumulative incidence at each mark.${many ? " Choose a group above for its own table." : ""}`),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Reason"), h("th", { scope: "col" }, "Leavers"), MONTHS.map((x) => h("th", { scope: "col" }, `${x} mo`)))),
      h("tbody", {},
        report.reasons.map((r) => h("tr", {}, h("th", { scope: "row" }, label(r)),
          g.leavers[r] === null ? h("td", { class: "suppressed" }, "suppressed") : h("td", { class: "num" }, fmtNumber(g.leavers[r])),
          MONTHS.map((x) => markCell(x, (at) => at.incidence[r])))),
        h("tr", {}, h("th", { scope: "row" }, "Still in peer work"),
          g.stillIn === null ? h("td", { class: "suppressed" }, "suppressed") : h("td", { class: "num" }, fmtNumber(g.stillIn)),
          MONTHS.map((x) => markCell(x, (at) => at.survival))))));
  }
  chooser.addEventListener("change", draw);
  replace(wrap,
    suppressedNote(report.groups, report.minCellSize, nameOf),
    shown.length === 0 ? h("p", {}, "No group is large enough to show.") : [
      report.groupBy ? h("div", { class: "field inline" }, h("label", { for: chooserId }, "Show"), chooser) : null,
      host, table,
    ]);
  // Drawn once the figure's place is in the page (a chart needs its box's size).
  if (shown.length > 0) requestAnimationFrame(draw);
  return wrap;
}

const figureTitle = (category: string) => `Cohorts: ${CATEGORY_LABELS[category] ?? category}, by months since certification`;

async function cohortsView(q: string, category: string): Promise<HTMLElement> {
  const endpoint = "/api/retention/cohorts";
  const grid = await get<Cohorts>(endpoint + q);
  const figure = chartFigure({
    id: "cohort-heatmap", title: figureTitle(category),
    caption: `Each row is a certification year; each cell the share of that cohort's people observed at the mark. The colour scale runs over the shares shown, not 0-100%. Hatched grey cells are suppressed (fewer than ${grid.minCellSize}); white "not yet" cells are marks after the as-of date (${grid.asOf}).`,
    ...exported(`cohorts-${category}`, q, grid.asOf, endpoint + q),
    protection: grid.protection?.note,
    height: 420,
  });
  const xs = MONTHS.map((x) => `${x} mo`);
  const ys = grid.cohorts.map((c) => c.cohort);
  const shown: [number, number, number][] = [];
  const suppressed: [number, number, number][] = [];
  const notYet: [number, number, number][] = [];
  grid.cohorts.forEach((row, y) => row.cells.forEach((cell, x) => {
    const share = cell.shares[category];
    if (cell.observed === 0 && !cell.suppressed) notYet.push([x, y, 0]);
    else if (cell.suppressed || share === null || share === undefined) suppressed.push([x, y, 0]);
    else shown.push([x, y, num(share)]);
  }));
  // The scale spans the shares shown, to the nearest 5%: over 0-100% the usual 23-42% would all look alike.
  const values = shown.map((c) => c[2]);
  let low = values.length ? Math.floor(Math.min(...values) * 20) / 20 : 0;
  let high = values.length ? Math.ceil(Math.max(...values) * 20) / 20 : 1;
  if (high - low < 0.1) { low = Math.max(0, low - 0.05); high = Math.min(1, high + 0.05); }
  figure.set({
    grid: { left: 64, right: 24, top: 16, bottom: 80 },
    tooltip: { trigger: "item", renderMode: "richText" },
    xAxis: { type: "category", data: xs, name: "Months since certification", nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "category", data: ys, name: "Cohort" },
    visualMap: { min: low, max: high, calculable: false, orient: "horizontal", left: "center", bottom: 0, seriesIndex: 0, inRange: { color: ["#f7fbff", "#6baed6", "#08306b"] }, text: [fmtPercent(high, 0), fmtPercent(low, 0)] },
    series: [
      // Dark cells get white figures (ECharts picks no contrast colour for heat map labels).
      { name: CATEGORY_LABELS[category], type: "heatmap", data: shown.map((c) => ({ value: c, label: { color: c[2] - low > (high - low) * 0.6 ? "#ffffff" : "#111111" } })),
        label: { show: true, formatter: (p: { value: number[] }) => fmtPercent(p.value[2], 0) } },
      { name: "Suppressed", type: "heatmap", data: suppressed, label: { show: true, color: "#333333", formatter: "suppressed" },
        itemStyle: { color: "#d9d9d9", decal: { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [2, 5], rotation: Math.PI / 4, color: "#9e9e9e" } } },
      { name: "Not yet observed", type: "heatmap", data: notYet, label: { show: true, color: "#666666", fontStyle: "italic", formatter: "not yet" },
        itemStyle: { color: "#ffffff", borderColor: "#cccccc", borderWidth: 1, borderType: "dashed" } },
    ],
  }, `${figureTitle(category)}. ${grid.cohorts.map((row) => `${row.cohort}: ${row.cells.map((c, i) => `${xs[i]} ${c.observed === 0 && !c.suppressed ? "not yet" : c.suppressed || c.shares[category] === null || c.shares[category] === undefined ? "suppressed" : fmtPercent(c.shares[category], 0)}`).join(", ")}`).join("; ")}.`);
  const table = h("table", { class: "data", "data-testid": "cohort-table" },
    h("caption", {}, `${CATEGORY_LABELS[category]}: share and count per cohort and mark.`),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Cohort"), h("th", { scope: "col" }, "People"), xs.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, grid.cohorts.map((row) => h("tr", {}, h("th", { scope: "row" }, row.cohort),
      row.suppressed ? h("td", { class: "suppressed" }, "suppressed") : h("td", { class: "num" }, fmtNumber(row.n)),
      row.cells.map((c) => c.observed === 0 && !c.suppressed ? h("td", { class: "muted" }, "not yet")
        : c.suppressed || c.shares[category] === null ? h("td", { class: "suppressed" }, "suppressed")
        : h("td", { class: "num" }, `${fmtPercent(c.shares[category])} (${c.counts[category]} of ${c.observed})`))))));
  return h("div", {}, figure.element, h("div", { class: "scroll" }, table));
}

const COVARIATE_LABELS: Record<string, string> = { promoted: "Promoted since the start", wage: "Hourly wage" };

const fmtP = (p: number) => (p < 0.001 ? "< 0.001" : p.toFixed(3));

/**
 * A model's answer. The service fits one model per key at a time (429 model-running): ticking two covariates in a
 * row asks while the first is still being fitted, so wait for it and ask again, for up to a minute.
 */
async function modelAnswer(url: string): Promise<Model> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await get<Model>(url);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 429) || attempt >= 120) throw e;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** A Cox model: a forest plot of hazard ratios with the reference levels named, the terms, the tests. */
async function modelView(measure: string, q: string): Promise<HTMLElement> {
  const endpoint = `${MEASURES[measure].endpoint}/model`;
  const model = await modelAnswer(endpoint + q);
  const reference = new Map(model.covariates.map((c) => [c.name, c.reference]));
  // Yes/no levels in words, vocabulary words spelled out, tiers, states and years as they are.
  const levelName = (covariate: string, level: string) => level === "true" ? "Yes" : level === "false" ? "No"
    : ["tier", "state", "cohort"].includes(covariate) ? level : label(level);
  const continuous = new Set(model.covariates.filter((c) => c.continuous).map((c) => c.name));
  // A continuous covariate is one term per unit ("Hourly wage, per $1/h"); a level is named against its reference.
  const name = (t: Schemas["TermView"]) => continuous.has(t.covariate)
    ? `${COVARIATE_LABELS[t.covariate] ?? t.covariate}, ${t.level}`
    : `${COVARIATE_LABELS[t.covariate] ?? FILTER_LABELS[t.covariate] ?? t.covariate}: ${levelName(t.covariate, t.level)} vs ${levelName(t.covariate, reference.get(t.covariate) ?? "")}`;
  const terms = [...model.terms].reverse();   // the first term at the top
  const figure = chartFigure({
    id: "forest-plot", title: `What predicts ${measure === "first-peer-job" ? "a first peer job" : "leaving"}: hazard ratios (Cox, ${model.ties} ties)`,
    caption: `Each point is a hazard ratio with its 95% interval, on a log scale: above 1, ${measure === "first-peer-job" ? "a first peer job comes sooner" : "people leave sooner"} than in the reference level named. ${model.timeVarying ? "Tier, full time, wage and promotion as they change during the spell (time-varying)." : "Covariates as they were at the start of the spell."} As of ${model.asOf}.`,
    ...exported(`${model.measure}-model`, q, model.asOf, endpoint + q),
    protection: model.protection?.note,
    height: Math.max(300, 150 + terms.length * 32),
  });
  const ys = terms.map(name);
  figure.set({
    grid: { left: 260, right: 32, top: 24, bottom: 56 },
    tooltip: { trigger: "item", renderMode: "richText" },
    xAxis: { type: "log", name: "Hazard ratio (log scale)", nameLocation: "middle", nameGap: 28, axisLabel: { formatter: (v: number) => String(Number(v.toPrecision(2))) } },
    yAxis: { type: "category", data: ys, axisLabel: { width: 250, overflow: "truncate" } },
    series: [
      ...terms.map((t, i) => ({ name: ys[i], type: "line", data: [[num(t.lower), ys[i]], [num(t.upper), ys[i]]], showSymbol: false, lineStyle: { width: 2, color: PALETTE[0] }, tooltip: { show: false }, silent: true })),
      { name: "Hazard ratio", type: "scatter", symbolSize: 10, itemStyle: { color: PALETTE[5] }, data: terms.map((t, i) => ({ value: [num(t.hazardRatio), ys[i]], name: `${ys[i]}: ${num(t.hazardRatio).toFixed(2)} (${num(t.lower).toFixed(2)}–${num(t.upper).toFixed(2)})` })),
        markLine: { silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#444" }, data: [{ xAxis: 1 }], label: { formatter: "no difference" } } },
    ],
  }, `Hazard ratios with 95% intervals. ${model.terms.map((t) => `${name(t)}: ${num(t.hazardRatio).toFixed(2)} (${num(t.lower).toFixed(2)} to ${num(t.upper).toFixed(2)}), p ${fmtP(num(t.p)).startsWith("<") ? "" : "= "}${fmtP(num(t.p))}`).join("; ")}.`);
  const table = h("table", { class: "data", "data-testid": "model-table" },
    h("caption", {}, `Each level compared with its covariate's reference level (the largest group, or No)${continuous.size > 0 ? "; the wage's ratio is per dollar an hour" : ""}.`,
      ...model.covariates.filter((c) => (c.folded ?? []).length > 0).map((c) => h("span", { class: "muted", "data-testid": `folded-${c.name}` },
        ` ${COVARIATE_LABELS[c.name] ?? FILTER_LABELS[c.name] ?? c.name}: ${(c.folded ?? []).map((l) => levelName(c.name, l)).join(", ")} counted with ${levelName(c.name, c.reference)} (too few people or events for a term of their own).`))),
    h("thead", {}, h("tr", {}, ["Term", "Hazard ratio (95% CI)", "Coefficient", "SE", "z", "p"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, model.terms.map((t) => h("tr", { "data-term": t.term },
      h("th", { scope: "row" }, name(t)),
      h("td", { class: "num", "data-testid": `hr-${t.term}` }, `${num(t.hazardRatio).toFixed(2)} (${num(t.lower).toFixed(2)}–${num(t.upper).toFixed(2)})`),
      h("td", { class: "num" }, num(t.coef).toFixed(3)), h("td", { class: "num" }, num(t.se).toFixed(3)),
      h("td", { class: "num" }, num(t.z).toFixed(2)), h("td", { class: "num" }, fmtP(num(t.p)))))));
  const tests = h("ul", { "data-testid": "model-tests" },
    h("li", {}, `${model.n === null ? "People: suppressed" : `${fmtNumber(model.n)} ${measure === "job" ? "jobs" : "people"}`}, ${model.events === null ? "events suppressed" : `${fmtNumber(model.events)} events`}${model.episodes ? `, ${fmtNumber(model.episodes)} episodes` : ""}.`),
    h("li", {}, `Likelihood ratio χ² = ${num(model.likelihoodRatio.chiSquare).toFixed(2)} on ${model.likelihoodRatio.df} df, p ${fmtP(num(model.likelihoodRatio.p)).startsWith("<") ? "" : "= "}${fmtP(num(model.likelihoodRatio.p))}; Wald χ² = ${num(model.wald.chiSquare).toFixed(2)}; score χ² = ${num(model.score.chiSquare).toFixed(2)}.`),
    h("li", {}, `Concordance ${num(model.concordance.value).toFixed(3)} (se ${num(model.concordance.se).toFixed(3)}): how often, of two people, the one the model ranks at higher risk left first (0.5 is chance).`),
    h("li", { "data-testid": "ph-test" }, `Proportional hazards (R's cox.zph): ${model.proportionalHazards.terms.map((t) => `${FILTER_LABELS[t.covariate] ?? COVARIATE_LABELS[t.covariate] ?? t.covariate} p ${fmtP(num(t.p))}`).join("; ")}; global p ${fmtP(num(model.proportionalHazards.global.p))}. A small p says that ratio changes over time.`));
  return h("div", {}, figure.element, h("div", { class: "scroll" }, table), tests, protectionNote(model.protection));
}

/** Under a table: how its figures were protected, in the words the service gives. */
function protectionNote(p: { note: string } | null | undefined) {
  return p ? h("p", { class: "help protection", "data-testid": "table-protection" }, p.note) : null;
}

/**
 * Where people are over time since certification: the occupation probabilities of one group drawn as stacked areas
 * (they add up to 100% at every month), the readings at the marks with their intervals, and the moves between
 * states with their rates per person-year.
 */
async function occupationView(q: string): Promise<HTMLElement> {
  const endpoint = "/api/trajectories/occupation";
  const report = await get<Occupation>(endpoint + q);
  const shown = report.groups.filter((g) => !g.suppressed);
  const wrap = h("div", {});
  const chooserId = "occupation-group";
  const nameOf = (key: string) => groupName(report.groupBy, key);
  const chooser = h("select", { id: chooserId }, shown.map((g) => h("option", { value: g.key }, `${nameOf(g.key)} (n=${g.n})`)));
  const figure = chartFigure({
    id: "occupation-chart", title: "Where people are, by months since certification",
    caption: `Multi-state Aalen-Johansen estimate: at every month the bands add up to 100% of the people certified, however long each was followed. The curve stops where fewer than ${report.minCellSize} are followed. As of ${report.asOf}.`,
    ...exported("occupation", q, report.asOf, endpoint + q),
    protection: report.protection?.note,
  });
  const tables = h("div", {});

  function draw(): void {
    const g = shown.find((x) => x.key === chooser.value) ?? shown[0];
    if (!g) return;
    figure.set({
      legend: { top: 0, type: "scroll" },
      grid: { left: 56, right: 24, top: 48, bottom: 48 },
      tooltip: tooltip({ valueFormatter: (v: number) => fmtPercent(v) }),
      aria: { enabled: true, decal: { show: true } },
      xAxis: { type: "value", name: "Months since certification", nameLocation: "middle", nameGap: 28, min: 0, interval: 6, axisPointer: IN_MONTHS },
      yAxis: { type: "value", min: 0, max: 1, name: "Share of people", axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
      series: report.states.map((s, i) => ({
        name: CATEGORY_LABELS[s] ?? label(s), type: "line", step: "end", stack: "occupation", showSymbol: false,
        areaStyle: {}, color: PALETTE[i % PALETTE.length],
        data: g.points.map((p) => [months(num(p.day)), num(p.states[s]?.probability ?? 0)]),
      })),
    }, `Where people are since certification, ${nameOf(g.key)}, ${g.n} people. ${MONTHS.map((m) => {
      const at = atMark(g.at, m);
      return at ? `At ${m} months: ${report.states.map((s) => `${CATEGORY_LABELS[s] ?? label(s)} ${at.states[s]?.probability === null || at.states[s] === undefined ? "suppressed" : fmtPercent(at.states[s]!.probability)}`).join(", ")}.` : null;
    }).filter((x) => x).join(" ")}`);
    const cell = (month: number, s: string) => {
      const at = atMark(g.at, month);
      if (!at) return h("td", { class: "suppressed" }, `< ${report.minCellSize} followed`);
      const v = at.states[s];
      if (!v || v.probability === null) return h("td", { class: "suppressed" }, "suppressed");
      const ci = v.lower === null || v.upper === null ? "" : ` (${fmtPercent(v.lower)}–${fmtPercent(v.upper)})`;
      return h("td", { class: "num" }, `${fmtPercent(v.probability)}${ci}`);
    };
    const moves = g.transitions.filter((t) => t.count !== 0);
    replace(tables,
      h("div", { class: "scroll" }, h("table", { class: "data", "data-testid": "occupation-table" },
        h("caption", {}, `Share of ${g.key === "all" ? "everyone" : nameOf(g.key)} in each state at each mark, with its 95% interval.`),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "State"), MONTHS.map((x) => h("th", { scope: "col" }, `${x} mo`)))),
        h("tbody", {}, report.states.map((s) => h("tr", {}, h("th", { scope: "row" }, CATEGORY_LABELS[s] ?? label(s)),
          MONTHS.map((x) => cell(x, s))))))),
      h("div", { class: "scroll" }, h("table", { class: "data", "data-testid": "transitions-table" },
        h("caption", {}, "Moves between states: how many, and how often per person-year spent in the state moved from."),
        h("thead", {}, h("tr", {}, ["From", "To", "Moves", "Person-years in the first state", "Moves per person-year"].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, moves.map((t) => h("tr", {},
          h("th", { scope: "row" }, CATEGORY_LABELS[t.from] ?? label(t.from)), h("td", {}, CATEGORY_LABELS[t.to] ?? label(t.to)),
          t.count === null ? h("td", { class: "suppressed" }, "suppressed") : h("td", { class: "num" }, fmtNumber(t.count)),
          h("td", { class: "num" }, t.personYears === null ? "" : num(t.personYears).toFixed(1)),
          t.ratePerPersonYear === null ? h("td", { class: "suppressed" }, "suppressed") : h("td", { class: "num" }, num(t.ratePerPersonYear).toFixed(2))))))),
      protectionNote(report.protection));
  }
  chooser.addEventListener("change", draw);
  replace(wrap,
    suppressedNote(report.groups, report.minCellSize, nameOf),
    shown.length === 0 ? h("p", {}, "No group is large enough to show.") : [
      report.groupBy ? h("div", { class: "field inline" }, h("label", { for: chooserId }, "Group"), chooser) : null,
      figure.element, tables,
    ]);
  if (shown.length > 0) requestAnimationFrame(draw);
  return wrap;
}

/**
 * Burnout from check-ins: one score's mean by months since hire, a line per group (job type by default) with its
 * interval in the table, and every score's overall mean per group.
 */
async function burnoutView(q: string, scale: string): Promise<HTMLElement> {
  const endpoint = "/api/retention/burnout";
  const report = await get<Burnout>(endpoint + q);
  const shown = report.groups.filter((g) => !g.suppressed);
  const name = SCALE_LABELS[scale] ?? scale;
  const by = report.groupBy === "jobType" ? "job type held at the check-in" : (FILTER_LABELS[report.groupBy] ?? report.groupBy).toLowerCase();
  const figure = chartFigure({
    id: "burnout-chart", title: `${name} by months since hire (Maslach Burnout Inventory, 0–6)`,
    caption: `Mean over people of their own check-in scores in the job they held, by ${by}; each person counts once in each band. Means over fewer than ${report.minCellSize} people are not shown. As of ${report.asOf}.`,
    ...exported(`burnout-${scale}`, q, report.asOf, endpoint + q),
    protection: report.protection?.note,
  });
  const fmt = (v: number | string | null | undefined) => (v === null || v === undefined ? "" : num(v).toFixed(2));
  const score = (v: Schemas["ScoreView"] | null | undefined) => !v ? h("td", { class: "suppressed" }, "suppressed")
    : h("td", { class: "num" }, `${fmt(v.mean)}${v.lower === null ? "" : ` (${fmt(v.lower)}–${fmt(v.upper)})`}, n=${v.people}`);
  const groupLabel = (key: string) => groupName(report.groupBy, key);
  const wrap = h("div", {},
    suppressedNote(report.groups, report.minCellSize, groupLabel),
    figure.element,
    h("div", { class: "scroll" }, h("table", { class: "data", "data-testid": "burnout-table" },
      h("caption", {}, `${name}: mean (95% interval) and people, overall and by months since hire.`),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Group"), h("th", { scope: "col" }, "All"), report.bands.map((b) => h("th", { scope: "col" }, `${b} mo`)))),
      h("tbody", {}, report.groups.map((g) => h("tr", { "data-group": g.key }, h("th", { scope: "row" }, groupLabel(g.key)),
        score(g.scores[scale]), g.sinceHire.map((b) => score(b.scores[scale]))))))),
    h("div", { class: "scroll" }, h("table", { class: "data", "data-testid": "burnout-overall" },
      h("caption", {}, "Every score's mean per group (lower exhaustion and cynicism, higher efficacy, is better)."),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Group"), report.scales.map((s) => h("th", { scope: "col" }, SCALE_LABELS[s] ?? s)))),
      h("tbody", {}, shown.map((g) => h("tr", {}, h("th", { scope: "row" }, groupLabel(g.key)), report.scales.map((s) => score(g.scores[s]))))))),
    protectionNote(report.protection));
  requestAnimationFrame(() => figure.set({
    legend: { top: 0, type: "scroll" },
    grid: { left: 56, right: 24, top: 48, bottom: 48 },
    tooltip: tooltip({ valueFormatter: (v: number) => (v === null || v === undefined ? "" : v.toFixed(2)) }),
    aria: { enabled: true, decal: { show: true } },
    xAxis: { type: "category", data: report.bands.map((b) => `${b} mo`), name: "Months since hire", nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "value", min: 0, max: 6, name: name },
    series: shown.filter((g) => g.key !== "none").map((g, i) => ({
      name: groupLabel(g.key), type: "line", connectNulls: false, color: PALETTE[i % PALETTE.length],
      data: g.sinceHire.map((b) => (b.scores[scale] ? num(b.scores[scale]!.mean) : null)),
    })),
  }, `${name}, mean score from 0 to 6, by ${by}. ${shown.map((g) => `${groupLabel(g.key)}: ${g.scores[scale] ? `overall ${fmt(g.scores[scale]!.mean)} over ${g.scores[scale]!.people} people` : "overall suppressed"}; ${report.bands.map((b, i) => `${b} months ${g.sinceHire[i]?.scores[scale] ? fmt(g.sinceHire[i].scores[scale]!.mean) : "not shown"}`).join(", ")}.`).join(" ")}`));
  return wrap;
}

const STAGE_LABELS: Record<string, string> = { start: "At the start", highest: "Highest reached", outcome: "Now" };

/**
 * The career ladder as a flow: each first peer-work spell from its tier at the start to the highest tier it reached
 * to where it led, and every move between tiers in a table. Hidden flows are left out of the drawing and say so.
 */
async function ladderView(q: string): Promise<HTMLElement> {
  const endpoint = "/api/retention/ladder";
  const report = await get<LadderFlows>(endpoint + q);
  const node = (stage: string, name: string) => `${STAGE_LABELS[stage] ?? stage}: ${name}`;
  const shown = report.flows.filter((f) => f.count !== null && num(f.count) > 0);
  const hidden = report.flows.filter((f) => f.count === null).length;
  const names = new Set(shown.flatMap((f) => [node(f.fromStage, f.from), node(f.toStage, f.to)]));
  const figure = chartFigure({
    id: "ladder-chart", title: "The career ladder: tier at the start, highest tier reached, and where it led",
    caption: `Each band is a number of first peer-work spells. ${hidden > 0 ? `${hidden} flows of fewer than ${report.minCellSize} are not drawn. ` : ""}As of ${report.asOf}.`,
    ...exported("ladder", q, report.asOf, endpoint + q),
    protection: report.protection?.note,
    height: 480,
  });
  requestAnimationFrame(() => figure.set({
    tooltip: { trigger: "item", renderMode: "richText" },
    aria: { enabled: true },
    series: [{
      type: "sankey", left: 16, right: 160, top: 16, bottom: 80, nodeAlign: "left", emphasis: { focus: "adjacency" },
      data: [...names].map((name, i) => ({ name, itemStyle: { color: PALETTE[i % PALETTE.length] } })),
      links: shown.map((f) => ({ source: node(f.fromStage, f.from), target: node(f.toStage, f.to), value: num(f.count) })),
      lineStyle: { color: "gradient", opacity: 0.4 },
      label: { fontSize: 12 },
    }],
  }, `The career ladder, ${report.spells === null ? "fewer than the minimum" : fmtNumber(report.spells)} first peer-work spells. ${shown.map((f) => `${node(f.fromStage, f.from)} to ${node(f.toStage, f.to)}: ${fmtNumber(f.count)}`).join("; ")}.`));
  const moves = report.moves.filter((m) => m.count !== null && num(m.count) > 0);
  const hiddenMoves = report.moves.filter((m) => m.count === null).length;
  return h("div", {},
    report.spells === null ? h("p", { class: "suppressed-note" }, `Fewer than ${report.minCellSize} spells: nothing to show.`) : h("p", {}, `${fmtNumber(report.spells)} first peer-work spells.`),
    figure.element,
    h("div", { class: "scroll" }, h("table", { class: "data", "data-testid": "ladder-flows" },
      h("caption", {}, "How many spells went from each tier at the start to the highest tier reached, and from there to where they are now."),
      h("thead", {}, h("tr", {}, ["From", "To", "Spells"].map((c) => h("th", { scope: "col" }, c)))),
      // Analysts get every combination of the vocabulary; the small or empty ones are one line, not a page of them.
      h("tbody", {}, shown.map((f) => h("tr", { "data-flow": `${f.fromStage}:${f.from}>${f.toStage}:${f.to}` },
        h("th", { scope: "row" }, node(f.fromStage, f.from)), h("td", {}, node(f.toStage, f.to)),
        h("td", { class: "num" }, fmtNumber(f.count)))),
        hidden > 0 ? h("tr", {}, h("td", { colspan: 3, class: "suppressed" }, `${hidden} other combinations: fewer than ${report.minCellSize} each, or none (suppressed).`)) : null))),
    h("div", { class: "scroll" }, h("table", { class: "data", "data-testid": "ladder-moves" },
      h("caption", {}, "Every move between tiers during peer work (promotions, and moves down), counted per move."),
      h("thead", {}, h("tr", {}, ["From tier", "To tier", "Moves"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, moves.map((m) => h("tr", {}, h("th", { scope: "row" }, m.from), h("td", {}, m.to),
        h("td", { class: "num" }, fmtNumber(m.count)))),
        hiddenMoves > 0 ? h("tr", {}, h("td", { colspan: 3, class: "suppressed" }, `${hiddenMoves} other pairs of tiers: fewer than ${report.minCellSize} moves each, or none (suppressed).`)) : null))),
    protectionNote(report.protection));
}
