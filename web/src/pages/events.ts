// One form per career event the API records, in the words of its request body (POST /api/specialists/{id}/<path>).

import type { PostBody, Schemas, Vocabulary } from "../api";
import type { paths } from "../api-types";
import { options, type FieldSpec, type Option } from "../forms";

// Only what a job choice shows (of GET /api/specialists/{id}'s jobs), so a form needs no more of the job than that.
export type JobOption = Pick<Schemas["JobView"], "jobId" | "employer" | "title">;

export interface EventForm { kind: string; title: string; path: string; fields: FieldSpec[] }

/** The <path> of every POST /api/specialists/{id}/<path> the OpenAPI document describes. */
type EventPath = {
  [P in keyof paths]: [PostBody<P>] extends [never] ? never : P extends `/api/specialists/{id}/${infer E}` ? E : never;
}[keyof paths];
type BodyFields<E extends EventPath> = keyof PostBody<`/api/specialists/{id}/${E}`> & string;

/** A form whose path must be an endpoint of the document and whose field names must be its request body's. */
function form<E extends EventPath>(
  kind: string, title: string, path: E, fields: FieldSpec<BodyFields<E>>[],
): EventForm {
  return { kind, title, path, fields };
}

/** The forms; `employers` are suggested as the user types an employer (those already recorded in the state). */
export function eventForms(vocab: Vocabulary, jobs: JobOption[], employers: string[] = []): EventForm[] {
  const jobChoices: Option[] = jobs.map((j) => ({ value: j.jobId, label: `${j.employer} — ${j.title}` }));
  const job = (required: boolean, help?: string): FieldSpec<"jobId"> =>
    ({ name: "jobId", label: "Job", kind: "select", options: jobChoices, required, help });
  const date = <N extends string>(name: N, text: string): FieldSpec<N> =>
    ({ name, label: text, kind: "date", required: true });
  const note: FieldSpec<"note"> = {
    name: "note", label: "Note", kind: "textarea", help: "Free text is erased with the person's identity on request.",
  };
  const wage = (text: string, required?: boolean): FieldSpec<"hourlyWage"> =>
    ({ name: "hourlyWage", label: text, kind: "number", step: "0.01", required });
  const hours = (text: string, required?: boolean): FieldSpec<"hoursPerWeek"> =>
    ({ name: "hoursPerWeek", label: text, kind: "number", step: "0.5", required });
  const scale = (name: "exhaustion" | "cynicism" | "professionalEfficacy", text: string): FieldSpec<typeof name> =>
    ({ name, label: `${text} (0–6)`, kind: "number", step: "0.1", min: "0", max: "6" });
  return [
    form("hired", "Hire", "hires", [
      {
        name: "employer", label: "Employer", kind: "text", required: true, suggestions: employers,
        help: employers.length > 0 ? "Choose an employer already recorded where it is the same one, so it is counted as one." : undefined,
      },
      { name: "title", label: "Job title", kind: "text", required: true },
      { name: "jobType", label: "Job type", kind: "select", options: options(vocab.jobTypes), required: true },
      {
        name: "tier", label: "Tier", kind: "select", options: vocab.tiers,
        help: `Peer jobs start at ${vocab.tiers[0]} unless another tier is given.`,
      },
      hours("Hours per week", true),
      wage("Hourly wage (USD)", true),
      date("startedOn", "Started on"),
    ]),
    form("promoted", "Promotion", "promotions", [
      job(true),
      { name: "tier", label: "New tier", kind: "select", options: vocab.tiers, required: true },
      wage("New hourly wage (USD)"),
      date("effectiveOn", "Effective on"),
    ]),
    form("wage-or-hours-changed", "Wage or hours change", "wage-changes", [
      job(true),
      wage("New hourly wage (USD)"),
      hours("New hours per week"),
      { name: "reason", label: "Reason", kind: "text", required: true },
      date("effectiveOn", "Effective on"),
    ]),
    form("separated", "Separation (left a job)", "separations", [
      job(true),
      {
        name: "reason", label: "Reason for leaving", kind: "select", options: options(vocab.separationReasons),
        required: true,
      },
      { name: "voluntary", label: "Voluntary", kind: "yesno", required: true },
      date("effectiveOn", "Last day"),
      note,
    ]),
    form("disability-pause-started", "Disability pause starts", "pauses", [
      { name: "reason", label: "Reason", kind: "text", required: true },
      date("startedOn", "Started on"),
    ]),
    form("disability-pause-ended", "Disability pause ends", "pauses/end", [date("endedOn", "Ended on")]),
    form("returned-to-work", "Return to work", "returns", [
      date("effectiveOn", "Returned on"),
      job(false, "The job returned to, if it was kept during the pause."),
      note,
    ]),
    form("checked-in", "Check-in", "check-ins", [
      date("checkedInOn", "Checked in on"),
      {
        name: "reportedStatus", label: "Reported status", kind: "select", options: options(vocab.reportedStatuses),
        required: true,
      },
      scale("exhaustion", "Exhaustion"),
      scale("cynicism", "Cynicism"),
      scale("professionalEfficacy", "Professional efficacy"),
    ]),
    form("credential-earned", "Credential earned", "credentials", [
      {
        name: "credential", label: "Credential", kind: "text", required: true,
        help: `For example ${vocab.credentials.join(", ")}.`,
      },
      date("earnedOn", "Earned on"),
    ]),
    form("certification-renewed", "Certification renewed", "renewals", [
      date("renewedOn", "Renewed on"),
      { name: "expiresOn", label: "Expires on", kind: "date" },
    ]),
    form("certification-lapsed", "Certification lapsed", "lapses", [date("lapsedOn", "Lapsed on")]),
    form("lost-to-follow-up", "Lost to follow-up", "lost-to-follow-up", [date("effectiveOn", "Last contact"), note]),
  ];
}
