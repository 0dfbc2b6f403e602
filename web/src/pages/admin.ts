import { ApiError, del, get, post, query, type GetAnswer, type Schemas } from "../api";
import { confirmSaved, fmtDateTime, h, replace, reflow } from "../dom";
import { remember, whenShown } from "../router";

type Key = Schemas["ApiKeyView"];
type Created = Schemas["CreatedKey"];
type Activity = GetAnswer<"/api/audit/activity">;

const ROLES: Record<string, string> = {
  staff: "Staff: reads and records people in its states",
  analyst: "Analyst: protected figures only",
  integration: "Integration: sends events for its states",
  admin: "Admin: everything, including keys and erasure",
};

/** Problem details in a sentence: each field's message, or the detail. */
function problemText(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = Object.values(e.problem.errors ?? {}).flat();
    return fields.length > 0 ? fields.join(" ") : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

/**
 * The admin's screens (issue 19, item 7): keys (create, with the key shown once; list; revoke, with a confirmation
 * that says what stops) and the audit trail (who recorded what, by key, person and day). Erasure is on the person's
 * page, where the person is named.
 */
export async function adminPage(params: URLSearchParams): Promise<HTMLElement> {
  const view = params.get("view") === "activity" ? "activity" : "keys";
  const tabs = h("nav", { class: "tabs", "aria-label": "Admin" },
    h("a", { href: "#/admin?view=keys", "aria-current": view === "keys" ? "page" : null }, "Keys"),
    h("a", { href: "#/admin?view=activity", "aria-current": view === "activity" ? "page" : null }, "Activity"));
  const body = view === "keys" ? await keysView() : await activityView(params);
  return h("section", {}, h("h1", {}, "Admin"), tabs, body);
}

async function keysView(): Promise<HTMLElement> {
  const list = h("div", { "aria-live": "polite" });
  const shownOnce = h("div", { "aria-live": "assertive" });
  const includeRevoked = h("input", { type: "checkbox", id: "keys-revoked" });

  const name = h("input", { id: "key-name", required: true, maxlength: 100, autocomplete: "off" });
  const role = h("select", { id: "key-role" }, Object.entries(ROLES).map(([value, text]) => h("option", { value }, text)));
  const states = h("input", { id: "key-states", placeholder: "e.g. OR, WA (empty: all states)", autocomplete: "off" });
  const sources = h("input", { id: "key-sources", placeholder: "e.g. urn:board:or (integration keys)", autocomplete: "off" });
  const error = h("p", { class: "error", role: "alert", "data-testid": "key-error" });
  const form = h("form", { class: "filters", "aria-label": "Create a key", "data-testid": "create-key" },
    h("div", { class: "field" }, h("label", { for: "key-name" }, "Name (who or what uses it)"), name),
    h("div", { class: "field" }, h("label", { for: "key-role" }, "Role"), role),
    h("div", { class: "field" }, h("label", { for: "key-states" }, "States"), states),
    h("div", { class: "field" }, h("label", { for: "key-sources" }, "Event sources"), sources),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Create key")), error);
  const split = (text: string) => text.split(/[\s,]+/).map((x) => x.trim()).filter((x) => x.length > 0);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    replace(error);
    try {
      const created = await post<Created>("/api/keys", {
        name: name.value.trim(), role: role.value, states: split(states.value.toUpperCase()),
        sources: split(sources.value),
      });
      // The key exists only in this answer: shown once, with a way to copy it, and never again.
      const secret = h("code", { "data-testid": "new-key" }, created.key);
      const copy = h("button", { type: "button", class: "small" }, "Copy");
      copy.addEventListener("click", () => void navigator.clipboard?.writeText(created.key).then(() => { copy.textContent = "Copied"; }));
      replace(shownOnce, h("div", { class: "once", role: "status" },
        h("p", {}, h("strong", {}, `Key "${created.name}" created. `), "Copy it now: it is shown only this once, and cannot be shown again."),
        h("p", {}, secret, " ", copy)));
      form.reset();
      confirmSaved(`Key "${created.name}" created`);
      await load();
    } catch (err) {
      replace(error, problemText(err));
    }
  });

  async function load(): Promise<void> {
    let keys: Key[];
    try {
      keys = await get<Key[]>(`/api/keys${query({ includeRevoked: includeRevoked.checked ? true : undefined })}`);
    } catch (err) {
      replace(list, h("p", { class: "error", role: "alert" }, problemText(err)));
      return;
    }
    // Who made a key is recorded as "key:<id>": shown by that key's name.
    const names = new Map(keys.map((k) => [`key:${k.id}`, k.name]));
    replace(list, reflow(h("table", { class: "data", "data-testid": "keys" },
      h("caption", { class: "visually-hidden" }, "API keys"),
      h("thead", {}, h("tr", {}, ["Name", "Role", "States", "Sources", "Starts with", "Created", "Status", ""].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, keys.map((k) => {
        const revoke = h("button", { type: "button", class: "small danger", "aria-label": `Revoke key ${k.name}` }, "Revoke");
        revoke.addEventListener("click", async () => {
          if (!confirm(`Revoke the key "${k.name}" (${k.role})? Everything that uses it stops at once, and its web sessions end. This cannot be undone: a new key would have to be made and given out.`)) return;
          try {
            await del(`/api/keys/${k.id}`);
            confirmSaved(`Key "${k.name}" revoked`);
            await load();
          } catch (err) {
            replace(error, problemText(err));
          }
        });
        return h("tr", { "data-key": k.id },
          h("th", { scope: "row" }, k.name), h("td", {}, k.role), h("td", {}, k.states.length ? k.states.join(", ") : "all"),
          h("td", {}, k.sources.join(", ")), h("td", {}, h("code", {}, k.prefix)),
          h("td", {}, `${fmtDateTime(k.createdAt)} by ${names.get(k.createdBy) ?? k.createdBy}`),
          h("td", {}, k.revokedAt ? `revoked ${fmtDateTime(k.revokedAt)}` : "active"),
          h("td", {}, k.revokedAt ? null : revoke));
      })))));
  }
  includeRevoked.addEventListener("change", () => void load());
  const wrap = h("div", {},
    h("h2", {}, "Create a key"), form, shownOnce,
    h("h2", {}, "Keys"),
    h("div", { class: "field inline" }, includeRevoked, h("label", { for: "keys-revoked" }, " Show revoked keys")),
    list);
  whenShown(wrap, () => void load());
  return wrap;
}

async function activityView(params: URLSearchParams): Promise<HTMLElement> {
  const keys = await get<Key[]>("/api/keys?includeRevoked=true");
  const names = new Map(keys.map((k) => [`key:${k.id}`, k.name]));
  const state = { keyId: params.get("keyId") ?? "", specialistId: params.get("specialistId") ?? "", from: params.get("from") ?? "", to: params.get("to") ?? "" };
  const key = h("select", { id: "act-key" }, h("option", { value: "" }, "Any key"), keys.map((k) => h("option", { value: k.id, selected: k.id === state.keyId ? true : null }, `${k.name} (${k.role})`)));
  const person = h("input", { id: "act-person", value: state.specialistId, placeholder: "a person's id", autocomplete: "off" });
  const from = h("input", { id: "act-from", type: "date", value: state.from });
  const to = h("input", { id: "act-to", type: "date", value: state.to });
  const output = h("div", { "aria-live": "polite" });
  const filters = h("form", { class: "filters", role: "search", "aria-label": "Filter activity" },
    h("div", { class: "field" }, h("label", { for: "act-key" }, "Key"), key),
    h("div", { class: "field" }, h("label", { for: "act-person" }, "Person"), person),
    h("div", { class: "field" }, h("label", { for: "act-from" }, "From (UTC)"), from),
    h("div", { class: "field" }, h("label", { for: "act-to" }, "To (UTC)"), to),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Show")));

  async function load(before?: number): Promise<void> {
    remember("/admin", { view: "activity", keyId: state.keyId || undefined, specialistId: state.specialistId || undefined, from: state.from || undefined, to: state.to || undefined });
    let page: Activity;
    try {
      page = await get<Activity>(`/api/audit/activity${query({ keyId: state.keyId, specialistId: state.specialistId, from: state.from, to: state.to, limit: 50, before })}`);
    } catch (err) {
      replace(output, h("p", { class: "error", role: "alert", "data-testid": "activity-error" }, problemText(err)));
      return;
    }
    const older = h("button", { type: "button" }, "Older entries");
    older.addEventListener("click", () => void load(Number(page.before)));
    replace(output, page.items.length === 0 ? h("p", {}, "Nothing was recorded for this choice.") : [
      reflow(h("table", { class: "data", "data-testid": "activity" },
        h("caption", { class: "visually-hidden" }, "Recorded events, newest first"),
        h("thead", {}, h("tr", {}, ["Recorded (UTC)", "What", "Person", "By", "Role", "Channel"].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, page.items.map((i) => h("tr", {},
          h("td", {}, fmtDateTime(i.recordedAt)), h("td", {}, i.type.replace(/_/g, " ")),
          h("td", {}, h("a", { href: `#/specialists/${i.specialistId}` }, "open")),
          h("td", {}, i.recordedBy ? names.get(i.recordedBy) ?? i.recordedBy : ""),
          h("td", {}, i.role ?? ""), h("td", {}, i.channel ?? "")))))),
      page.before === null ? null : older,
    ]);
  }
  filters.addEventListener("submit", (e) => {
    e.preventDefault();
    Object.assign(state, { keyId: key.value, specialistId: person.value.trim(), from: from.value, to: to.value });
    void load();
  });
  const wrap = h("div", {}, filters, output);
  whenShown(wrap, () => void load());
  return wrap;
}
