// A timeline entry as a sentence a staff member would say ("Hired as Peer Specialist at Lane County BH, Peer I,
// 30 h/week, $19.00/h"), the kinds a reader can filter on, and what a correction changed, in words (issue 19).

import { fmtDate, label } from "./dom";

type Fields = Record<string, unknown>;

/** The kinds of entry a reader filters by, and the entry types each holds. */
export const KINDS: { value: string; label: string; types: string[] }[] = [
  { value: "jobs", label: "Jobs", types: ["hired", "promoted", "wage-or-hours-changed", "separated", "returned-to-work"] },
  { value: "certification", label: "Certification and credentials", types: ["certified", "certification-renewed", "certification-lapsed", "credential-earned"] },
  { value: "pauses", label: "Pauses and follow-up", types: ["disability-pause-started", "disability-pause-ended", "lost-to-follow-up"] },
  { value: "check-ins", label: "Check-ins", types: ["checked-in"] },
  { value: "corrections", label: "Corrections", types: ["event-corrected", "event-voided"] },
];

export function kindOf(type: string): string {
  return KINDS.find((k) => k.types.includes(type))?.value ?? "other";
}

export const TITLES: Record<string, string> = {
  certified: "Certified", "certification-renewed": "Certification renewed", "certification-lapsed": "Certification lapsed",
  hired: "Hired", promoted: "Promoted", "wage-or-hours-changed": "Wage or hours changed", separated: "Left a job",
  "disability-pause-started": "Disability pause started", "disability-pause-ended": "Disability pause ended",
  "returned-to-work": "Returned to work", "credential-earned": "Credential earned", "checked-in": "Checked in",
  "lost-to-follow-up": "Lost to follow-up", "event-corrected": "Correction", "event-voided": "Voided an entry",
};

// Credentials and other codes that are acronyms keep their capitals ("CADC", not "Cadc").
const ACRONYMS = /^[A-Z0-9]{2,}(-[A-Z0-9]+)*$/;
export function word(value: unknown): string {
  const text = String(value ?? "");
  return ACRONYMS.test(text) ? text : label(text);
}

export function money(value: unknown): string {
  const n = Number(value);
  return Number.isFinite(n) ? `$${n.toFixed(2)}/h` : String(value);
}

export function hours(value: unknown): string {
  const n = Number(value);
  return Number.isFinite(n) ? `${Number.isInteger(n) ? n : n.toFixed(1)} h/week` : String(value);
}

/** A field's value as the sentence says it. */
export function valueOf(field: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return "none";
  if (field === "hourlyWage") return money(value);
  if (field === "hoursPerWeek") return hours(value);
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return fmtDate(value);
  if (["reason", "jobType", "reportedStatus", "credential"].includes(field)) return word(value);
  return String(value);
}

const join = (parts: (string | null | false | undefined)[]) => parts.filter(Boolean).join(", ");

function burnout(d: Fields): string | null {
  const scores = [["exhaustion", d.exhaustion], ["cynicism", d.cynicism], ["efficacy", d.professionalEfficacy]]
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k} ${Number(v).toFixed(1)}`);
  return scores.length ? `burnout scores ${scores.join(", ")} (0–6)` : null;
}

/**
 * The entry in words. `jobs` names jobs by id ("Peer Specialist at Lane County BH"); `titleOf` and `dateOf` describe
 * another entry (what a correction or void is about).
 */
export function sentence(type: string, data: unknown, jobs: Map<string, string>,
  about?: (eventId: string) => string | undefined): string {
  const d: Fields = typeof data === "object" && data !== null ? (data as Fields) : {};
  const job = (id: unknown) => (typeof id === "string" && jobs.get(id)) || "a job";
  const note = typeof d.note === "string" && d.note ? ` Note: ${d.note}` : "";
  switch (type) {
    case "certified":
      return `Certified as ${word(d.credential)} in ${d.state}, number ${d.certificationNumber}, ${d.county} County${d.rural ? " (rural)" : ""}${d.mhpsa ? ", a shortage area" : ""}`;
    case "certification-renewed":
      return `Certification renewed${d.expiresOn ? `, expires ${fmtDate(String(d.expiresOn))}` : ""}`;
    case "certification-lapsed":
      return "Certification lapsed";
    case "credential-earned":
      return `Earned the ${word(d.credential)} credential`;
    case "hired":
      return `Hired as ${d.title} at ${d.employer}: ${join([word(d.jobType), d.tier ? String(d.tier) : null, hours(d.hoursPerWeek), money(d.hourlyWage)])}`;
    case "promoted":
      return `Promoted to ${d.tier} as ${job(d.jobId)}${d.hourlyWage !== null && d.hourlyWage !== undefined ? `, now ${money(d.hourlyWage)}` : ""}`;
    case "wage-or-hours-changed":
      return `${job(d.jobId)}: ${join([d.hourlyWage != null && `wage now ${money(d.hourlyWage)}`, d.hoursPerWeek != null && `hours now ${hours(d.hoursPerWeek)}`])} (${d.reason})`;
    case "separated":
      return `Left ${job(d.jobId)}: ${word(d.reason).toLowerCase()}, ${d.voluntary ? "voluntary" : "not voluntary"}.${note}`;
    case "disability-pause-started":
      return `Disability pause started: ${d.reason}`;
    case "disability-pause-ended":
      return "Disability pause ended";
    case "returned-to-work":
      return `Returned to work${d.jobId ? ` at ${job(d.jobId)}` : ""}.${note}`;
    case "checked-in":
      return `Check-in: reported ${word(d.reportedStatus).toLowerCase()}${burnout(d) ? `; ${burnout(d)}` : ""}`;
    case "lost-to-follow-up":
      return `Lost to follow-up.${note}`;
    case "event-corrected": {
      const changes = typeof d.changes === "object" && d.changes !== null ? Object.entries(d.changes as Fields) : [];
      const what = changes.map(([k, v]) => `${label(k).toLowerCase()} now ${valueOf(k, v)}`).join(", ");
      return `Corrected ${about?.(String(d.eventId)) ?? "an entry"}: ${what || "no field"} (${d.reason})`;
    }
    case "event-voided":
      return `Voided ${about?.(String(d.eventId)) ?? "an entry"}: recorded in error (${d.reason})`;
    default:
      return TITLES[type] ?? label(type);
  }
}
