import { get, type Vocabulary } from "./api";

let cached: Promise<Vocabulary> | null = null;

/** The API's closed lists (credentials, job types, reasons, the configured ladder...), fetched once per page load. */
export function vocabulary(): Promise<Vocabulary> {
  cached ??= get<Vocabulary>("/api/vocabulary").catch((e) => {
    cached = null;
    throw e;
  });
  return cached;
}
