import { describe, expect, it } from "vitest";
import type { Schemas } from "../api";
import { drawnReasons, panelColumns, reasonPanelsOption } from "./reasons-chart";

const group = (key: string, burnout: number | null): Schemas["ReasonsGroup"] => ({
  key, n: 50, suppressed: false, stillIn: 30, leavers: { burnout: 10, other: 10 }, at: {},
  points: [{ day: 100, atRisk: 50, survival: 0.8, incidence: { burnout, other: 0.1 } }],
} as unknown as Schemas["ReasonsGroup"]);

describe("reasons as small multiples", () => {
  const groups = [group("OR", 0.1), group("WA", null), group("TX", 0.3)];
  const option = reasonPanelsOption(groups, ["burnout", "other", "relocation"], (r) => r.toUpperCase(), (k) => `State ${k}`) as {
    grid: unknown[]; title: { text: string }[]; yAxis: { max: number }[]; series: { name: string; xAxisIndex: number; color: string; stack: string }[];
  };
  it("draws one panel per group, titled with the group and its size", () => {
    expect(option.grid).toHaveLength(3);
    expect(option.title.map((t) => t.text)).toEqual(["State OR (n=50)", "State WA (n=50)", "State TX (n=50)"]);
  });
  it("gives every panel the same scale, the largest stacked total rounded up", () => {
    expect(new Set(option.yAxis.map((y) => y.max))).toEqual(new Set([0.4]));
  });
  it("keeps a reason's colour in every panel and stacks each panel apart", () => {
    const burnout = option.series.filter((s) => s.name === "BURNOUT");
    expect(burnout.map((s) => s.xAxisIndex)).toEqual([0, 1, 2]);
    expect(new Set(burnout.map((s) => s.color)).size).toBe(1);
    expect(new Set(option.series.map((s) => s.stack)).size).toBe(3);
  });
  it("leaves out reasons no group drew", () => {
    expect(drawnReasons(["burnout", "other", "relocation"], groups)).toEqual(["burnout", "other"]);
    expect(panelColumns(1)).toBe(1);
    expect(panelColumns(4)).toBe(2);
    expect(panelColumns(9)).toBe(3);
  });
});
