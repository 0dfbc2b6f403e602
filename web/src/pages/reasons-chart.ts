// Reasons for leaving as stacked cumulative incidence: one group on its own, or every group as small multiples (one
// panel per group, the same axes and the same colour for a reason in every panel, so the panels compare at a glance).
// Pure option builders, tested without a browser.
import type { Schemas } from "../api";
import { IN_MONTHS, MONTH_DAYS, PALETTE } from "../palette";

type Group = Schemas["ReasonsGroup"];
type Point = Schemas["IncidenceView"];

const n = (v: number | string) => (typeof v === "number" ? v : Number(v));
const months = (day: number) => day / MONTH_DAYS;

/** The group's points from its start (everyone in peer work, no one left). */
const fromStart = (g: Group): Point[] => [{ day: 0, atRisk: g.n ?? 0, survival: 1, incidence: {} }, ...g.points];

/** The reasons that any of the groups drew (a reason hidden with its count has no curve). */
export function drawnReasons(reasons: string[], groups: Group[]): string[] {
  return reasons.filter((r) => groups.some((g) => g.points.some((p) => p.incidence[r] !== null && p.incidence[r] !== undefined)));
}

const colourOf = (reasons: string[], r: string) => PALETTE[reasons.indexOf(r) % PALETTE.length];

function stack(g: Group, reasons: string[], all: string[], nameOf: (r: string) => string, panel: number) {
  const pts = fromStart(g);
  return reasons.map((r) => ({
    name: nameOf(r), type: "line", step: "end", stack: `cif-${panel}`, showSymbol: false, areaStyle: {},
    color: colourOf(all, r), xAxisIndex: panel, yAxisIndex: panel,
    data: pts.map((p) => [months(n(p.day)), n(p.incidence[r] ?? 0)]),
  }));
}

const percent = (v: number) => `${Math.round(v * 100)}%`;

/** One group's stacked incidence. */
export function reasonsOption(g: Group, all: string[], nameOf: (r: string) => string): Record<string, unknown> {
  return {
    legend: { top: 0, type: "scroll" },
    grid: { left: 56, right: 24, top: 48, bottom: 48 },
    aria: { decal: { show: true } },
    xAxis: { type: "value", name: "Months in peer work", nameLocation: "middle", nameGap: 28, min: 0, interval: 6, axisPointer: IN_MONTHS },
    yAxis: { type: "value", min: 0, name: "Share who left", axisLabel: { formatter: percent } },
    series: stack(g, drawnReasons(all, [g]), all, nameOf, 0),
  };
}

/** Panels per row for a number of groups. */
export const panelColumns = (groups: number) => (groups <= 1 ? 1 : groups <= 4 ? 2 : 3);
const PANEL = 200;   // px: a panel's height with its title
/** The figure's height for a number of groups drawn as panels. */
export const panelsHeight = (groups: number) => 80 + Math.ceil(groups / panelColumns(groups)) * PANEL;

/**
 * Every group in a panel of its own, laid out in rows of two or three, titled with the group and its size, on the
 * same y scale (the largest stacked total of any panel), so a taller stack is more leaving.
 */
export function reasonPanelsOption(groups: Group[], all: string[], nameOf: (r: string) => string, groupNameOf: (key: string) => string): Record<string, unknown> {
  const cols = panelColumns(groups.length);
  const reasons = drawnReasons(all, groups);
  const top = 40;
  const width = 100 / cols;
  const layout = groups.map((_, i) => ({ col: i % cols, row: Math.floor(i / cols) }));
  const highest = Math.max(0.05, ...groups.flatMap((g) => g.points.map((p) => reasons.reduce((s, r) => s + n(p.incidence[r] ?? 0), 0))));
  const yStep = highest > 0.4 ? 0.2 : 0.1;
  const yMax = Math.min(1, Math.ceil(highest / yStep - 1e-9) * yStep);
  // The same months on every panel too: the longest follow-up, to a whole year.
  const xMax = 12 * Math.max(1, Math.ceil(Math.max(0, ...groups.flatMap((g) => g.points.map((p) => months(n(p.day))))) / 12));
  return {
    legend: { top: 0, type: "scroll", data: reasons.map(nameOf) },
    aria: { decal: { show: true } },
    title: groups.map((g, i) => ({
      text: `${groupNameOf(g.key)} (n=${g.n})`, textStyle: { fontSize: 12, fontWeight: "bold" },
      left: `${layout[i].col * width + 1}%`, top: top + layout[i].row * PANEL,
    })),
    grid: groups.map((_, i) => ({
      left: `${layout[i].col * width + 6}%`, width: `${width - 9}%`, top: top + layout[i].row * PANEL + 28, height: PANEL - 70,
    })),
    xAxis: groups.map((_, i) => ({
      type: "value", gridIndex: i, min: 0, max: xMax, interval: 12, name: layout[i].row === Math.ceil(groups.length / cols) - 1 ? "Months" : "",
      nameLocation: "middle", nameGap: 22, axisPointer: IN_MONTHS,
    })),
    yAxis: groups.map((_, i) => ({ type: "value", gridIndex: i, min: 0, max: yMax, interval: yStep, axisLabel: { formatter: percent } })),
    series: groups.flatMap((g, i) => stack(g, reasons, all, nameOf, i)),
  };
}
