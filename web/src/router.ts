// Routes live after '#': the service serves one index.html and needs no fallback route.
// #/specialists, #/specialists/<id>, #/retention?..., #/workforce?..., #/integrations, #/signin

export interface Route {
  path: string[];
  params: URLSearchParams;
}

let rerender: () => void = () => {};
export function onRender(handler: () => void): void {
  rerender = handler;
}

export function currentRoute(): Route {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, search] = hash.split("?", 2);
  return { path: path.split("/").filter(Boolean), params: new URLSearchParams(search ?? "") };
}

function target(path: string, params?: Record<string, string | undefined>): string {
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
