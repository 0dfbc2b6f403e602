// Sign-in is an HttpOnly session cookie the service sets when the key is exchanged (POST /api/session): the key is
// sent once and never kept by the page, and the cookie reaches every tab of the browser. This module only remembers,
// in memory, who is signed in and the session's CSRF token, which every tab asks for when it opens
// (GET /api/session) and sends back with its writes.

import type { Me } from "./api";

let signedIn: Me | null = null;
let csrfToken: string | null = null;

const RETURN_TO = "trajectories.return-to";

export const session = {
  me(): Me | null {
    return signedIn;
  },
  csrf(): string | null {
    return csrfToken;
  },
  start(me: Me, csrf: string | null): void {
    signedIn = me;
    csrfToken = csrf;
  },
  clear(): void {
    signedIn = null;
    csrfToken = null;
  },
  /** The page a signed-out visitor asked for, to return to after signing in (this tab only). */
  rememberReturn(hash: string): void {
    if (hash && !hash.startsWith("#/signin")) sessionStorage.setItem(RETURN_TO, hash);
  },
  takeReturn(): string | null {
    const hash = sessionStorage.getItem(RETURN_TO);
    sessionStorage.removeItem(RETURN_TO);
    return hash;
  },
};

/** What each role may open; the API enforces the same, the app only hides what would be refused. */
export const can = {
  records: (me: Me) => me.role === "staff" || me.role === "admin",
  aggregates: (me: Me) => me.role === "analyst" || me.role === "admin",
  integrations: (me: Me) => me.role === "integration" || me.role === "admin",
  admin: (me: Me) => me.role === "admin",
};
