import { describe, expect, it } from "vitest";
import type { Schemas } from "../api";
import { MONTH_DAYS } from "../palette";
import { atRiskAt, describeCurves, kmOption, monthTicks, survivalAt } from "./km-chart";

const point = (day: number, atRisk: number, events: number, censored: number, survival: number): Schemas["PointView"] =>
  ({ day, atRisk, events, censored, survival, lower: survival - 0.1, upper: Math.min(1, survival + 0.1) });
// Ten people: one leaves at day 30, two are censored at day 100, one leaves at day 400.
const points = [point(30, 10, 1, 0, 0.9), point(100, 9, 0, 2, 0.9), point(400, 7, 1, 0, 0.9 * 6 / 7)];
const group = (key: string, pts = points, suppressed = false): Schemas["GroupCurve"] => ({
  key, n: 10, events: 2, censored: 2, suppressed, points: pts,
  median: { days: null, lower: null, upper: null },
  at: { "6": { day: 183, atRisk: 7, survival: 0.9, lower: 0.8, upper: 1 } },
});

describe("the number at risk", () => {
  it("is everyone at the start, then the risk set of the next point, and nothing past the last", () => {
    expect(atRiskAt(points, 10, 0)).toBe(10);
    expect(atRiskAt(points, 10, 30)).toBe(10);
    expect(atRiskAt(points, 10, 31)).toBe(9);
    expect(atRiskAt(points, 10, 6 * MONTH_DAYS)).toBe(7);   // the two censored at day 100 have left the risk set
    expect(atRiskAt(points, 10, 401)).toBeNull();
  });
});

describe("the estimate at a day", () => {
  it("is the step function's value, and nothing past the curve's end", () => {
    expect(survivalAt(points, 10)).toBe(1);
    expect(survivalAt(points, 30)).toBe(0.9);
    expect(survivalAt(points, 399)).toBe(0.9);
    expect(survivalAt(points, 500)).toBeNull();
  });
});

describe("kmOption", () => {
  const option = kmOption([group("OR"), group("WA", points, true)], (k) => `State ${k}`) as {
    series: { name: string; type: string; xAxisIndex?: number; data: unknown[] }[]; grid: unknown[]; xAxis: { max: number; interval: number }[];
    tooltip: { formatter: (p: { axisValue: number }[]) => string };
  };
  it("draws the number at risk on its own grid, aligned with the plot's months", () => {
    expect(option.grid).toHaveLength(2);
    expect(option.xAxis[0].max).toBe(option.xAxis[1].max);
    expect(option.xAxis[0].interval).toBe(option.xAxis[1].interval);
    const table = option.series.find((s) => s.xAxisIndex === 1)!;
    expect(table.data).toEqual([[0, "State OR", "10"], [6, "State OR", "7"], [12, "State OR", "7"], [18, "State OR", "–"]]);
  });
  it("marks censoring where people were censored, under the curve's name", () => {
    const marks = option.series.filter((s) => s.type === "scatter" && s.xAxisIndex !== 1);
    expect(marks).toHaveLength(1);
    expect(marks[0].name).toBe("State OR (n=10)");
    expect(marks[0].data).toEqual([[100 / MONTH_DAYS, 0.9]]);
  });
  it("lists a suppressed group in the legend without drawing it", () => {
    expect(option.series.filter((s) => s.name.startsWith("State WA")).map((s) => s.data.length)).toEqual([0]);
  });
  it("reads every group at the month pointed at, with units", () => {
    expect(option.tooltip.formatter([{ axisValue: 2 }])).toBe("2.0 months\nState OR (n=10): 90.0%, 9 at risk");
  });
});

describe("monthTicks", () => {
  it("steps by 6 months, or 12 past four years, to a whole step past the last point", () => {
    expect(monthTicks([group("a")])).toEqual({ interval: 6, max: 18, ticks: [0, 6, 12, 18] });
    expect(monthTicks([group("a", [point(60 * MONTH_DAYS, 5, 1, 0, 0.5)])]).interval).toBe(12);
  });
});

describe("describeCurves", () => {
  it("says each group's size, median and readings, and how many groups are hidden", () => {
    expect(describeCurves("Retention", [group("OR"), group("WA", points, true)], (k) => k, [6, 12])).toBe(
      "Retention. 1 curve. OR, 10 people: median not reached; 6 months 90.0%. 1 group too small to show.");
  });
});
