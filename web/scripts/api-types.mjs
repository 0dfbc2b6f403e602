// `npm run api-types`: refreshes openapi/v1.json from a running service (TRAJECTORIES_URL, by default `make run`'s
// http://127.0.0.1:5080), then regenerates src/api-types.ts from it (`npm run types`). Both files are committed, so
// the build needs no running service; it only checks that src/api-types.ts still matches openapi/v1.json.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const web = join(dirname(fileURLToPath(import.meta.url)), "..");
const base = (process.env.TRAJECTORIES_URL ?? "http://127.0.0.1:5080").replace(/\/+$/, "");
const url = `${base}/openapi/v1.json`;

let response;
try {
  response = await fetch(url);
} catch (e) {
  const why = e.cause?.code ?? e.message;
  console.error(`api-types: ${url} cannot be reached (${why}); start the service (make run) or set TRAJECTORIES_URL`);
  process.exit(1);
}
if (!response.ok) {
  console.error(`api-types: ${url} answered ${response.status} ${response.statusText}`);
  process.exit(1);
}
const doc = await response.json();
// The servers list names whatever address the service was reached at; without it the copy changes only with the API.
delete doc.servers;
writeFileSync(join(web, "openapi", "v1.json"), JSON.stringify(doc, null, 2) + "\n");
console.error(`api-types: wrote openapi/v1.json from ${url}`);
execFileSync("npm", ["run", "--silent", "types"], { cwd: web, stdio: "inherit" });
