import { describe, expect, it } from "vitest";
import { describeQuery, groupName, valueName } from "./query-words";

describe("valueName and groupName", () => {
  it("say values as people do", () => {
    expect(valueName("credential", "adult-peer")).toBe("Adult peer");
    expect(valueName("rural", "true")).toBe("Yes");
    expect(valueName("tier", "none")).toBe("No tier");
    expect(valueName("tier", "Peer II")).toBe("Peer II");
    expect(valueName("state", "OR")).toBe("OR");
    expect(valueName("credential", "CADC")).toBe("CADC");
  });
  it("name a yes/no group with its question, and the one group everyone", () => {
    expect(groupName("rural", "false")).toBe("Rural: No");
    expect(groupName("credential", "youth-peer")).toBe("Youth peer");
    expect(groupName(null, "all")).toBe("Everyone");
    expect(groupName("cohort", "2022")).toBe("2022");
  });
});

describe("describeQuery", () => {
  it("writes the filters, the other choices and the as-of date as lines", () => {
    expect(describeQuery("?state=OR&credential=adult-peer&groupBy=rural&asOf=2025-01-01", "2024-12-31")).toEqual([
      "Filters: State: OR · Credential: Adult peer",
      "Grouped by: Rural",
      "As of 2024-12-31",
    ]);
  });
  it("says when nothing was filtered", () => {
    expect(describeQuery("", "2026-11-30")).toEqual(["Filters: none (everyone the key may see)", "As of 2026-11-30"]);
  });
});
