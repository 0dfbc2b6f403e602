import { get, post, query, type GetAnswer } from "../api";
import { confirmSaved, fmtDateTime, h, num, replace, reflow } from "../dom";
import { remember, whenShown } from "../router";

type Page = GetAnswer<"/api/ingest/rejections">;

/** Events the integrations sent that were rejected, with their reason, and a retry once the cause is fixed. */
export async function integrationsPage(params: URLSearchParams): Promise<HTMLElement> {
  const state = { source: params.get("source") ?? "", rule: params.get("rule") ?? "", page: Number(params.get("page") ?? "1") || 1 };
  const output = h("div", { "aria-live": "polite" });
  const source = h("input", { id: "rej-source", value: state.source, placeholder: "e.g. urn:board:or", autocomplete: "off" });
  const rule = h("input", { id: "rej-rule", value: state.rule, placeholder: "e.g. specialist-not-found", autocomplete: "off" });
  const filters = h("form", { class: "filters", role: "search", "aria-label": "Filter rejections" },
    h("div", { class: "field" }, h("label", { for: "rej-source" }, "Source"), source),
    h("div", { class: "field" }, h("label", { for: "rej-rule" }, "Rule"), rule),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Filter")));
  filters.addEventListener("submit", (e) => { e.preventDefault(); state.source = source.value.trim(); state.rule = rule.value.trim(); state.page = 1; void load(); });

  let ticket = 0;
  async function load(): Promise<void> {
    const mine = ++ticket;
    remember("/integrations", { source: state.source, rule: state.rule, page: state.page > 1 ? String(state.page) : undefined });
    let page: Page;
    try {
      page = await get<Page>(`/api/ingest/rejections${query({ source: state.source, rule: state.rule, page: state.page, pageSize: 25 })}`);
      if (mine !== ticket) return;
    } catch (e) {
      replace(output, h("p", { class: "error", role: "alert" }, e instanceof Error ? e.message : String(e)));
      return;
    }
    const pages = Math.max(1, Math.ceil(num(page.total) / num(page.pageSize)));
    replace(output, page.items.length === 0 ? h("p", {}, "No rejected events.") : [
      reflow(h("table", { class: "data", "data-testid": "rejections" },
        h("caption", { class: "visually-hidden" }, "Rejected events"),
        h("thead", {}, h("tr", {}, ["Received", "Source", "Event", "Subject", "Why", "Attempts", ""].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, page.items.map((r) => {
          const status = h("span", { class: "muted", role: "status" });
          const retry = h("button", { type: "button", class: "small", "aria-label": `Retry event ${r.eventId}` }, "Retry");
          retry.addEventListener("click", async () => {
            retry.disabled = true;
            try {
              await post(`/api/ingest/rejections/${r.id}/retry`);
              status.textContent = "Retrying: pending";
              confirmSaved(`Event ${r.eventId} is pending again.`);
            } catch (e) {
              status.textContent = e instanceof Error ? e.message : String(e);
              retry.disabled = false;
            }
          });
          return h("tr", {},
            h("td", {}, fmtDateTime(r.receivedAt)), h("td", {}, r.source, h("div", { class: "muted" }, r.channel)),
            h("td", {}, r.type.replace(/^org\.trajectories\.cps\./, ""), h("div", { class: "muted" }, r.eventId)),
            h("td", {}, r.subject ?? "—"),
            h("td", {}, h("code", {}, r.rule ?? ""), h("div", {}, r.detail ?? ""),
              h("details", {}, h("summary", {}, "Payload"), h("pre", {}, JSON.stringify(r.payload, null, 2)))),
            h("td", { class: "num" }, String(r.attempts)),
            h("td", {}, retry, status));
        })))),
      h("nav", { class: "pager", "aria-label": "Pages" },
        h("button", { type: "button", disabled: state.page <= 1, onclick: () => { state.page -= 1; void load(); } }, "Previous"),
        h("span", {}, `Page ${state.page} of ${pages} · ${page.total} rejected`),
        h("button", { type: "button", disabled: state.page >= pages, onclick: () => { state.page += 1; void load(); } }, "Next")),
    ]);
  }

  const page = h("section", {}, h("h1", {}, "Integrations: rejected events"),
    h("p", {}, "Events an integration sent that could not be recorded, with the rule they broke. Fix the cause (for example, register the person), then retry."),
    filters, output);
  whenShown(page, () => void load());
  return page;
}
