// A person's career over time, read from their timeline (issue 19): each job from hire to separation with its tier
// steps, disability pauses, lost-to-follow-up, certification with its lapses and renewals, and check-ins with their
// burnout scores. Voided entries are left out; corrected ones count as corrected. Pure: the page draws it.

export interface TimelineLike {
  type: string;
  effectiveOn: string;
  voided: boolean;
  data: unknown;
}

export interface JobSpan {
  jobId: string;
  title: string;
  employer: string;
  jobType: string;
  start: string;
  end: string | null;
  reason: string | null;
  voluntary: boolean | null;
  /** The tier at the start, then each promotion. */
  tiers: { on: string; tier: string }[];
}

export interface Trajectory {
  certifiedOn: string | null;
  jobs: JobSpan[];
  pauses: { start: string; end: string | null }[];
  lost: string[];
  lapses: string[];
  renewals: string[];
  checkIns: { on: string; exhaustion: number | null; status: string }[];
}

type Fields = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" ? v : "");
const numOrNull = (v: unknown) => (v === null || v === undefined || v === "" ? null : Number(v));

export function trajectory(entries: TimelineLike[]): Trajectory {
  const t: Trajectory = { certifiedOn: null, jobs: [], pauses: [], lost: [], lapses: [], renewals: [], checkIns: [] };
  const byId = new Map<string, JobSpan>();
  const live = entries.filter((e) => !e.voided).sort((a, b) => a.effectiveOn.localeCompare(b.effectiveOn));
  for (const e of live) {
    const d = (typeof e.data === "object" && e.data !== null ? e.data : {}) as Fields;
    switch (e.type) {
      case "certified": t.certifiedOn = e.effectiveOn; break;
      case "certification-lapsed": t.lapses.push(e.effectiveOn); break;
      case "certification-renewed": t.renewals.push(e.effectiveOn); break;
      case "hired": {
        const job: JobSpan = {
          jobId: str(d.jobId), title: str(d.title), employer: str(d.employer), jobType: str(d.jobType),
          start: e.effectiveOn, end: null, reason: null, voluntary: null,
          tiers: d.tier ? [{ on: e.effectiveOn, tier: str(d.tier) }] : [],
        };
        byId.set(job.jobId, job);
        t.jobs.push(job);
        break;
      }
      case "promoted": byId.get(str(d.jobId))?.tiers.push({ on: e.effectiveOn, tier: str(d.tier) }); break;
      case "separated": {
        const job = byId.get(str(d.jobId));
        if (job) Object.assign(job, { end: e.effectiveOn, reason: str(d.reason), voluntary: d.voluntary === true });
        break;
      }
      case "disability-pause-started": t.pauses.push({ start: e.effectiveOn, end: null }); break;
      case "disability-pause-ended": {
        const open = [...t.pauses].reverse().find((p) => p.end === null);
        if (open) open.end = e.effectiveOn;
        break;
      }
      case "lost-to-follow-up": t.lost.push(e.effectiveOn); break;
      case "checked-in":
        t.checkIns.push({ on: e.effectiveOn, exhaustion: numOrNull(d.exhaustion), status: str(d.reportedStatus) });
        break;
    }
  }
  return t;
}
