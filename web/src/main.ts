import "./styles.css";
import { whenUnauthorized } from "./api";
import { h, replace } from "./dom";
import { can, session } from "./session";
import { signInPage } from "./pages/signin";
import { specialistsPage } from "./pages/specialists";
import { personPage } from "./pages/person";
import { retentionPage } from "./pages/retention";
import { workforcePage } from "./pages/workforce";
import { integrationsPage } from "./pages/integrations";
import { currentRoute, go, onRender } from "./router";

function home(): string {
  const me = session.me();
  if (!me) return "/signin";
  if (can.records(me)) return "/specialists";
  if (can.aggregates(me)) return "/retention";
  return "/integrations";
}

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
    can.records(me) && h("li", {}, link("specialists", "Specialists")),
    can.aggregates(me) && h("li", {}, link("retention", "Retention")),
    can.aggregates(me) && h("li", {}, link("workforce", "Workforce")),
    can.integrations(me) && h("li", {}, link("integrations", "Integrations"))));
  replace(who,
    h("span", { class: "role", "data-testid": "signed-in-role" }, me.role, me.states ? ` · ${me.states.join(", ")}` : " · all states"),
    h("button", { type: "button", class: "link", onclick: () => { session.signOut(); go("/signin"); } }, "Sign out"));
}

let rendering = 0;
export async function render(): Promise<void> {
  const ticket = ++rendering;
  const main = document.getElementById("main")!;
  const route = currentRoute();
  const me = session.me();
  if (!me && route.path[0] !== "signin") {
    go("/signin");
    return;
  }
  renderNav();
  const [section, id] = route.path;
  let page: HTMLElement;
  try {
    if (section === "signin") page = signInPage();
    else if (!me) return;
    else if (section === "specialists" && id && can.records(me)) page = await personPage(id);
    else if (section === "specialists" && can.records(me)) page = await specialistsPage(route.params);
    else if (section === "retention" && can.aggregates(me)) page = await retentionPage(route.params);
    else if (section === "workforce" && can.aggregates(me)) page = await workforcePage(route.params);
    else if (section === "integrations" && can.integrations(me)) page = await integrationsPage(route.params);
    else if (!section) { go(home()); return; }
    else page = h("section", {}, h("h1", {}, "Not here"), h("p", {}, "This page does not exist or your role may not use it. ", h("a", { href: `#${home()}` }, "Go to your start page.")));
  } catch (e) {
    page = h("section", {}, h("h1", {}, "Something went wrong"), h("p", { role: "alert", class: "error" }, e instanceof Error ? e.message : String(e)));
  }
  if (ticket !== rendering) return; // a newer navigation won
  replace(main, page);
  const heading = main.querySelector("h1");
  document.title = heading ? `${heading.textContent} · Trajectories` : "Trajectories";
}

onRender(() => void render());
whenUnauthorized((message) => {
  session.signOut();
  sessionStorage.setItem("trajectories.signin-message", message);
  go("/signin");
});

window.addEventListener("hashchange", () => {
  void render().then(() => document.getElementById("main")?.focus({ preventScroll: true }));
});
void render();
