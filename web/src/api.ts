// Every call to the service: the session cookie (the browser sends it; writes add the session's CSRF token), the web
// channel for the audit trail, and RFC 9457 problem details turned into an ApiError the forms can show field by field.

import type { components, paths } from "./api-types";
import { session } from "./session";

// Types generated from the service's OpenAPI document (openapi/v1.json -> api-types.ts, `npm run types`): a page that
// reads a field the document does not have fails the build. Where the document has no schema, the page keeps a small
// hand-written type marked "not in the OpenAPI document".
export type Schemas = components["schemas"];
export type Me = Schemas["MeView"];
export type Vocabulary = Schemas["VocabularyView"];

/** The JSON body the document gives for POST <path>. */
export type PostBody<P extends keyof paths> =
  paths[P] extends { post: { requestBody?: { content: { "application/json": infer B } } } } ? B : never;

/** The JSON body the document gives for a GET <path> that succeeds (its 200). */
export type GetAnswer<P extends keyof paths> =
  paths[P] extends { get: { responses: { 200: { content: { "application/json": infer A } } } } } ? A : never;

/** The JSON body the document gives for a POST <path> that creates (its 201; its 200 there is an untyped IResult). */
export type PostCreated<P extends keyof paths> =
  paths[P] extends { post: { responses: { 201: { content: { "application/json": infer A } } } } } ? A : never;

// not in the OpenAPI document: the RFC 9457 problem details every endpoint answers with on an error (the document
// declares no error response but a 404 without a body)
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  rule?: string;
  field?: string;
  errors?: Record<string, string[]>;
  /** The other person a refusal is about (who already holds a certification number). */
  specialistId?: string;
}

export class ApiError extends Error {
  constructor(public readonly status: number, public readonly problem: Problem) {
    super(problem.detail || problem.title || `The service answered ${status}.`);
  }
}

type Method = "GET" | "POST" | "DELETE";

let onUnauthorized: (message: string) => void = () => {};
export function whenUnauthorized(handler: (message: string) => void): void {
  onUnauthorized = handler;
}

async function send(method: Method, path: string, body?: unknown, accept = "application/json", signedIn = session.me() !== null): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept, "X-Trajectories-Channel": "web" };
  const csrf = session.csrf();
  if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(path, { method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, { title: "The service cannot be reached.", detail: "The service cannot be reached; check that it is running and try again." });
  }
  if (response.ok) return response;
  const problem = await readProblem(response);
  // A session that ends mid-way (signed out elsewhere, idle, key revoked) sends the person back to sign in; a key
  // being tried does not.
  if (response.status === 401 && signedIn) onUnauthorized("Your session has ended; sign in again.");
  throw new ApiError(response.status, problem);
}

async function readProblem(response: Response): Promise<Problem> {
  const type = response.headers.get("Content-Type") ?? "";
  if (type.includes("json")) {
    try {
      return (await response.json()) as Problem;
    } catch {
      /* fall through */
    }
  }
  return { status: response.status, title: response.statusText, detail: `The service answered ${response.status} ${response.statusText}.` };
}

export async function get<T>(path: string): Promise<T> {
  return (await (await send("GET", path)).json()) as T;
}

export async function post<T>(path: string, body: unknown = {}): Promise<T> {
  const response = await send("POST", path, body);
  const text = await response.text();
  return (text ? JSON.parse(text) : {}) as T;
}

export async function del(path: string): Promise<void> {
  await send("DELETE", path);
}

/** What POST and GET /api/session answer: who is signed in, and the token writes send back. */
export type SessionView = Schemas["SessionView"];

/** Exchanges the key for the session cookie; the key itself is not kept. */
export async function signIn(key: string): Promise<Me> {
  const view = (await (await send("POST", "/api/session", { key }, "application/json", false)).json()) as SessionView;
  session.start(view.me, view.csrfToken);
  return view.me;
}

/** A tab that opens (or reloads) asks who is signed in; null when nobody is. */
export async function resume(): Promise<Me | null> {
  try {
    const view = (await (await send("GET", "/api/session", undefined, "application/json", false)).json()) as SessionView;
    session.start(view.me, view.csrfToken);
    return view.me;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

/** Ends the session on the server (every tab), then here. */
export async function signOut(): Promise<void> {
  try {
    await send("DELETE", "/api/session", undefined, "application/json", false);
  } finally {
    session.clear();
  }
}

/** The CSV the API gives for the same query (format=csv), as a file the browser saves. */
export async function downloadCsv(path: string, fileName: string): Promise<void> {
  const url = path + (path.includes("?") ? "&" : "?") + "format=csv";
  const blob = await (await send("GET", url, undefined, "text/csv")).blob();
  saveBlob(blob, fileName);
}

export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}
