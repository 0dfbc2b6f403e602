// The fields of a correction form, chosen from the entry being corrected: a closed list (job type, tier, credential,
// reason, reported status) is a select of the API's vocabulary, an employer suggests the employers already recorded,
// and each field is labelled in words. Pure, so it is tested without a browser.
import type { Vocabulary } from "../api";
import { label } from "../dom";
import { options, type FieldSpec, type Option } from "../forms";

const LABELS: Record<string, string> = {
  name: "Name", state: "State", county: "County", rural: "Rural county", mhpsa: "Shortage area (MHPSA)",
  credential: "Credential", certificationNumber: "Certification number", certifiedOn: "Certified on",
  observationStart: "Followed from", employer: "Employer", title: "Job title", jobType: "Job type", tier: "Tier",
  hoursPerWeek: "Hours per week", hourlyWage: "Hourly wage (USD)", startedOn: "Started on", reason: "Reason",
  voluntary: "Voluntary", reportedStatus: "Reported status", exhaustion: "Exhaustion (0–6)",
  cynicism: "Cynicism (0–6)", professionalEfficacy: "Professional efficacy (0–6)", expiresOn: "Expires on",
  note: "Note",
};

/** The field's label in the form's words. */
export const fieldLabel = (key: string) => LABELS[key] ?? label(key);

/** A list's choices, with the recorded value kept even when the list no longer has it (so nothing changes by itself). */
function choices(list: Option[], current: unknown): Option[] {
  const value = current === null || current === undefined ? "" : String(current);
  const has = list.some((o) => (typeof o === "string" ? o : o.value) === value);
  return value && !has ? [...list, { value, label: `${value} (as recorded)` }] : list;
}

/** The closed list a field of an entry type takes, or null for a free field. */
function listFor(type: string, key: string, vocab: Vocabulary): Option[] | null {
  switch (key) {
    case "jobType": return options(vocab.jobTypes);
    case "tier": return vocab.tiers;
    case "credential": return type === "certified" ? options(vocab.credentials) : null;   // earned credentials are free
    case "reason": return type === "separated" ? options(vocab.separationReasons) : null;
    case "reportedStatus": return options(vocab.reportedStatuses);
    default: return null;
  }
}

export function correctionField(type: string, key: string, value: unknown, vocab: Vocabulary, employers: string[]): FieldSpec {
  const name = `field:${key}`;
  const common = { name, label: fieldLabel(key), value: value as string | number | boolean | null };
  const list = listFor(type, key, vocab);
  if (list) return { ...common, kind: "select", options: choices(list, value) };
  if (typeof value === "boolean") return { ...common, kind: "yesno" };
  if (typeof value === "number") return { ...common, kind: "number", step: key === "hourlyWage" ? "0.01" : "any" };
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return { ...common, kind: "date" };
  return { ...common, kind: "text", suggestions: key === "employer" ? employers : undefined };
}
