import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, get, post, query, resume, signIn, whenUnauthorized } from "./api";
import { session } from "./session";

// The session keeps the page to return to in session storage; a Map stands in for it outside a browser.
const stored = new Map<string, string>();
const storage = {
  getItem: (k: string) => stored.get(k) ?? null,
  setItem: (k: string, v: string) => void stored.set(k, v),
  removeItem: (k: string) => void stored.delete(k),
};

const fetchMock = vi.fn<typeof fetch>();
const json = (status: number, body: unknown, type = "application/json") =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": type } });

const me = { id: "k1", kind: "key", role: "staff", states: null };

beforeEach(() => {
  stored.clear();
  session.clear();
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
  it("send the cookie and the web channel, never a key, and the CSRF token with writes only", async () => {
    session.start(me, "csrf-1");
    fetchMock.mockImplementation(async () => json(200, { ok: 1 }));
    expect(await get<{ ok: number }>("/api/me")).toEqual({ ok: 1 });
    const read = fetchMock.mock.calls[0][1]!;
    const headers = read.headers as Record<string, string>;
    expect(headers.Authorization).toBeUndefined();
    expect(headers["X-CSRF-Token"]).toBeUndefined();
    expect(headers["X-Trajectories-Channel"]).toBe("web");
    expect(read.credentials).toBe("same-origin");
    await post("/api/specialists", {});
    expect((fetchMock.mock.calls[1][1]!.headers as Record<string, string>)["X-CSRF-Token"]).toBe("csrf-1");
  });

  it("exchange the key once and keep only who and the CSRF token", async () => {
    fetchMock.mockResolvedValue(json(200, { me, csrfToken: "csrf-2" }));
    expect(await signIn("trj_secret")).toEqual(me);
    expect(fetchMock.mock.calls[0][0]).toBe("/api/session");
    expect(fetchMock.mock.calls[0][1]!.body).toBe('{"key":"trj_secret"}');
    expect(session.csrf()).toBe("csrf-2");
    expect([...stored.values()].join()).not.toContain("trj_secret");
  });

  it("resume a session a tab opens with, and nobody when there is none", async () => {
    fetchMock.mockResolvedValueOnce(json(401, { detail: "No session." }));
    expect(await resume()).toBeNull();
    fetchMock.mockResolvedValueOnce(json(200, { me, csrfToken: "csrf-3" }));
    expect(await resume()).toEqual(me);
    expect(session.me()).toEqual(me);
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

  it("send the person back to sign in when the session ends, but not when nobody is signed in", async () => {
    const unauthorized = vi.fn();
    whenUnauthorized(unauthorized);
    fetchMock.mockImplementation(async () => json(401, { detail: "The key was revoked." }));
    await expect(get("/api/specialists")).rejects.toBeInstanceOf(ApiError);
    expect(unauthorized).not.toHaveBeenCalled();
    session.start(me, "csrf-4");
    await expect(get("/api/specialists")).rejects.toBeInstanceOf(ApiError);
    expect(unauthorized).toHaveBeenCalledWith("Your session has ended; sign in again.");
  });
});
