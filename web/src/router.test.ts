import { describe, expect, it } from "vitest";
import type { Me } from "./api";
import { home, parseRoute, resolve, target } from "./router";

const as = (role: string, states: string[] | null = null): Me => ({ id: "k1", kind: "key", role, states });

describe("parseRoute", () => {
  it("splits the path after '#' and reads the query", () => {
    const r = parseRoute("#/specialists/0b5d?q=ann&page=2");
    expect(r.path).toEqual(["specialists", "0b5d"]);
    expect(r.params.get("q")).toBe("ann");
    expect(r.params.get("page")).toBe("2");
  });

  it("gives an empty path for no hash, '#' and '#/'", () => {
    for (const hash of ["", "#", "#/"]) expect(parseRoute(hash).path).toEqual([]);
  });

  it("ignores doubled and trailing slashes", () => {
    expect(parseRoute("#//retention/").path).toEqual(["retention"]);
  });

  it("keeps a '?' inside the query instead of cutting the query there", () => {
    expect(parseRoute("#/specialists?q=who?").params.get("q")).toBe("who?");
  });

  it("decodes what target() encoded", () => {
    const r = parseRoute(target("/integrations", { source: "urn:board:or", rule: "a b&c=d" }));
    expect(r.path).toEqual(["integrations"]);
    expect(r.params.get("source")).toBe("urn:board:or");
    expect(r.params.get("rule")).toBe("a b&c=d");
  });
});

describe("target", () => {
  it("leaves out empty and missing parameters", () => {
    expect(target("/retention", { view: "cohorts", state: "", groupBy: undefined })).toBe("#/retention?view=cohorts");
  });

  it("has no '?' when no parameter is left", () => {
    expect(target("/workforce", { asOf: "" })).toBe("#/workforce");
    expect(target("/workforce")).toBe("#/workforce");
  });
});

describe("home", () => {
  it("starts each role at the first section it may open", () => {
    expect(home(null)).toBe("/signin");
    expect(home(as("staff"))).toBe("/work");
    expect(home(as("admin"))).toBe("/work");
    expect(home(as("analyst"))).toBe("/retention");
    expect(home(as("integration"))).toBe("/integrations");
  });
});

describe("resolve", () => {
  const at = (hash: string, me: Me | null) => resolve(parseRoute(hash), me);

  it("sends a signed-out visitor to sign in from every page but sign-in", () => {
    expect(at("#/retention", null)).toEqual({ redirect: "/signin" });
    expect(at("#/", null)).toEqual({ redirect: "/signin" });
    expect(at("#/signin", null)).toEqual({ page: "signin" });
  });

  it("sends the bare address to the role's start page", () => {
    expect(at("#/", as("analyst"))).toEqual({ redirect: "/retention" });
    expect(at("", as("integration"))).toEqual({ redirect: "/integrations" });
  });

  it("opens a person's page from its id", () => {
    expect(at("#/specialists/0b5d", as("staff"))).toEqual({ page: "person", id: "0b5d" });
    expect(at("#/specialists", as("staff"))).toEqual({ page: "specialists" });
  });

  it("shows only the sections a role may open", () => {
    expect(at("#/specialists/0b5d", as("analyst"))).toEqual({ page: "not-found" });
    expect(at("#/retention", as("staff"))).toEqual({ page: "not-found" });
    expect(at("#/workforce", as("integration"))).toEqual({ page: "not-found" });
    expect(at("#/integrations", as("analyst"))).toEqual({ page: "not-found" });
    expect(at("#/admin", as("admin"))).toEqual({ page: "admin" });
    expect(at("#/work", as("staff"))).toEqual({ page: "work" });
    expect(at("#/work", as("analyst"))).toEqual({ page: "not-found" });
    expect(at("#/admin?view=activity", as("staff"))).toEqual({ page: "not-found" });
    expect(at("#/workforce?state=OR", as("analyst"))).toEqual({ page: "workforce" });
    expect(at("#/integrations", as("integration"))).toEqual({ page: "integrations" });
  });

  it("lets an admin open every section", () => {
    for (const page of ["specialists", "retention", "workforce", "integrations"] as const) {
      expect(at(`#/${page}`, as("admin"))).toEqual({ page });
    }
  });

  it("says 'not found' for an unknown section", () => {
    expect(at("#/reports", as("admin"))).toEqual({ page: "not-found" });
  });
});
