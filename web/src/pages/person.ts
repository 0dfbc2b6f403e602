import { ApiError, get, post, type GetAnswer, type PostBody } from "../api";
import { confirmSaved, fmtDate, fmtDateTime, fmtNumber, h, label, num, replace, reflow } from "../dom";
import { buildForm, type FieldSpec, type Values } from "../forms";
import { vocabulary } from "../vocab";
import { eventForms } from "./events";
import { correctionField } from "./correction-fields";
import { KINDS, TITLES, kindOf, sentence, word } from "../timeline";
import { trajectory } from "../trajectory";
import { trajectoryFigure } from "./trajectory-chart";
import { session } from "../session";

type Specialist = GetAnswer<"/api/specialists/{id}">;
type Entry = GetAnswer<"/api/specialists/{id}/timeline">[number];

// Fields a correction may not change (identities) or that restate the entry's date.
const FIXED = new Set(["jobId", "eventId", "changes", "correctedOn", "voidedOn", "effectiveOn"]);

function years(value: number | string | null): string {
  if (value === null) return "—";
  const days = num(value);
  return days < 60 ? `${days} days` : `${(days / 365.25).toFixed(1)} years (${days.toLocaleString("en-US")} days)`;
}

// The document gives an entry's data and original as any JSON (JsonElement); the service writes the event's object.
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fieldsOf(data: unknown): Record<string, unknown> {
  return isObject(data) ? data : {};
}

// The profile is the certified entry's fields: editing it records a correction of that entry.
const PROFILE = ["name", "county", "rural", "mhpsa", "credential", "certificationNumber", "observationStart"];

let employerCache: { state: string; at: number; names: Promise<string[]> } | null = null;
/** The employers already recorded in a state, asked once a few minutes (for the forms' suggestions). */
function employersOf(state: string): Promise<string[]> {
  if (!employerCache || employerCache.state !== state || Date.now() - employerCache.at > 300_000) {
    const names = get<GetAnswer<"/api/employers">>(`/api/employers?state=${encodeURIComponent(state)}`)
      .then((r) => r.employers.map((e) => e.name)).catch(() => [] as string[]);
    employerCache = { state, at: Date.now(), names };
  }
  return employerCache.names;
}

/** A person's page: status card, current jobs, tenure, the timeline with its audit trail, forms for events and corrections. */
export async function personPage(id: string): Promise<HTMLElement> {
  const vocab = await vocabulary();
  const page = h("section", { class: "person" });

  async function load(focusTimeline = false): Promise<void> {
    let person: Specialist;
    let timeline: Entry[];
    try {
      [person, timeline] = await Promise.all([get<Specialist>(`/api/specialists/${id}`), get<Entry[]>(`/api/specialists/${id}/timeline`)]);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        replace(page, h("h1", {}, "Specialist not found"), h("p", {}, "No specialist with this id is visible to your key. ", h("a", { href: "#/specialists" }, "Back to the list.")));
        return;
      }
      throw e;
    }
    const jobNames = new Map<string, string>();
    for (const e of timeline) {
      if (e.type !== "hired") continue;
      const hire = fieldsOf(e.data);
      if (typeof hire.jobId === "string") jobNames.set(hire.jobId, `${hire.title} at ${hire.employer}`);
    }

    const card = h("div", { class: "card status-card", "data-testid": "status-card" },
      h("h2", {}, "Status"),
      h("p", {}, h("span", { class: `badge big status-${person.status}`, "data-testid": "status" }, label(person.status)),
        person.certificationLapsed ? h("span", { class: "badge warn" }, "Certification lapsed") : null),
      h("dl", { class: "facts" },
        h("dt", {}, "State"), h("dd", {}, person.state),
        h("dt", {}, "Certification"), h("dd", {}, person.certificationNumber),
        h("dt", {}, "Certified on"), h("dd", {}, fmtDate(person.certifiedOn)),
        h("dt", {}, "Credentials"), h("dd", {}, [...new Set([person.credential, ...person.credentials])].map(word).join(", ")),
        h("dt", {}, "County"), h("dd", {}, `${person.county}${person.rural ? " (rural)" : ""}${person.mhpsa ? " · shortage area" : ""}`)));
    const tenure = h("div", { class: "card" },
      h("h2", {}, "Tenure"),
      h("dl", { class: "facts" },
        h("dt", {}, "Current job"), h("dd", {}, years(person.tenure.currentJobDays)),
        h("dt", {}, "In peer work"), h("dd", {}, years(person.tenure.peerWorkDays)),
        h("dt", {}, "Since certification"), h("dd", {}, years(person.tenure.sinceCertificationDays))));
    const jobs = h("div", { class: "card wide" },
      h("h2", {}, "Current jobs"),
      person.jobs.length === 0 ? h("p", { class: "muted" }, "No current job.") :
        reflow(h("table", { class: "data", "data-testid": "jobs" },
          h("thead", {}, h("tr", {}, ["Employer", "Title", "Type", "Tier", "Hours/week", "Hourly wage", "Started", "Tenure"].map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", {}, person.jobs.map((j) => h("tr", {},
            h("td", {}, j.employer), h("td", {}, j.title), h("td", {}, label(j.jobType)), h("td", {}, j.tier ?? "—"),
            h("td", { class: "num" }, fmtNumber(j.hoursPerWeek, 1)), h("td", { class: "num" }, `$${fmtNumber(j.hourlyWage, 2)}`),
            h("td", {}, fmtDate(j.startedOn)), h("td", {}, years(j.tenureDays))))))));

    // Newest first; each entry a sentence; what a correction fixed shown on the entry it fixed (issue 19).
    const byId = new Map(timeline.map((e) => [e.eventId, e]));
    const about = (eventId: string) => {
      const target = byId.get(eventId);
      return target ? `the ${(TITLES[target.type] ?? target.type).toLowerCase()} entry of ${fmtDate(target.effectiveOn)}` : undefined;
    };
    const rows = [...timeline].sort((a, b) =>
      b.effectiveOn.localeCompare(a.effectiveOn) || b.recordedAt.localeCompare(a.recordedAt));
    const rowOf = new Map<string, HTMLTableRowElement>();
    const timelineBody = h("tbody", {}, rows.map((e) => {
      const fixes = e.type === "event-corrected" || e.type === "event-voided" ? String(fieldsOf(e.data).eventId ?? "") : "";
      const show = fixes && byId.has(fixes)
        ? h("button", { type: "button", class: "link", onclick: () => reveal(fixes) }, "Show that entry")
        : null;
      const row = h("tr", { class: e.voided ? "voided" : null, "data-event-id": e.eventId, "data-type": e.type, "data-kind": kindOf(e.type), tabindex: -1 },
        h("td", { class: "date" }, fmtDate(e.effectiveOn)),
        h("td", { class: "details" },
          h("span", { class: "sentence" }, sentence(e.type, e.data, jobNames, about)),
          e.voided ? h("span", { class: "badge warn" }, "void") : null,
          e.correctedBy.length > 0 ? h("span", { class: "badge" }, "corrected") : null,
          e.original ? h("div", { class: "muted" }, "First recorded as: ", sentence(e.type, e.original, jobNames)) : null,
          show),
        h("td", {}, fmtDateTime(e.recordedAt),
          h("div", {}, e.recordedByName ?? e.recordedBy ?? "—"),
          h("div", { class: "muted" }, [e.recordedRole, e.channel].filter(Boolean).join(" · "))),
        h("td", {}));
      rowOf.set(e.eventId, row);
      if (!e.voided && e.type !== "event-corrected" && e.type !== "event-voided") {
        const button = h("button", { type: "button", class: "small", "aria-label": `Correct ${TITLES[e.type] ?? e.type} of ${fmtDate(e.effectiveOn)}` }, "Correct");
        button.addEventListener("click", () => void openCorrection(e, row));
        row.lastElementChild!.appendChild(button);
      }
      return row;
    }));
    const timelineTable = reflow(h("table", { class: "data timeline", "data-testid": "timeline" },
      h("caption", {}, "Every recorded entry, newest first by effective date. Corrections and voids are entries of their own; nothing is deleted."),
      h("thead", {}, h("tr", {}, ["Effective", "What happened", "Recorded", ""].map((c) => h("th", { scope: "col" }, c)))),
      timelineBody));
    const kindFilter = h("select", { id: "timeline-kind", "data-testid": "timeline-kind" },
      h("option", { value: "" }, "Every entry"), KINDS.map((k) => h("option", { value: k.value }, k.label)));
    const shown = h("p", { class: "muted", "aria-live": "polite" });
    function applyFilter(): void {
      let count = 0;
      for (const row of rowOf.values()) {
        const visible = !kindFilter.value || row.dataset.kind === kindFilter.value;
        row.hidden = !visible;
        if (visible) count++;
      }
      shown.textContent = `${count} of ${rowOf.size} entries shown.`;
    }
    kindFilter.addEventListener("change", applyFilter);
    applyFilter();
    /** Shows and focuses the entry a correction is about, whatever the filter. */
    function reveal(eventId: string): void {
      const row = rowOf.get(eventId);
      if (!row) return;
      if (row.hidden) { kindFilter.value = ""; applyFilter(); }
      row.classList.add("flash");
      row.focus();
      setTimeout(() => row.classList.remove("flash"), 2000);
    }

    const forms = eventForms(vocab, person.jobs);
    const chooser = h("select", { id: "event-kind", "data-testid": "event-kind" }, h("option", { value: "" }, "Choose an event…"), forms.map((f) => h("option", { value: f.kind }, f.title)));
    const formSlot = h("div", {});
    chooser.addEventListener("change", async () => {
      const kind = chooser.value;
      // A hire suggests the employers already recorded in the person's state as the user types.
      const employers = kind === "hired" ? await employersOf(person.state) : [];
      if (chooser.value !== kind) return;
      const f = eventForms(vocab, person.jobs, employers).find((x) => x.kind === kind);
      if (!f) { replace(formSlot); return; }
      const built = buildForm({
        name: f.kind, fields: f.fields, submit: `Record ${f.title.toLowerCase()}`,
        onSubmit: async (values) => {
          await post(`/api/specialists/${id}/${f.path}`, values);
          confirmSaved(`${f.title} recorded.`);
          await load(true);
        },
      });
      replace(formSlot, built.form);
      built.form.querySelector<HTMLElement>("input, select, textarea")?.focus();
    });

    /**
     * A correction of an entry as a form: each field as the entry has it (closed lists as selects, an employer with
     * suggestions), the reason kept with it, and, unless it is the profile, the choice to void the whole entry.
     */
    async function correctionForm(entry: Entry, profile: boolean, done: () => void): Promise<HTMLFormElement> {
      const data = fieldsOf(entry.data);
      const editable = Object.entries(data).filter(([k]) => !FIXED.has(k) && k !== "$kind" && (!profile || PROFILE.includes(k)));
      const employers = "employer" in data ? await employersOf(person.state) : [];
      const fields: FieldSpec[] = [
        ...(profile ? [] : [{ name: "mode", label: "What is wrong", kind: "select", required: true, value: "changes", options: [{ value: "changes", label: "Some details are wrong" }, { value: "void", label: "The whole entry was recorded in error (void it)" }] } satisfies FieldSpec]),
        ...editable.map(([k, v]) => correctionField(entry.type, k, v, vocab, employers)),
        { name: "reason", label: "Why (kept with the correction)", kind: "text", required: true },
      ];
      const built = buildForm({
        name: profile ? "profile" : "correction", fields, submit: profile ? "Save profile" : "Save correction",
        onSubmit: async (values: Values) => {
          const body: { [K in keyof PostBody<"/api/specialists/{id}/corrections">]?: unknown } =
            { eventId: entry.eventId, reason: values.reason ?? null };
          if (values.mode === "void") body.void = true;
          else {
            const changes: Record<string, unknown> = {};
            for (const [k, v] of editable) {
              const now = values[`field:${k}`];
              if (now !== undefined && now !== v) changes[k] = now;
            }
            body.changes = changes;
          }
          try {
            await post(`/api/specialists/${id}/corrections`, body);
          } catch (e) {
            // The API names the corrected fields 'changes' as a whole; show that next to the mode (or above the
            // profile), in the form's words, and a changed field's problem next to that field.
            if (e instanceof ApiError) {
              const p = e.problem;
              const empty = body.changes !== undefined && Object.keys(body.changes as object).length === 0;
              const where = profile ? "reason" : "mode";
              if (p.errors?.changes) p.errors[where] = empty ? [profile ? "Change at least one detail." : "Change at least one detail, or choose to void the whole entry."] : p.errors.changes;
              if (p.field === "changes") p.field = where;
              for (const k of Object.keys(p.errors ?? {})) if (editable.some(([f]) => f === k)) { p.errors![`field:${k}`] = p.errors![k]; delete p.errors![k]; }
              if (p.field && editable.some(([f]) => f === p.field)) p.field = `field:${p.field}`;
            }
            throw e;
          }
          confirmSaved(profile ? "Profile saved (recorded as a correction of the certification entry)." : "Correction saved.");
          done();
          await load(true);
        },
      });
      return built.form;
    }

    async function openCorrection(entry: Entry, row: HTMLTableRowElement): Promise<void> {
      row.parentElement?.querySelectorAll("tr.correction").forEach((r) => r.remove());
      const form = await correctionForm(entry, false, () => {});
      const cancel = h("button", { type: "button", class: "link" }, "Cancel");
      const correctionRow = h("tr", { class: "correction" }, h("td", { colspan: 4 }, h("h3", {}, `Correct: ${TITLES[entry.type] ?? entry.type} of ${fmtDate(entry.effectiveOn)}`), form, cancel));
      cancel.addEventListener("click", () => { correctionRow.remove(); row.querySelector("button")?.focus(); });
      row.after(correctionRow);
      correctionRow.querySelector<HTMLElement>("select")?.focus();
    }

    // "Edit profile": the certified entry's own fields in a form of their own; saving records its correction.
    const certified = timeline.find((e) => e.type === "certified" && !e.voided);
    const profileSlot = h("div", {});
    const editProfile = certified && person.name !== "[erased]"
      ? h("button", { type: "button", class: "small", "data-testid": "edit-profile" }, "Edit profile") : null;
    editProfile?.addEventListener("click", async () => {
      if (profileSlot.firstChild) { replace(profileSlot); return; }
      const form = await correctionForm(certified!, true, () => replace(profileSlot));
      const cancel = h("button", { type: "button", class: "link" }, "Cancel");
      cancel.addEventListener("click", () => { replace(profileSlot); editProfile.focus(); });
      replace(profileSlot, h("div", { class: "card wide", "data-testid": "profile-form" }, h("h2", {}, "Edit profile"),
        h("p", { class: "help" }, "Saved as a correction of the certification entry, with your reason; the timeline keeps what was first recorded."),
        form, cancel));
      profileSlot.querySelector<HTMLElement>("input, select")?.focus();
    });
    card.appendChild(h("p", {}, editProfile));

    replace(page,
      h("p", { class: "crumbs" }, h("a", { href: "#/specialists" }, "Specialists"), " / "),
      h("h1", {}, person.name),
      // The career drawn over time comes first; the job history table sits under it.
      h("div", { class: "card wide", "data-testid": "career" }, h("h2", {}, "Career over time"),
        trajectoryFigure(trajectory(timeline), new Date().toISOString().slice(0, 10))),
      h("div", { class: "grid" }, card, tenure, jobs),
      profileSlot,
      h("div", { class: "card wide record" }, h("h2", {}, "Record an event"), h("div", { class: "field" }, h("label", { for: "event-kind" }, "Event"), chooser), formSlot),
      h("div", { class: "card wide" }, h("h2", { id: "timeline-heading", tabindex: -1 }, "Timeline"),
        h("div", { class: "field inline" }, h("label", { for: "timeline-kind" }, "Show"), kindFilter), shown,
        h("div", { class: "scroll" }, timelineTable)),
      session.me()?.role === "admin" && person.name !== "[erased]" ? erasureCard(person, () => load(false)) : null);
    if (focusTimeline) page.querySelector<HTMLElement>("#timeline-heading")?.focus();
  }

  await load();
  return page;
}

/**
 * Erasure, for admins (issue 19, item 7): what it does and does not do, in words, and a confirmation that makes the
 * admin type the person's certification number, so a slip of the mouse cannot erase someone.
 */
function erasureCard(person: Specialist, reload: () => Promise<void>): HTMLElement {
  const confirmId = "erase-confirm";
  const typed = h("input", { id: confirmId, autocomplete: "off", spellcheck: false });
  const button = h("button", { type: "submit", class: "danger", disabled: true }, "Erase this person's identity");
  const error = h("p", { class: "error", role: "alert" });
  typed.addEventListener("input", () => { button.disabled = typed.value.trim() !== person.certificationNumber; });
  const form = h("form", { "data-testid": "erasure" },
    h("p", {}, "Erasing replaces this person's name, certification number, notes and free-text reasons with ",
      h("q", {}, "[erased]"), " in every recorded event, the timeline and what integrations sent about them, for good. It cannot be undone."),
    h("p", {}, "Dates, states, counties, jobs, tiers, wages and the reasons of the vocabulary stay, so the person still counts in the figures, unnamed. Who erased whom, and when, is recorded."),
    h("div", { class: "field" }, h("label", { for: confirmId }, `Type the certification number (${person.certificationNumber}) to confirm`), typed),
    h("div", { class: "actions" }, button), error);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (typed.value.trim() !== person.certificationNumber) return;
    button.disabled = true;
    try {
      const done = await post<{ eventsMasked: number }>(`/api/specialists/${person.id}/erasure`);
      confirmSaved(`Identity erased from ${done.eventsMasked} recorded events.`);
      await reload();
    } catch (err) {
      replace(error, err instanceof Error ? err.message : String(err));
      button.disabled = false;
    }
  });
  return h("div", { class: "card wide" }, h("h2", {}, "Erase identity"), form);
}
