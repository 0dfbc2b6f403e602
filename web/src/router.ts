// Routes live after '#': the service serves one index.html and needs no fallback route.
// #/specialists, #/specialists/<id>, #/retention?..., #/workforce?..., #/integrations, #/signin

import type { Me } from "./api";
import { can } from "./session";

export interface Route {
  path: string[];
  params: URLSearchParams;
}

let rerender: () => void = () => {};
export function onRender(handler: () => void): void {
  rerender = handler;
}

export function currentRoute(): Route {
  return parseRoute(location.hash);
}

/** "#/specialists/42?q=ann" -> path ["specialists", "42"], params q=ann; all after the first "?" is the query. */
export function parseRoute(hash: string): Route {
  const rest = hash.replace(/^#/, "");
  const at = rest.indexOf("?");
  const path = at < 0 ? rest : rest.slice(0, at);
  return { path: path.split("/").filter(Boolean), params: new URLSearchParams(at < 0 ? "" : rest.slice(at + 1)) };
}

/** The address of a page: empty parameters are left out, so the address keeps only what was chosen. */
export function target(path: string, params?: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v) q.set(k, v);
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ""}`;
}

export function go(path: string, params?: Record<string, string | undefined>): void {
  const t = target(path, params);
  if (location.hash === t) rerender();
  else location.hash = t;
}

/** Rewrites the address to match a page's controls without rendering again (so a reload or a shared link keeps them). */
export function remember(path: string, params: Record<string, string | undefined>): void {
  history.replaceState(null, "", target(path, params));
}

/**
 * Runs a page's first load once the page is on screen, and not at all if a newer navigation replaced it first
 * (otherwise the stale page would still rewrite the address and fetch for nothing).
 */
export function whenShown(page: HTMLElement, load: () => void): void {
  requestAnimationFrame(() => {
    if (page.isConnected) load();
  });
}

/** Where a role starts: the first section it may open. */
export function home(me: Me | null): string {
  if (!me) return "/signin";
  if (can.records(me)) return "/work";
  if (can.aggregates(me)) return "/retention";
  return "/integrations";
}

export type Resolved =
  | { redirect: string }
  | { page: "signin" | "work" | "specialists" | "retention" | "workforce" | "integrations" | "admin" | "not-found" }
  | { page: "person"; id: string };

/**
 * Which page a route shows to whom. Signed out, every route but sign-in goes to sign-in; a section the role may not
 * open is "not found" (the API would refuse its data anyway); the bare "#/" goes to the role's start page.
 */
export function resolve(route: Route, me: Me | null): Resolved {
  const [section, id] = route.path;
  if (section === "signin") return { page: "signin" };
  if (!me) return { redirect: "/signin" };
  if (!section) return { redirect: home(me) };
  if (section === "work" && can.records(me)) return { page: "work" };
  if (section === "specialists" && can.records(me)) return id ? { page: "person", id } : { page: "specialists" };
  if ((section === "retention" || section === "workforce") && can.aggregates(me)) return { page: section };
  if (section === "integrations" && can.integrations(me)) return { page: section };
  if (section === "admin" && can.admin(me)) return { page: section };
  return { page: "not-found" };
}
