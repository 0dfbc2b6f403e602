// The Kaplan-Meier figure as survminer draws it: step curves with their 95% bands, a + where people were censored,
// and the number at risk under the plot, one row per group, aligned with the months of the x axis. A tooltip reads
// every group at the month pointed at, and the description a screen reader hears says each group's median and its
// readings at the marks. Pure: the page hands the option to ECharts; the tests read it here.
import type { Schemas } from "../api";
import { MONTH_DAYS, PALETTE } from "../palette";

type Group = Schemas["GroupCurve"];
type Point = Schemas["PointView"];

const n = (v: number | string) => (typeof v === "number" ? v : Number(v));
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const months = (day: number) => day / MONTH_DAYS;

/**
 * The number at risk at a day, from a curve's points (one per time anyone left or was censored, or per month for
 * protected answers): everyone at the start, then the risk set of the first point at or after the day, since no one
 * leaves the risk set between points. Null past the last point drawn: the curve stopped there (fewer than the minimum
 * cell size at risk, or no follow-up), so no count is shown.
 */
export function atRiskAt(points: Point[], start: number, day: number): number | null {
  if (day <= 0) return start;
  const next = points.find((p) => n(p.day) >= day);
  return next ? next.atRisk : null;
}

/** The estimate at a day: the step function's value (1 before the first step), or null past the last point. */
export function survivalAt(points: Point[], day: number): number | null {
  if (points.length === 0 || day > n(points[points.length - 1].day)) return null;
  let value = 1;
  for (const p of points) {
    if (n(p.day) > day) break;
    value = n(p.survival);
  }
  return value;
}

/** The x axis's step in months (6, or 12 for follow-up past four years) and its end, shared by curve and table. */
export function monthTicks(groups: Group[]): { interval: number; max: number; ticks: number[] } {
  const last = Math.max(1, ...groups.filter((g) => !g.suppressed).flatMap((g) => g.points.map((p) => months(n(p.day)))));
  const interval = last > 48 ? 12 : 6;
  const max = Math.ceil(last / interval) * interval;
  return { interval, max, ticks: Array.from({ length: max / interval + 1 }, (_, i) => i * interval) };
}

/** The figure in words for a screen reader: each group's size and median, and its readings at the marks. */
export function describeCurves(title: string, groups: Group[], nameOf: (key: string) => string, marks: number[]): string {
  const shown = groups.filter((g) => !g.suppressed);
  const hidden = groups.length - shown.length;
  const parts = shown.map((g) => {
    const median = g.median?.days !== null && g.median?.days !== undefined ? `median ${months(n(g.median.days)).toFixed(1)} months` : "median not reached";
    const readings = marks.map((m) => {
      const at = g.at[String(m)] ?? null;
      return at ? `${m} months ${pct(n(at.survival))}` : null;
    }).filter((r) => r !== null);
    return `${nameOf(g.key)}, ${g.n} people: ${median}${readings.length > 0 ? `; ${readings.join(", ")}` : ""}.`;
  });
  const suppressed = hidden > 0 ? ` ${hidden} group${hidden === 1 ? "" : "s"} too small to show.` : "";
  return `${title}. ${shown.length} curve${shown.length === 1 ? "" : "s"}. ${parts.join(" ")}${suppressed}`;
}

/** Pixels a group's name needs on the left of the number-at-risk rows (and so of the plot, to keep them aligned). */
const leftFor = (names: string[]) => Math.min(220, Math.max(64, 36 + 7 * Math.max(0, ...names.map((s) => s.length))));
const ROW = 18;

/** The figure's height for a number of shown groups: the plot keeps its room, the table adds a row per group. */
export const kmHeight = (rows: number) => 420 + rows * ROW;

/** A filled plus, the censoring mark (ECharts fills symbols; a stroked "+" path would not show). */
const PLUS = "path://M4,0h2v4h4v2h-4v4h-2v-4h-4v-2h4z";

export function kmOption(groups: Group[], nameOf: (key: string) => string): Record<string, unknown> {
  const shown = groups.filter((g) => !g.suppressed);
  const names = shown.map((g) => `${nameOf(g.key)} (n=${g.n})`);
  const { interval, max, ticks } = monthTicks(groups);
  const left = leftFor(shown.map((g) => nameOf(g.key)));
  const tableHeight = Math.max(1, shown.length) * ROW;
  const series: unknown[] = [];
  const legend: string[] = [];
  groups.forEach((g) => {
    if (g.suppressed) {
      const name = `${nameOf(g.key)} (suppressed)`;
      legend.push(name);
      series.push({ name, type: "line", data: [], itemStyle: { color: "#999999" }, lineStyle: { type: "dotted" } });
    }
  });
  shown.forEach((g, i) => {
    const color = PALETTE[i % PALETTE.length];
    const name = names[i];
    legend.push(name);
    const pts = [{ day: 0, survival: 1, lower: 1, upper: 1 }, ...g.points];
    const curve = pts.map((p) => ({ x: months(n(p.day)), y: n(p.survival), lower: p.lower === null ? null : n(p.lower), upper: p.upper === null ? null : n(p.upper) }));
    const line = { name, type: "line", step: "end", showSymbol: false, xAxisIndex: 0, yAxisIndex: 0 };
    const band = { ...line, stack: `band-${i}`, lineStyle: { opacity: 0 }, silent: true, tooltip: { show: false } };
    series.push({ ...line, data: curve.map((p) => [p.x, p.y]), itemStyle: { color }, lineStyle: { width: 2, color }, z: 3 });
    series.push({ ...band, data: curve.map((p) => [p.x, p.lower ?? p.y]) });
    series.push({ ...band, data: curve.map((p) => [p.x, (p.upper ?? p.y) - (p.lower ?? p.y)]), areaStyle: { color, opacity: 0.18 } });
    // Censoring marks share the curve's name, so its legend entry shows and hides them with it.
    series.push({
      name, type: "scatter", symbol: PLUS, symbolSize: 8, itemStyle: { color }, silent: true, tooltip: { show: false }, z: 4,
      data: g.points.filter((p) => (p.censored ?? 0) > 0).map((p) => [months(n(p.day)), n(p.survival)]),
    });
    // The number at risk, as text on the table's grid: one row per group, at the axis's months.
    series.push({
      name, type: "scatter", xAxisIndex: 1, yAxisIndex: 1, symbolSize: 0, silent: true, tooltip: { show: false },
      label: { show: true, position: "inside", color, fontSize: 11, formatter: (p: { value: [number, string, string] }) => p.value[2] },
      data: ticks.map((t) => {
        const count = atRiskAt(g.points, g.n ?? 0, t * MONTH_DAYS);
        return [t, nameOf(g.key), count === null ? "–" : String(count)];
      }),
    });
  });
  const axis = { type: "value", min: 0, max, interval };
  return {
    legend: { top: 0, type: "scroll", data: legend },
    grid: [
      { left, right: 24, top: 48, bottom: tableHeight + 72 },
      { left, right: 24, height: tableHeight, bottom: 24 },
    ],
    tooltip: {
      trigger: "axis", renderMode: "richText", axisPointer: { type: "line" },
      // Every group at the month pointed at, with its unit, whichever series the pointer is nearest.
      formatter: (params: { axisValue: number }[]) => {
        const x = n(params[0]?.axisValue ?? 0);
        const rows = shown.map((g, i) => {
          const s = survivalAt(g.points, x * MONTH_DAYS);
          const r = atRiskAt(g.points, g.n ?? 0, x * MONTH_DAYS);
          return s === null ? null : `${names[i]}: ${pct(s)}${r === null ? "" : `, ${r} at risk`}`;
        }).filter((r) => r !== null);
        return [`${x.toFixed(1)} months`, ...rows].join("\n");
      },
    },
    xAxis: [
      { ...axis, gridIndex: 0, name: "Months", nameLocation: "middle", nameGap: 26, axisLabel: { hideOverlap: true, formatter: (v: number) => v.toFixed(0) } },
      { ...axis, gridIndex: 1, axisLabel: { show: false }, axisTick: { show: false }, axisLine: { show: false }, splitLine: { show: false } },
    ],
    yAxis: [
      { type: "value", gridIndex: 0, min: 0, max: 1, name: "Share", axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
      {
        // Inverse, so the first group is the top row; its "start" is then the top, where the table's title goes.
        type: "category", gridIndex: 1, inverse: true, data: shown.map((g) => nameOf(g.key)), name: "Number at risk",
        nameLocation: "start", nameGap: 8, nameTextStyle: { align: "left", fontWeight: "bold", padding: [0, 0, 0, -left + 8] },
        // The labels stand clear of the counts at month 0, which are centred on the axis.
        axisLabel: { margin: 22 }, axisTick: { show: false }, axisLine: { show: false }, splitLine: { show: false },
      },
    ],
    series,
  };
}
