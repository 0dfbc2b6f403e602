import { describe, expect, it } from "vitest";
import type { Vocabulary } from "../api";
import { eventForms } from "./events";

const vocab: Vocabulary = {
  credentials: ["CPS", "CRPS"], jobTypes: ["peer-support"], separationReasons: ["moved"],
  reportedStatuses: ["employed-peer"], statuses: ["in-peer-work"], tiers: ["I", "II"], retentionFilters: [],
};
const forms = eventForms(vocab, [{ jobId: "j1", employer: "Clinic", title: "Peer specialist" }]);
const byKind = (kind: string) => forms.find((f) => f.kind === kind)!;
const field = (kind: string, name: string) => byKind(kind).fields.find((f) => f.name === name)!;

describe("eventForms", () => {
  it("has one form per event kind, each posting to its own path", () => {
    expect(new Set(forms.map((f) => f.kind)).size).toBe(forms.length);
    expect(new Set(forms.map((f) => f.path)).size).toBe(forms.length);
  });

  it("offers the person's jobs by employer and title", () => {
    expect(field("promoted", "jobId").options).toEqual([{ value: "j1", label: "Clinic — Peer specialist" }]);
  });

  it("requires the job, except on a return to work (the job may have ended during the pause)", () => {
    expect(field("separated", "jobId").required).toBe(true);
    expect(field("returned-to-work", "jobId").required).toBe(false);
  });

  it("names the ladder's first tier as the default for a hire", () => {
    expect(field("hired", "tier").help).toBe("Peer jobs start at I unless another tier is given.");
  });
});
