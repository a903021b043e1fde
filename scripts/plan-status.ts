import { parseArgs } from "node:util";
import { environmentOfStack, BOOTSTRAP_STACKS } from "../config/naming";
import { loadSynthContext } from "../review/context";
import { readStatuses, shortList, statusesOf, unplannedStacks } from "../review/status";
import { readdirSync } from "node:fs";
import { runCli } from "./review-cli";

const USAGE = `Usage: node dist/scripts/plan-status.js [--manifest cdktf.out/manifest.json] [--env ENV] --statuses DIR --plans DIR [--plan-suffix .tfplan]

Prints the stacks of the manifest that have no plan and no reason not to (failed, or missing: their
job died), comma-separated, shortened to fit a commit status; prints nothing when every stack has a
plan, waits for its upstream, or is an account stack (applied by an operator). With --env, only that
environment's stacks count. A plan is DIR/<stack><suffix> (.tfplan by default; drift reads .json).`;

runCli(USAGE, () => {
  const { values } = parseArgs({
    options: { manifest: { type: "string", default: "cdktf.out/manifest.json" }, env: { type: "string" }, statuses: { type: "string" }, plans: { type: "string" }, "plan-suffix": { type: "string", default: ".tfplan" } },
  });
  if (!values.statuses || !values.plans) throw new Error("--statuses and --plans are required");
  const context = loadSynthContext(values.manifest as string);
  const suffix = values["plan-suffix"] as string;
  const planned = readdirSync(values.plans).filter((f) => f.endsWith(suffix) && !f.endsWith(".status.json") && !f.startsWith("orphans-")).map((f) => f.slice(0, -suffix.length));
  const expected = context.order.filter((s) => values.env === undefined || environmentOfStack(s) === values.env);
  if (values.env !== undefined && expected.length === 0) throw new Error(`--env ${values.env}: no stack of the manifest belongs to it`);
  const statuses = statusesOf(expected, planned.map((stack) => ({ stack, plan: { format_version: "1.2" } })), readStatuses(values.statuses));
  const text = shortList(unplannedStacks(statuses, (s) => environmentOfStack(s) === BOOTSTRAP_STACKS));
  if (text) console.log(text);
  return 0;
});
