import { get, query, type GetAnswer, type Schemas } from "../api";
import { fmtDate, fmtDateTime, fmtNumber, h, replace, reflow } from "../dom";
import { whenShown } from "../router";

type WorkList = GetAnswer<"/api/worklist">;
type Item = Schemas["WorkItem"];

/**
 * Staff's start page (issue 19, item 6): what needs doing among the people of the key's states, each person a link
 * to their page. Lists show the most urgent first and say how many there are in all.
 */
export async function workPage(): Promise<HTMLElement> {
  const output = h("div", { "aria-live": "polite" });
  const page = h("section", {}, h("h1", {}, "To do"), output);
  whenShown(page, async () => {
    let list: WorkList;
    try {
      list = await get<WorkList>(`/api/worklist${query({})}`);
    } catch (e) {
      replace(output, h("p", { class: "error", role: "alert" }, e instanceof Error ? e.message : String(e)));
      return;
    }
    const people = (id: string, title: string, what: string, view: Schemas["WorkListView"], empty: string) =>
      h("div", { class: "card wide", "data-testid": `work-${id}` },
        h("h2", {}, `${title} (${fmtNumber(view.total)})`),
        view.items.length === 0 ? h("p", { class: "muted" }, empty) : [
          reflow(h("table", { class: "data" },
            h("caption", { class: "visually-hidden" }, title),
            h("thead", {}, h("tr", {}, ["Person", "State", what].map((c) => h("th", { scope: "col" }, c)))),
            h("tbody", {}, view.items.map((i: Item) => h("tr", { "data-person": i.id },
              h("th", { scope: "row" }, h("a", { href: `#/specialists/${i.id}` }, i.name || "(no name)")),
              h("td", {}, i.state), h("td", { class: "date" }, `${fmtDate(i.on)}${i.why === "expired" ? " (expired, not recorded as lapsed)" : ""}`)))))),
          view.total > view.items.length ? h("p", { class: "muted" }, `The first ${view.items.length} of ${fmtNumber(view.total)}.`) : null,
        ]);
    const rejected = h("div", { class: "card wide", "data-testid": "work-rejected" },
      h("h2", {}, `Events from integrations that were refused (${fmtNumber(list.rejected.total)})`),
      list.rejected.items.length === 0 ? h("p", { class: "muted" }, "None.") : reflow(h("table", { class: "data" },
        h("caption", { class: "visually-hidden" }, "Refused events"),
        h("thead", {}, h("tr", {}, ["Received", "From", "Event", "About", "Why"].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, list.rejected.items.map((r) => h("tr", {},
          h("td", { class: "date" }, fmtDateTime(r.receivedAt)), h("td", {}, r.source), h("td", {}, r.type),
          h("td", {}, r.subject ?? ""), h("td", {}, r.rule ?? "")))))));
    replace(output,
      people("expiring", "Certifications expiring soon", "Expires on", list.expiring, `No certification expires in the next ${list.expiringWithinDays} days.`),
      people("lapsed", "Certifications lapsed or expired", "Lapsed or expired on", list.lapsed, "No certification has lapsed or expired."),
      people("overdue", `No check-in for ${list.overdueAfterMonths} months`, "Last heard from", list.overdue, "Everyone has checked in recently."),
      people("lost", "Lost to follow-up", "Lost since", list.lost, "Nobody is lost to follow-up."),
      rejected,
      h("p", { class: "help" }, `Where no renewal gave an expiry date, a certification is taken to last ${list.certificationYears} years from its last renewal (WorkLists:CertificationYears). Lists follow the records by a few seconds.`));
  });
  return page;
}
