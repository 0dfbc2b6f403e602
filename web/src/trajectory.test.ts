import { describe, expect, it } from "vitest";
import { trajectory } from "./trajectory";

const e = (type: string, effectiveOn: string, data: object = {}, voided = false) => ({ type, effectiveOn, data, voided });

describe("a career drawn from the timeline", () => {
  it("spans each job from hire to separation with its tier steps, and leaves voided entries out", () => {
    const t = trajectory([
      e("certified", "2021-01-10"),
      e("hired", "2021-03-01", { jobId: "a", title: "Peer", employer: "E", jobType: "peer", tier: "Peer I" }),
      e("promoted", "2022-01-01", { jobId: "a", tier: "Peer II" }),
      e("separated", "2023-05-31", { jobId: "a", reason: "burnout", voluntary: true }),
      e("hired", "2023-07-01", { jobId: "b", title: "Case manager", employer: "F", jobType: "clinical" }),
      e("promoted", "2023-09-01", { jobId: "b", tier: "Lead Peer" }, true),
    ]);
    expect(t.certifiedOn).toBe("2021-01-10");
    expect(t.jobs.map((j) => [j.jobId, j.start, j.end, j.reason])).toEqual([
      ["a", "2021-03-01", "2023-05-31", "burnout"], ["b", "2023-07-01", null, null]]);
    expect(t.jobs[0].tiers).toEqual([{ on: "2021-03-01", tier: "Peer I" }, { on: "2022-01-01", tier: "Peer II" }]);
    expect(t.jobs[1].tiers).toEqual([]);
  });

  it("pairs pauses, and keeps lapses, renewals, losses and check-ins with their scores", () => {
    const t = trajectory([
      e("disability-pause-started", "2022-02-01", { reason: "surgery" }),
      e("disability-pause-ended", "2022-04-01"),
      e("disability-pause-started", "2023-01-01", { reason: "x" }),
      e("certification-lapsed", "2023-02-01"), e("certification-renewed", "2023-03-01"),
      e("checked-in", "2022-06-01", { reportedStatus: "employed-peer", exhaustion: 4.5 }),
      e("lost-to-follow-up", "2024-01-01"),
    ]);
    expect(t.pauses).toEqual([{ start: "2022-02-01", end: "2022-04-01" }, { start: "2023-01-01", end: null }]);
    expect([t.lapses, t.renewals, t.lost]).toEqual([["2023-02-01"], ["2023-03-01"], ["2024-01-01"]]);
    expect(t.checkIns).toEqual([{ on: "2022-06-01", exhaustion: 4.5, status: "employed-peer" }]);
  });
});
