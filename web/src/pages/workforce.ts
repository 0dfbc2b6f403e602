import { downloadCsv, get, query, type GetAnswer } from "../api";
import { chartFigure, tooltip } from "../charts";
import { fmtNumber, fmtPercent, h, label, num, replace, reflow, filtersToggle } from "../dom";
import { remember, whenShown } from "../router";
import { session } from "../session";
import { vocabulary } from "../vocab";
import { downloadName } from "../export";
import { describeQuery } from "./query-words";

type Summary = GetAnswer<"/api/workforce/summary">;

const count = (v: number | string | null | undefined) =>
  v === null || v === undefined ? h("span", { class: "suppressed" }, "suppressed") : fmtNumber(v);
// A suppressed count is an empty bar labelled so, which keeps its category on the axis.
const suppressedBar = () =>
  ({ value: 0, label: { show: true, formatter: "suppressed", position: "right" }, itemStyle: { color: "#bdbdbd" } });

/** The workforce on a date and over a period: headcount by status, turnover, reasons, tiers, wages, month by month. */
export async function workforcePage(params: URLSearchParams): Promise<HTMLElement> {
  const vocab = await vocabulary();
  const me = session.me()!;
  const state: Record<string, string> = {};
  for (const [k, v] of params) state[k] = v;
  const output = h("div", { "aria-live": "polite" });

  const field = (name: string, text: string, input: HTMLInputElement | HTMLSelectElement) => {
    input.id = `wf-${name}`;
    input.name = name;
    input.value = state[name] ?? "";
    input.addEventListener("change", () => { state[name] = input.value.trim(); void load(); });
    return h("div", { class: "field" }, h("label", { for: input.id }, text), input);
  };
  const yesNo = () => h("select", {}, h("option", { value: "" }, "Any"), h("option", { value: "true" }, "Yes"), h("option", { value: "false" }, "No"));
  const controls = h("form", { class: "filters", "aria-label": "Workforce query" },
    me.states?.length === 1 ? null : field("state", "State", h("input", { maxlength: 2, size: 3, placeholder: "e.g. OR", autocomplete: "off" })),
    field("cohort", "Certification year", h("input", { type: "number", min: 1990, max: 2100, placeholder: "e.g. 2022" })),
    field("credential", "Credential", h("select", {}, h("option", { value: "" }, "Any"), vocab.credentials.map((c) => h("option", { value: c }, label(c))))),
    field("rural", "Rural", yesNo()),
    field("mhpsa", "Shortage area", yesNo()),
    field("from", "Period from", h("input", { type: "date" })),
    field("asOf", "As of", h("input", { type: "date" })));
  controls.addEventListener("submit", (e) => { e.preventDefault(); void load(); });

  let ticket = 0;
  async function load(): Promise<void> {
    const mine = ++ticket;
    remember("/workforce", state);
    const q = query({ ...state, state: state.state?.toUpperCase() });
    let s: Summary;
    try {
      s = await get<Summary>(`/api/workforce/summary${q}`);
    } catch (e) {
      if (mine !== ticket) return;
      replace(output, h("p", { class: "error", role: "alert" }, e instanceof Error ? e.message : String(e)));
      return;
    }
    if (mine !== ticket) return;
    // Downloads carry the query: in the drawing (words) and in the file name (export.ts).
    const file = downloadName("workforce", q);
    const csv = () => downloadCsv(`/api/workforce/summary${q}`, `${file}.csv`);
    const context = describeQuery(q, s.asOf);
    const sayCounts = (title: string, names: string[], values: (number | string | null | undefined)[]) =>
      `${title}. ${names.map((k, i) => `${k}: ${values[i] === null || values[i] === undefined ? "suppressed" : fmtNumber(values[i])}`).join("; ")}.`;
    const statuses = vocab.statuses;
    const monthly = chartFigure({ id: "headcount-chart", title: "Headcount by status, month by month", caption: `People certified by each month end, by status. Suppressed counts (under ${s.minCellSize}) are left out of the stack and listed below.`, csv, protection: s.protection?.note, context, file: `${file}-headcount` });
    const hiddenMonths = s.monthly.flatMap((m) => statuses.filter((st) => m.headcount[st] === null).map((st) => `${m.month} ${label(st)}`));
    monthly.set({
      legend: { top: 0, type: "scroll" },
      grid: { left: 56, right: 24, top: 48, bottom: 40 },
      tooltip: tooltip(),
      aria: { enabled: true, decal: { show: true } },
      xAxis: { type: "category", data: s.monthly.map((m) => m.month) },
      yAxis: { type: "value", name: "People", minInterval: 1 },
      series: statuses.map((st) => ({
        name: label(st), type: "line", stack: "headcount", areaStyle: {}, showSymbol: false,
        data: s.monthly.map((m) => num(m.headcount[st])),
      })),
    }, s.monthly.length === 0 ? undefined : sayCounts(`Headcount by status at ${s.monthly[s.monthly.length - 1].month}, the last month shown`,
      statuses.map(label), statuses.map((st) => s.monthly[s.monthly.length - 1].headcount[st])));
    const reasons = chartFigure({ id: "separations-chart", title: `Peer-job separations by reason, ${s.from} to ${s.asOf}`, csv, protection: s.protection?.note, context, file: `${file}-separations` });
    const reasonKeys = Object.keys(s.separationsByReason);
    reasons.set({
      grid: { left: 120, right: 24, top: 16, bottom: 32 },
      tooltip: tooltip({ trigger: "item" }),
      aria: { enabled: true, decal: { show: true } },
      xAxis: { type: "value", name: "Separations", minInterval: 1 },
      yAxis: { type: "category", data: reasonKeys.map(label) },
      series: [{
        name: "Separations", type: "bar", data: reasonKeys.map((r) => num(s.separationsByReason[r]) ?? suppressedBar()),
      }],
    }, sayCounts("Peer-job separations by reason", reasonKeys.map(label), reasonKeys.map((r) => s.separationsByReason[r])));
    // The ladder's order (the vocabulary's), then anything else the answer has (no tier).
    const ladder = vocab.tiers.filter((t) => t in s.tiers);
    const tierKeys = [...ladder, ...Object.keys(s.tiers).filter((t) => !ladder.includes(t))];
    const tierName = (t: string) => (t === "none" ? "No tier" : t);
    const tiers = chartFigure({ id: "tiers-chart", title: `Peer jobs held on ${s.asOf}, by tier`, csv, protection: s.protection?.note, context, file: `${file}-tiers` });
    tiers.set({
      grid: { left: 120, right: 24, top: 16, bottom: 32 },
      tooltip: tooltip({ trigger: "item" }),
      xAxis: { type: "value", name: "Jobs", minInterval: 1 },
      // The lowest rung at the top, as a ladder is read in a list.
      yAxis: { type: "category", data: tierKeys.map(tierName), inverse: true },
      series: [{ name: "Jobs", type: "bar", data: tierKeys.map((t) => num(s.tiers[t]) ?? suppressedBar()) }],
    }, sayCounts(`Peer jobs held on ${s.asOf}, by tier`, tierKeys.map(tierName), tierKeys.map((t) => s.tiers[t])));

    replace(output,
      h("div", { class: "grid" },
        h("div", { class: "card" }, h("h2", {}, `Headcount on ${s.asOf}`),
          h("dl", { class: "facts", "data-testid": "headcount" }, statuses.flatMap((st) => [h("dt", {}, label(st)), h("dd", {}, count(s.headcount[st]))]))),
        h("div", { class: "card" }, h("h2", {}, "Turnover"),
          h("dl", { class: "facts" },
            h("dt", {}, "Peer-job separations"), h("dd", {}, count(s.separations)),
            h("dt", {}, "Average in peer work"), h("dd", {}, s.averagePeerHeadcount === null || s.averagePeerHeadcount === undefined ? h("span", { class: "suppressed" }, "suppressed") : fmtNumber(s.averagePeerHeadcount, 1)),
            h("dt", {}, "Turnover rate"), h("dd", {}, s.turnoverRate === null ? h("span", { class: "suppressed" }, "suppressed") : fmtPercent(s.turnoverRate))),
          h("p", { class: "help" }, `Separations from peer jobs between ${s.from} and ${s.asOf}, divided by the average number of people in peer work at the month ends of the period.`),
          s.protection ? h("p", { class: "help protection", "data-testid": "workforce-protection" }, s.protection.note) : null),
        h("div", { class: "card" }, h("h2", {}, "Wages of jobs held"),
          reflow(h("table", { class: "data" },
            h("thead", {}, h("tr", {}, ["Job type", "Jobs", "Median hourly wage", "Full time"].map((c) => h("th", { scope: "col" }, c)))),
            h("tbody", {}, s.wages.map((w) => h("tr", {}, h("th", { scope: "row" }, label(w.jobType)),
              w.suppressed ? h("td", { class: "suppressed", colspan: 3 }, "suppressed") : [
                h("td", { class: "num" }, fmtNumber(w.jobs)), h("td", { class: "num" }, w.medianHourlyWage === null ? "—" : `$${fmtNumber(w.medianHourlyWage, 2)}`),
                h("td", { class: "num" }, fmtPercent(w.fullTimeShare))]))))))),
      monthly.element,
      hiddenMonths.length ? h("p", { class: "suppressed-note" }, h("span", { class: "badge suppressed" }, "Suppressed"), ` ${hiddenMonths.length} monthly counts: ${hiddenMonths.slice(0, 12).join(", ")}${hiddenMonths.length > 12 ? ", …" : ""}`) : null,
      h("div", { class: "grid two" }, reasons.element, tiers.element));
  }

  const page = h("section", {}, h("h1", {}, "Workforce"), filtersToggle(controls, "workforce-filters"), controls, output);
  whenShown(page, () => void load());
  return page;
}
