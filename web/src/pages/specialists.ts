import { get, post, query, type GetAnswer, type PostBody, type PostCreated } from "../api";
import { announce, confirmSaved, fmtDate, fmtNumber, h, label, num, replace, reflow } from "../dom";
import { buildForm, options, type FieldSpec } from "../forms";
import { go, remember, whenShown } from "../router";
import { session } from "../session";
import { vocabulary } from "../vocab";

type Page = GetAnswer<"/api/specialists">;

/** The searchable, filterable list of specialists (newest certifications first), and the form to register one. */
export async function specialistsPage(params: URLSearchParams): Promise<HTMLElement> {
  const vocab = await vocabulary();
  const me = session.me()!;
  const state = { q: params.get("q") ?? "", state: params.get("state") ?? "", status: params.get("status") ?? "", page: Number(params.get("page") ?? "1") || 1 };

  const results = h("div", { class: "results", "aria-live": "polite" });
  const search = h("input", { id: "search-q", type: "search", value: state.q, placeholder: "Name or certification number", autocomplete: "off" });
  const stateInput = me.states && me.states.length === 1
    ? h("select", { id: "search-state", disabled: true }, h("option", { value: me.states[0] }, me.states[0]))
    : h("input", { id: "search-state", value: state.state, maxlength: 2, size: 3, placeholder: "OR", autocomplete: "off" });
  const statusSelect = h("select", { id: "search-status" }, h("option", { value: "" }, "Any status"), vocab.statuses.map((s) => h("option", { value: s }, label(s))));
  statusSelect.value = state.status;

  let ticket = 0;
  async function load(): Promise<void> {
    const mine = ++ticket;
    remember("/specialists", { q: state.q, state: state.state, status: state.status, page: state.page > 1 ? String(state.page) : undefined });
    replace(results, h("p", { class: "muted" }, "Loading…"));
    const page = await get<Page>(`/api/specialists${query({ q: state.q, state: state.state, status: state.status, page: state.page, pageSize: 25 })}`);
    if (mine !== ticket) return; // a newer search is under way
    const [current, pageCount] = [num(page.page), num(page.pageCount)];
    const pager = h("nav", { class: "pager", "aria-label": "Pages" },
      h("button", { type: "button", disabled: current <= 1, onclick: () => { state.page -= 1; void load(); } },
        "Previous"),
      h("span", {}, `Page ${current} of ${Math.max(1, pageCount)} · ${fmtNumber(page.total)} specialists`),
      h("button", { type: "button", disabled: current >= pageCount, onclick: () => { state.page += 1; void load(); } },
        "Next"));
    replace(results, page.items.length === 0
      ? h("p", {}, "No specialist matches.")
      : reflow(h("table", { class: "data", "data-testid": "specialists" },
        h("caption", { class: "visually-hidden" }, "Specialists"),
        h("thead", {}, h("tr", {}, ["Name", "State", "Certification", "Credential", "Certified", "County", "Status"].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, page.items.map((s) => h("tr", {},
          h("td", {}, h("a", { href: `#/specialists/${s.id}` }, s.name)),
          h("td", {}, s.state), h("td", {}, s.certificationNumber), h("td", {}, label(s.credential)),
          h("td", {}, fmtDate(s.certifiedOn)), h("td", {}, s.county),
          h("td", {}, h("span", { class: `badge status-${s.status}` }, label(s.status)))))))),
      pager);
    announce(`${page.total} specialists found.`);
  }

  const filters = h("form", { class: "filters", role: "search", "aria-label": "Find specialists" },
    h("div", { class: "field" }, h("label", { for: "search-q" }, "Search"), search),
    h("div", { class: "field" }, h("label", { for: "search-state" }, "State"), stateInput),
    h("div", { class: "field" }, h("label", { for: "search-status" }, "Status"), statusSelect),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Find")));
  filters.addEventListener("submit", (e) => {
    e.preventDefault();
    state.q = search.value.trim();
    state.state = stateInput instanceof HTMLInputElement ? stateInput.value.trim().toUpperCase() : "";
    state.status = statusSelect.value;
    state.page = 1;
    void load().catch(showError);
  });
  statusSelect.addEventListener("change", () => filters.requestSubmit());

  function showError(e: unknown): void {
    replace(results, h("p", { class: "error", role: "alert" }, e instanceof Error ? e.message : String(e)));
  }

  // The request body's names (POST /api/specialists in the OpenAPI document), so a misspelt field fails the build.
  const registration: FieldSpec<keyof PostBody<"/api/specialists"> & string>[] = [
    { name: "name", label: "Name", kind: "text", required: true },
    {
      name: "state", label: "State (two letters)", kind: "text", required: true,
      value: me.states?.length === 1 ? me.states[0] : null,
    },
    { name: "credential", label: "Credential", kind: "select", options: options(vocab.credentials), required: true },
    { name: "certificationNumber", label: "Certification number", kind: "text", required: true },
    { name: "certifiedOn", label: "Certified on", kind: "date", required: true },
    { name: "county", label: "County", kind: "text", required: true },
    { name: "rural", label: "Rural county", kind: "yesno", required: true },
    { name: "mhpsa", label: "Mental health professional shortage area", kind: "yesno", required: true },
    { name: "observationStart", label: "Followed from (if later than certification)", kind: "date" },
  ];
  const register = buildForm({
    name: "register",
    submit: "Register specialist",
    fields: registration,
    onSubmit: async (values) => {
      const created = await post<PostCreated<"/api/specialists">>("/api/specialists", values);
      confirmSaved("Specialist registered.");
      go(`/specialists/${created.id}`);
    },
  });

  const page = h("section", {},
    h("h1", {}, "Specialists"),
    filters,
    results,
    h("details", { class: "card" }, h("summary", {}, "Register a specialist"), register.form));
  whenShown(page, () => void load().catch(showError));
  return page;
}
