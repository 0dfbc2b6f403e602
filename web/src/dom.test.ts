import { describe, expect, it } from "vitest";
import { fmtDate, fmtDateTime, fmtNumber, fmtPercent, label, num, uid } from "./dom";

describe("fmtDate", () => {
  it("keeps the date of an ISO date-time", () => {
    expect(fmtDate("2024-03-05T23:59:00Z")).toBe("2024-03-05");
    expect(fmtDate("2024-03-05")).toBe("2024-03-05");
  });

  it("shows nothing for no date", () => {
    expect(fmtDate(null)).toBe("");
    expect(fmtDate(undefined)).toBe("");
  });
});

describe("fmtDateTime", () => {
  it("shows the instant in UTC to the minute", () => {
    expect(fmtDateTime("2024-03-05T10:07:45+02:00")).toBe("2024-03-05 08:07 UTC");
    expect(fmtDateTime("2023-12-31T23:30:00-01:00")).toBe("2024-01-01 00:30 UTC");
  });

  it("shows a value it cannot read as it is", () => {
    expect(fmtDateTime("yesterday")).toBe("yesterday");
    expect(fmtDateTime(null)).toBe("");
  });
});

describe("num", () => {
  it("reads a number the OpenAPI document allows as a string as the number it spells", () => {
    expect(num(12)).toBe(12);
    expect(num("12")).toBe(12);
    expect(num("-0.25")).toBe(-0.25);
  });

  it("keeps no number as null", () => {
    expect(num(null)).toBeNull();
    expect(num(undefined)).toBeNull();
  });
});

describe("fmtNumber", () => {
  it("groups thousands and rounds to the digits asked for", () => {
    expect(fmtNumber(1234567)).toBe("1,234,567");
    expect(fmtNumber(1234.5)).toBe("1,235");
    expect(fmtNumber(17.256, 2)).toBe("17.26");
  });

  it("pads to the digits asked for (wages show cents)", () => {
    expect(fmtNumber(18, 2)).toBe("18.00");
  });

  it("shows zero, but nothing for a missing value", () => {
    expect(fmtNumber(0)).toBe("0");
    expect(fmtNumber(null)).toBe("");
    expect(fmtNumber(undefined)).toBe("");
  });

  it("formats a number the document allows as a string like the number", () => {
    expect(fmtNumber("1234567")).toBe("1,234,567");
    expect(fmtNumber("17.256", 2)).toBe("17.26");
  });
});

describe("fmtPercent", () => {
  it("turns a share into a percentage with one decimal by default", () => {
    expect(fmtPercent(0.1234)).toBe("12.3%");
    expect(fmtPercent(0.5, 0)).toBe("50%");
    expect(fmtPercent(1)).toBe("100.0%");
  });

  it("shows a zero share, but nothing for a missing one", () => {
    expect(fmtPercent(0)).toBe("0.0%");
    expect(fmtPercent(null)).toBe("");
  });

  it("turns a share the document allows as a string into the same percentage", () => {
    expect(fmtPercent("0.1234")).toBe("12.3%");
  });
});

describe("label", () => {
  it("turns the API's kebab-case and camelCase words into a sentence-case label", () => {
    expect(label("employed-peer")).toBe("Employed peer");
    expect(label("notEmployed")).toBe("Not employed");
    expect(label("lost-to-follow-up")).toBe("Lost to follow up");
  });
});

describe("uid", () => {
  it("never gives the same id twice", () => {
    const a = uid("form");
    const b = uid("form");
    expect(a).toMatch(/^form-\d+$/);
    expect(b).not.toBe(a);
  });
});
