// The first thing on a person's page (issue 19): the career drawn over time. One lane for certification (with its
// lapses and renewals), one per job (coloured by job type, tier steps marked), one for disability pauses and
// lost-to-follow-up, one for check-ins (marks sized by exhaustion). Drawn from the timeline, nothing estimated.

import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams } from "echarts";
import { PALETTE, chartFigure, type Chart } from "../charts";
import { h, reflow } from "../dom";
import type { Trajectory } from "../trajectory";
import { word } from "../timeline";

const TYPE_COLOURS: Record<string, string> = { peer: PALETTE[0], clinical: PALETTE[1], "case-management": PALETTE[3] };
const colourOf = (jobType: string) => TYPE_COLOURS[jobType] ?? PALETTE[8];

/** The chart, and a table of every job (past ones too) under it. */
export function trajectoryFigure(t: Trajectory, today: string): HTMLElement {
  const lanes = ["Certification", ...t.jobs.map((j) => `${j.title} at ${j.employer}`), "Pauses and follow-up", "Check-ins"];
  const pauseLane = lanes.length - 2;
  const checkLane = lanes.length - 1;
  // [lane, start, end, colour, what]
  const spans: [number, string, string, string, string][] = [];
  if (t.certifiedOn) spans.push([0, t.certifiedOn, today, PALETTE[2], "certified"]);
  t.jobs.forEach((j, i) => spans.push([i + 1, j.start, j.end ?? today, colourOf(j.jobType), `${word(j.jobType)} job`]));
  for (const p of t.pauses) spans.push([pauseLane, p.start, p.end ?? today, PALETTE[5], "disability pause"]);
  const marks: { value: [string, number]; name: string; symbol: string; symbolSize: number; itemStyle: { color: string } }[] = [];
  t.jobs.forEach((j, i) => j.tiers.forEach((s) =>
    marks.push({ value: [s.on, i + 1], name: s.tier, symbol: "diamond", symbolSize: 12, itemStyle: { color: "#000" } })));
  for (const d of t.lapses) marks.push({ value: [d, 0], name: "certification lapsed", symbol: "triangle", symbolSize: 12, itemStyle: { color: PALETTE[5] } });
  for (const d of t.renewals) marks.push({ value: [d, 0], name: "certification renewed", symbol: "circle", symbolSize: 9, itemStyle: { color: "#000" } });
  for (const d of t.lost) marks.push({ value: [d, pauseLane], name: "lost to follow-up", symbol: "pin", symbolSize: 16, itemStyle: { color: PALETTE[7] } });
  for (const c of t.checkIns)
    marks.push({
      value: [c.on, checkLane], name: c.exhaustion === null ? "check-in" : `check-in, exhaustion ${c.exhaustion.toFixed(1)}`,
      symbol: "circle", symbolSize: 6 + 2 * (c.exhaustion ?? 0), itemStyle: { color: PALETTE[4] },
    });

  const figure: Chart = chartFigure({
    id: "trajectory", title: "Jobs, pauses, certification and check-ins",
    caption: "Each job from hire to leaving (colour: job type; ◆ a tier step), disability pauses and lost-to-follow-up, certification with its lapses (▲) and renewals, check-ins sized by exhaustion (0–6).",
    height: Math.max(220, 60 + 34 * lanes.length),
  });
  figure.set({
    grid: { left: 270, right: 24, top: 16, bottom: 40 },
    xAxis: { type: "time" },
    yAxis: { type: "category", data: lanes, inverse: true, axisLabel: { width: 260, overflow: "truncate" } },
    tooltip: { trigger: "item", renderMode: "richText" },
    series: [
      {
        type: "custom", name: "spans", data: spans,
        encode: { x: [1, 2], y: 0 },
        renderItem: (_: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI) => {
          const lane = api.value(0);
          const from = api.coord([api.value(1), lane]);
          const to = api.coord([api.value(2), lane]);
          const height = (api.size?.([0, 1]) as number[])[1] * 0.5;
          return {
            type: "rect",
            shape: { x: from[0], y: from[1] - height / 2, width: Math.max(to[0] - from[0], 2), height },
            style: { fill: String(api.value(3)), opacity: 0.85 },
          };
        },
        tooltip: { formatter: (p: { value: unknown }) => { const v = p.value as string[]; return `${v[4]}: ${v[1]} to ${v[2] === today ? "now" : v[2]}`; } },
      },
      { type: "scatter", name: "marks", data: marks, z: 3, tooltip: { formatter: (p: { name: string; value: unknown }) => `${p.name}: ${(p.value as string[])[0]}` } },
    ],
  });
  figure.element.setAttribute("aria-describedby", "job-history");
  return h("div", {}, figure.element, jobHistory(t));
}

function jobHistory(t: Trajectory): HTMLElement {
  if (t.jobs.length === 0) return h("p", { class: "muted", id: "job-history" }, "No job recorded yet.");
  return reflow(h("table", { class: "data", id: "job-history", "data-testid": "job-history" },
    h("caption", {}, "Every job, past ones too, oldest first."),
    h("thead", {}, h("tr", {}, ["Job", "Type", "Tiers", "From", "To", "Why it ended"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, t.jobs.map((j) => h("tr", {},
      h("td", {}, `${j.title} at ${j.employer}`), h("td", {}, word(j.jobType)),
      h("td", {}, j.tiers.map((s) => s.tier).join(" → ") || "—"),
      h("td", { class: "date" }, j.start), h("td", { class: "date" }, j.end ?? "now"),
      h("td", {}, j.reason ? `${word(j.reason)}${j.voluntary === null ? "" : j.voluntary ? " (voluntary)" : " (not voluntary)"}` : "—"))))));
}
