// The key lives in session storage: it is gone when the tab closes, and never written to local storage or cookies.

import type { Me } from "./api";

const KEY = "trajectories.key";
const ME = "trajectories.me";

export const session = {
  key(): string | null {
    return sessionStorage.getItem(KEY);
  },
  me(): Me | null {
    const raw = sessionStorage.getItem(ME);
    return raw ? (JSON.parse(raw) as Me) : null;
  },
  signIn(key: string, me: Me): void {
    sessionStorage.setItem(KEY, key);
    sessionStorage.setItem(ME, JSON.stringify(me));
  },
  signOut(): void {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(ME);
  },
};

/** What each role may open; the API enforces the same, the app only hides what would be refused. */
export const can = {
  records: (me: Me) => me.role === "staff" || me.role === "admin",
  aggregates: (me: Me) => me.role === "analyst" || me.role === "admin",
  integrations: (me: Me) => me.role === "integration" || me.role === "admin",
};
