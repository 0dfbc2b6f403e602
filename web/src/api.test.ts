import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, get, post, query, whenUnauthorized } from "./api";

// The session keeps the key in session storage; a Map stands in for it outside a browser.
const stored = new Map<string, string>();
const storage = {
  getItem: (k: string) => stored.get(k) ?? null,
  setItem: (k: string, v: string) => void stored.set(k, v),
  removeItem: (k: string) => void stored.delete(k),
};

const fetchMock = vi.fn<typeof fetch>();
const json = (status: number, body: unknown, type = "application/json") =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": type } });

beforeEach(() => {
  stored.clear();
  vi.stubGlobal("sessionStorage", storage);
  vi.stubGlobal("fetch", fetchMock);
  fetchMock.mockReset();
});
afterEach(() => vi.unstubAllGlobals());

describe("query", () => {
  it("leaves out missing and empty values but keeps zero and false", () => {
    expect(query({ q: "", state: null, status: undefined, page: 0, rural: false })).toBe("?page=0&rural=false");
  });

  it("encodes values and gives nothing when nothing is left", () => {
    expect(query({ q: "Ann & Lee" })).toBe("?q=Ann+%26+Lee");
    expect(query({ q: "" })).toBe("");
  });
});

describe("ApiError", () => {
  it("reads best as the problem's detail, then its title, then the status", () => {
    expect(new ApiError(400, { title: "Bad", detail: "Wage too low." }).message).toBe("Wage too low.");
    expect(new ApiError(409, { title: "Conflict" }).message).toBe("Conflict");
    expect(new ApiError(502, {}).message).toBe("The service answered 502.");
  });
});

describe("requests", () => {
  it("send the signed-in key and the web channel", async () => {
    stored.set("trajectories.key", "trj_abc");
    fetchMock.mockResolvedValue(json(200, { ok: 1 }));
    expect(await get<{ ok: number }>("/api/me")).toEqual({ ok: 1 });
    const headers = fetchMock.mock.calls[0][1]!.headers as Record<string, string>;
    expect(headers.Authorization).toBe("Bearer trj_abc");
    expect(headers["X-Trajectories-Channel"]).toBe("web");
  });

  it("post JSON and read an empty answer as an empty object", async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 202 }));
    expect(await post("/api/ingest/rejections/r1/retry", { a: 1 })).toEqual({});
    const init = fetchMock.mock.calls[0][1]!;
    expect(init.method).toBe("POST");
    expect(init.body).toBe('{"a":1}');
  });

  it("turn problem details into an ApiError that carries them", async () => {
    const problem = { title: "Invalid", errors: { hourlyWage: ["Must be positive."] } };
    fetchMock.mockResolvedValue(json(400, problem, "application/problem+json"));
    const error = await post("/api/specialists/s1/hires", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).problem.errors).toEqual({ hourlyWage: ["Must be positive."] });
  });

  it("describe an answer that is not JSON by its status", async () => {
    fetchMock.mockResolvedValue(new Response("<html>", { status: 503, statusText: "Service Unavailable" }));
    await expect(get("/api/vocabulary")).rejects.toThrow("The service answered 503 Service Unavailable.");
  });

  it("say so when the service cannot be reached", async () => {
    fetchMock.mockRejectedValue(new TypeError("fetch failed"));
    const error = (await get("/api/vocabulary").catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(0);
    expect(error.message).toContain("cannot be reached");
  });

  it("sign the person out when a kept key stops working, but not when no key is kept", async () => {
    const unauthorized = vi.fn();
    whenUnauthorized(unauthorized);
    fetchMock.mockImplementation(async () => json(401, { detail: "The key was revoked." }));
    await expect(get("/api/specialists")).rejects.toBeInstanceOf(ApiError);
    expect(unauthorized).not.toHaveBeenCalled();
    stored.set("trajectories.key", "trj_revoked");
    await expect(get("/api/specialists")).rejects.toBeInstanceOf(ApiError);
    expect(unauthorized).toHaveBeenCalledWith("The key was revoked.");
  });
});
