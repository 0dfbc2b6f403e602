// The analysts' queries in the words of the page: filter names as their labels, values as people say them ("Adult
// peer", "Yes", "No tier"), a group's name in a legend, and a query as the lines that go with a downloaded chart.
import { label } from "../dom";

export const FILTER_LABELS: Record<string, string> = {
  state: "State", cohort: "Certification year", credential: "Credential", jobType: "Job type", tier: "Tier at the start",
  fullTime: "Full time (35+ h) at the start", rural: "Rural", mhpsa: "Shortage area", hireYear: "Hire year",
};
const YES_NO = new Set(["rural", "mhpsa", "fullTime", "promoted"]);
const AS_IS = new Set(["state", "cohort", "hireYear", "tier"]);
const OTHER_WORDS: Record<string, string> = {
  groupBy: "Grouped by", ci: "Interval", category: "Colour by", scale: "Score", covariates: "Covariates",
  timeVarying: "Time-varying", ties: "Ties", from: "Period from", measure: "Measure",
};

/** A value of a filter or a grouping, as people say it. */
export function valueName(key: string, value: string): string {
  if (YES_NO.has(key)) return value === "true" ? "Yes" : value === "false" ? "No" : value;
  if (key === "tier") return value === "none" ? "No tier" : value;
  if (key === "jobType" && value === "none") return "No job";
  if (key === "groupBy") return FILTER_LABELS[value] ?? label(value);
  if (AS_IS.has(key) || /^\d/.test(value)) return value;
  // Vocabulary words are lower-case with hyphens; anything else (a state's code, CADC) is kept as written.
  return /^[a-z][a-z-]*$/.test(value) ? label(value) : value;
}

/** A group's name in a legend or a table: "Adult peer", "Rural: Yes", "OR", "Everyone". */
export function groupName(groupBy: string | null | undefined, key: string): string {
  if (!groupBy || key === "all") return key === "all" ? "Everyone" : key;
  return YES_NO.has(groupBy) ? `${FILTER_LABELS[groupBy] ?? label(groupBy)}: ${valueName(groupBy, key)}` : valueName(groupBy, key);
}

/**
 * A query as lines of words: its filters on one line ("State: OR · Credential: Adult peer", or "Everyone" without
 * filters), its other choices on the next, and the as-of date the service answered for.
 */
export function describeQuery(q: string | URLSearchParams, asOf: string | null | undefined): string[] {
  const params = typeof q === "string" ? new URLSearchParams(q.startsWith("?") ? q.slice(1) : q) : q;
  const filters: string[] = [];
  const choices: string[] = [];
  for (const [k, v] of params) {
    if (!v || k === "asOf" || k === "format") continue;
    if (FILTER_LABELS[k]) filters.push(`${FILTER_LABELS[k]}: ${valueName(k, v)}`);
    else if (k === "covariates") choices.push(`Covariates: ${v.split(",").map((c) => FILTER_LABELS[c] ?? label(c)).join(", ")}`);
    else choices.push(`${OTHER_WORDS[k] ?? label(k)}: ${valueName(k, v)}`);
  }
  return [
    filters.length > 0 ? `Filters: ${filters.join(" · ")}` : "Filters: none (everyone the key may see)",
    ...(choices.length > 0 ? [choices.join(" · ")] : []),
    ...(asOf ? [`As of ${asOf}`] : []),
  ];
}
