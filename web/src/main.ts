import "./styles.css";
import { resume, signOut, whenUnauthorized } from "./api";
import { h, replace } from "./dom";
import { can, session } from "./session";
import { signInPage } from "./pages/signin";
import { specialistsPage } from "./pages/specialists";
import { personPage } from "./pages/person";
import { retentionPage } from "./pages/retention";
import { workforcePage } from "./pages/workforce";
import { integrationsPage } from "./pages/integrations";
import { adminPage } from "./pages/admin";
import { workPage } from "./pages/work";
import { currentRoute, go, home, onRender, resolve, type Resolved, type Route } from "./router";

function renderNav(): void {
  const nav = document.getElementById("nav")!;
  const who = document.getElementById("who")!;
  const me = session.me();
  if (!me) {
    replace(nav);
    replace(who);
    return;
  }
  const section = currentRoute().path[0] ?? "";
  const link = (path: string, text: string) =>
    h("a", { href: `#/${path}`, "aria-current": section === path ? "page" : null }, text);
  replace(nav, h("ul", {},
    can.records(me) && h("li", {}, link("work", "To do")),
    can.records(me) && h("li", {}, link("specialists", "Specialists")),
    can.aggregates(me) && h("li", {}, link("retention", "Retention")),
    can.aggregates(me) && h("li", {}, link("workforce", "Workforce")),
    can.integrations(me) && h("li", {}, link("integrations", "Integrations")),
    can.admin(me) && h("li", {}, link("admin", "Admin"))));
  replace(who,
    h("span", { class: "role", "data-testid": "signed-in-role" }, me.role, me.states ? ` · ${me.states.join(", ")}` : " · all states"),
    h("button", { type: "button", class: "link", onclick: () => void signOut().finally(() => go("/signin")) }, "Sign out"));
}

let rendering = 0;
export async function render(): Promise<void> {
  const ticket = ++rendering;
  const main = document.getElementById("main")!;
  const route = currentRoute();
  const shown = resolve(route, session.me());
  if ("redirect" in shown) {
    // A signed-out visitor's page is opened again after signing in (a shared link, a new tab).
    if (shown.redirect === "/signin") session.rememberReturn(location.hash);
    go(shown.redirect);
    return;
  }
  renderNav();
  let page: HTMLElement;
  try {
    page = await build(shown, route);
  } catch (e) {
    page = h("section", {}, h("h1", {}, "Something went wrong"), h("p", { role: "alert", class: "error" }, e instanceof Error ? e.message : String(e)));
  }
  if (ticket !== rendering) return; // a newer navigation won
  replace(main, page);
  const heading = main.querySelector("h1");
  document.title = heading ? `${heading.textContent} · Trajectories` : "Trajectories";
}

function build(shown: Exclude<Resolved, { redirect: string }>, route: Route): Promise<HTMLElement> | HTMLElement {
  switch (shown.page) {
    case "signin": return signInPage();
    case "person": return personPage(shown.id);
    case "work": return workPage();
    case "specialists": return specialistsPage(route.params);
    case "retention": return retentionPage(route.params);
    case "workforce": return workforcePage(route.params);
    case "integrations": return integrationsPage(route.params);
    case "admin": return adminPage(route.params);
    case "not-found":
      return h("section", {}, h("h1", {}, "Not here"),
        h("p", {}, "This page does not exist or your role may not use it. ",
          h("a", { href: `#${home(session.me())}` }, "Go to your start page.")));
  }
}

onRender(() => void render());
whenUnauthorized((message) => {
  session.clear();
  session.rememberReturn(location.hash);
  sessionStorage.setItem("trajectories.signin-message", message);
  go("/signin");
});

window.addEventListener("hashchange", () => {
  void render().then(() => document.getElementById("main")?.focus({ preventScroll: true }));
});
// Who is signed in (the cookie is the browser's, so a new tab or a reload is still signed in), then the page.
void resume().catch(() => null).then(() => render());
