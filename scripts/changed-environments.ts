import { existsSync } from "node:fs";
import path from "node:path";
import { readStatuses } from "../review/status";
import { runCli } from "./review-cli";

const USAGE = `Usage: node dist/scripts/changed-environments.js <statuses dir> <env>...

Reads <dir>/<env>/<stack>.status.json (the statuses a run uploaded, per environment) and prints,
as JSON and in the order given, the environments with anything to apply: a plan that changes
something, or a stack that waits for its upstream. An environment whose plans all change nothing,
or that has no statuses in the run, is left out, so its apply job, and its approval, never run.`;

runCli(USAGE, () => {
  const [dir, ...envs] = process.argv.slice(2);
  if (!dir || !existsSync(dir)) throw new Error(`no statuses folder given or found: ${dir ?? "(none)"}`);
  const changed = envs.filter((env) => readStatuses(path.join(dir, env)).some((s) => s.status !== "planned" || s.changes !== false));
  console.log(JSON.stringify(changed));
  return 0;
});
