// One form per career event the API records, in the words of its request body (POST /api/specialists/{id}/<path>).

import type { Vocabulary } from "../api";
import { options, type FieldSpec, type Option } from "../forms";

export interface JobOption { jobId: string; employer: string; title: string }

export interface EventForm { kind: string; title: string; path: string; fields: FieldSpec[] }

export function eventForms(vocab: Vocabulary, jobs: JobOption[]): EventForm[] {
  const jobChoices: Option[] = jobs.map((j) => ({ value: j.jobId, label: `${j.employer} — ${j.title}` }));
  const job = (required: boolean, help?: string): FieldSpec => ({ name: "jobId", label: "Job", kind: "select", options: jobChoices, required, help });
  const date = (name: string, text: string): FieldSpec => ({ name, label: text, kind: "date", required: true });
  const note: FieldSpec = { name: "note", label: "Note", kind: "textarea", help: "Free text is erased with the person's identity on request." };
  return [
    {
      kind: "hired", title: "Hire", path: "hires", fields: [
        { name: "employer", label: "Employer", kind: "text", required: true },
        { name: "title", label: "Job title", kind: "text", required: true },
        { name: "jobType", label: "Job type", kind: "select", options: options(vocab.jobTypes), required: true },
        { name: "tier", label: "Tier", kind: "select", options: vocab.tiers, help: `Peer jobs start at ${vocab.tiers[0]} unless another tier is given.` },
        { name: "hoursPerWeek", label: "Hours per week", kind: "number", step: "0.5", required: true },
        { name: "hourlyWage", label: "Hourly wage (USD)", kind: "number", step: "0.01", required: true },
        date("startedOn", "Started on"),
      ],
    },
    { kind: "promoted", title: "Promotion", path: "promotions", fields: [job(true), { name: "tier", label: "New tier", kind: "select", options: vocab.tiers, required: true }, { name: "hourlyWage", label: "New hourly wage (USD)", kind: "number", step: "0.01" }, date("effectiveOn", "Effective on")] },
    {
      kind: "wage-or-hours-changed", title: "Wage or hours change", path: "wage-changes", fields: [
        job(true), { name: "hourlyWage", label: "New hourly wage (USD)", kind: "number", step: "0.01" },
        { name: "hoursPerWeek", label: "New hours per week", kind: "number", step: "0.5" },
        { name: "reason", label: "Reason", kind: "text", required: true }, date("effectiveOn", "Effective on"),
      ],
    },
    {
      kind: "separated", title: "Separation (left a job)", path: "separations", fields: [
        job(true), { name: "reason", label: "Reason for leaving", kind: "select", options: options(vocab.separationReasons), required: true },
        { name: "voluntary", label: "Voluntary", kind: "yesno", required: true }, date("effectiveOn", "Last day"), note,
      ],
    },
    { kind: "disability-pause-started", title: "Disability pause starts", path: "pauses", fields: [{ name: "reason", label: "Reason", kind: "text", required: true }, date("startedOn", "Started on")] },
    { kind: "disability-pause-ended", title: "Disability pause ends", path: "pauses/end", fields: [date("endedOn", "Ended on")] },
    { kind: "returned-to-work", title: "Return to work", path: "returns", fields: [date("effectiveOn", "Returned on"), job(false, "The job returned to, if it was kept during the pause."), note] },
    {
      kind: "checked-in", title: "Check-in", path: "check-ins", fields: [
        date("checkedInOn", "Checked in on"),
        { name: "reportedStatus", label: "Reported status", kind: "select", options: options(vocab.reportedStatuses), required: true },
        { name: "exhaustion", label: "Exhaustion (0–6)", kind: "number", step: "0.1", min: "0", max: "6" },
        { name: "cynicism", label: "Cynicism (0–6)", kind: "number", step: "0.1", min: "0", max: "6" },
        { name: "professionalEfficacy", label: "Professional efficacy (0–6)", kind: "number", step: "0.1", min: "0", max: "6" },
      ],
    },
    { kind: "credential-earned", title: "Credential earned", path: "credentials", fields: [{ name: "credential", label: "Credential", kind: "text", required: true, help: `For example ${vocab.credentials.join(", ")}.` }, date("earnedOn", "Earned on")] },
    { kind: "certification-renewed", title: "Certification renewed", path: "renewals", fields: [date("renewedOn", "Renewed on"), { name: "expiresOn", label: "Expires on", kind: "date" }] },
    { kind: "certification-lapsed", title: "Certification lapsed", path: "lapses", fields: [date("lapsedOn", "Lapsed on")] },
    { kind: "lost-to-follow-up", title: "Lost to follow-up", path: "lost-to-follow-up", fields: [date("effectiveOn", "Last contact"), note] },
  ];
}
