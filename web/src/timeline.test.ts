import { describe, expect, it } from "vitest";
import { kindOf, sentence, valueOf, word } from "./timeline";

const jobs = new Map([["j1", "Peer Specialist at Lane County BH"]]);

describe("timeline sentences", () => {
  it("say a hire as staff would", () => {
    expect(sentence("hired", {
      jobId: "j1", employer: "Lane County BH", title: "Peer Specialist", jobType: "peer", tier: "Peer I",
      hoursPerWeek: 30, hourlyWage: 19, startedOn: "2023-02-01",
    }, jobs)).toBe("Hired as Peer Specialist at Lane County BH: Peer, Peer I, 30 h/week, $19.00/h");
  });

  it("name the job a promotion or separation is about, and the reason in words", () => {
    expect(sentence("promoted", { jobId: "j1", tier: "Peer II", hourlyWage: 21.5 }, jobs))
      .toBe("Promoted to Peer II as Peer Specialist at Lane County BH, now $21.50/h");
    expect(sentence("separated", { jobId: "j1", reason: "health-disability", voluntary: true, note: null }, jobs))
      .toBe("Left Peer Specialist at Lane County BH: health disability, voluntary.");
  });

  it("give burnout scores with their scale, and keep acronyms", () => {
    expect(sentence("checked-in", { reportedStatus: "employed-peer", exhaustion: 4.2, cynicism: null, professionalEfficacy: 3 }, jobs))
      .toBe("Check-in: reported employed peer; burnout scores exhaustion 4.2, efficacy 3.0 (0–6)");
    expect(word("CADC")).toBe("CADC");
    expect(sentence("credential-earned", { credential: "CADC" }, jobs)).toBe("Earned the CADC credential");
  });

  it("say what a correction changed, on which entry", () => {
    expect(sentence("event-corrected", { eventId: "e1", changes: { hourlyWage: 19, startedOn: "2022-02-14" }, reason: "typo" },
      jobs, (id) => id === "e1" ? "the hire of Feb 1, 2023" : undefined))
      .toBe("Corrected the hire of Feb 1, 2023: hourly wage now $19.00/h, started on now 2022-02-14 (typo)");
    expect(valueOf("voluntary", false)).toBe("no");
  });

  it("sort entry types into the kinds a reader filters by", () => {
    expect(kindOf("hired")).toBe("jobs");
    expect(kindOf("checked-in")).toBe("check-ins");
    expect(kindOf("event-voided")).toBe("corrections");
    expect(kindOf("certified")).toBe("certification");
  });
});
