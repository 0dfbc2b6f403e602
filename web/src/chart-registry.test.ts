import { describe, expect, it } from "vitest";
import { ChartRegistry, type Tracked } from "./chart-registry";

class FakeChart implements Tracked {
  inPage = true;
  disposals = 0;
  attached(): boolean {
    return this.inPage;
  }
  dispose(): void {
    this.disposals += 1;
  }
}

function registry() {
  const calls: string[] = [];
  const charts = new ChartRegistry<FakeChart>({ start: () => calls.push("start"), stop: () => calls.push("stop") });
  return { charts, calls };
}

describe("ChartRegistry", () => {
  it("disposes the charts whose figure left the page and keeps the others", () => {
    const { charts } = registry();
    const kept = new FakeChart();
    const gone = new FakeChart();
    charts.add(kept);
    charts.add(gone);
    gone.inPage = false;
    expect(charts.sweep()).toBe(1);
    expect(gone.disposals).toBe(1);
    expect(kept.disposals).toBe(0);
    expect(charts.size).toBe(1);
  });

  it("disposes a chart only once however often it sweeps", () => {
    const { charts } = registry();
    const chart = new FakeChart();
    charts.add(chart);
    chart.inPage = false;
    charts.sweep();
    charts.sweep();
    expect(chart.disposals).toBe(1);
  });

  it("watches the document only while a chart is alive", () => {
    const { charts, calls } = registry();
    const a = new FakeChart();
    const b = new FakeChart();
    charts.add(a);
    charts.add(b);
    expect(calls).toEqual(["start"]);
    a.inPage = false;
    charts.sweep();
    expect(calls).toEqual(["start"]);
    b.inPage = false;
    charts.sweep();
    expect(calls).toEqual(["start", "stop"]);
  });

  it("watches again when a chart comes after the last one went", () => {
    const { charts, calls } = registry();
    const first = new FakeChart();
    charts.add(first);
    first.inPage = false;
    charts.sweep();
    charts.add(new FakeChart());
    expect(calls).toEqual(["start", "stop", "start"]);
  });

  it("does not stop watching on a sweep that disposed nothing", () => {
    const { charts, calls } = registry();
    expect(charts.sweep()).toBe(0);
    expect(calls).toEqual([]);
  });
});
