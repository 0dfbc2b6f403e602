import { describe, expect, it } from "vitest";
import { fieldValue, inFieldWords, options, placeProblem } from "./forms";

describe("fieldValue", () => {
  it("sends nothing for an empty or blank field, so the API decides whether it was required", () => {
    expect(fieldValue("text", "")).toBeUndefined();
    expect(fieldValue("number", "   ")).toBeUndefined();
    expect(fieldValue("yesno", "")).toBeUndefined();
  });

  it("sends numbers as numbers", () => {
    expect(fieldValue("number", " 17.50 ")).toBe(17.5);
    expect(fieldValue("number", "0")).toBe(0);
  });

  it("sends yes/no as a boolean", () => {
    expect(fieldValue("yesno", "true")).toBe(true);
    expect(fieldValue("yesno", "false")).toBe(false);
  });

  it("sends text, dates and choices trimmed, as text", () => {
    expect(fieldValue("text", "  Ann Lee ")).toBe("Ann Lee");
    expect(fieldValue("date", "2024-03-05")).toBe("2024-03-05");
    expect(fieldValue("select", "CPS")).toBe("CPS");
  });
});

describe("placeProblem", () => {
  const names = ["jobId", "hourlyWage", "effectiveOn"];

  it("puts each validation error beside the field it names", () => {
    const errors = { hourlyWage: ["Must be positive."], effectiveOn: ["Required.", "A date."] };
    const p = placeProblem({ errors }, "", names);
    expect([...p.fields]).toEqual([["hourlyWage", ["Must be positive."]], ["effectiveOn", ["Required.", "A date."]]]);
    expect(p.unplaced).toEqual([]);
    expect(p.summary).toBe("Please correct the fields marked below.");
  });

  it("matches the API's field names whatever their casing", () => {
    const p = placeProblem({ errors: { HourlyWage: ["Must be positive."] } }, "", names);
    expect(p.fields.get("hourlyWage")).toEqual(["Must be positive."]);
    expect(p.summary).toBe("Please correct the field marked below.");
  });

  it("shows a rule's detail beside the field the rule names", () => {
    const p = placeProblem({ rule: "job-not-held", field: "jobId", detail: "This job has ended." }, "", names);
    expect(p.fields.get("jobId")).toEqual(["This job has ended."]);
  });

  it("keeps messages for fields the form does not have above the form", () => {
    const p = placeProblem({ errors: { state: ["Not yours."], jobId: ["Unknown job."] } }, "", names);
    expect(p.unplaced).toEqual(["Not yours."]);
    expect([...p.fields.keys()]).toEqual(["jobId"]);
  });

  it("without field errors, says the detail, else the error's own message", () => {
    const fallback = "The service answered 409.";
    const detailed = placeProblem({ title: "Conflict", detail: "Already recorded." }, fallback, names);
    expect(detailed.summary).toBe("Already recorded.");
    expect(placeProblem({ title: "Conflict" }, fallback, names).summary).toBe(fallback);
  });
});

describe("options", () => {
  it("labels the API's words for people and keeps the words as values", () => {
    expect(options(["full-time", "partTime"])).toEqual([
      { value: "full-time", label: "Full time" },
      { value: "partTime", label: "Part time" },
    ]);
  });
});


describe("messages in the form's words", () => {
  it("name the field by its label and drop a date picker's format hint", () => {
    expect(inFieldWords("'certifiedOn' is required (YYYY-MM-DD).", "certifiedOn", "Certified on", "date"))
      .toBe("Certified on is required.");
    expect(inFieldWords("'hourlyWage' must be at least 7.25.", "hourlyWage", "Hourly wage (USD)", "number"))
      .toBe("Hourly wage (USD) must be at least 7.25.");
    expect(inFieldWords("Other text.", "x", "X", "text")).toBe("Other text.");
  });
});
