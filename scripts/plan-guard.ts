import { parseArgs } from "node:util";
import { guard, guardReport, loadSynthContext } from "../review";
import { checkPlansKnown, protectedPathsIn, readPlans, runCli } from "./review-cli";

const USAGE = `Usage: npm run plan-guard -- <plan.json|stack=plan.json>... [--allow <stack>:<address>|allow-destroy:<label>]... [--manifest cdktf.out/manifest.json] [--config-dir config]

Exits 1 when a plan would destroy or replace a protected resource (a stateful type, or a construct
path listed under \`protect\` in an environment's config) that is not explicitly allowed.`;

runCli(USAGE, () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      allow: { type: "string", multiple: true, default: [] },
      manifest: { type: "string", default: "cdktf.out/manifest.json" },
      "config-dir": { type: "string", default: "config" },
    },
  });
  const context = loadSynthContext(values.manifest as string);
  const plans = readPlans(positionals);
  checkPlansKnown(plans, context, values.manifest as string);
  const protectedPaths = protectedPathsIn(values["config-dir"] as string);
  // An allow-list given as one comma- or space-separated string (from a PR label or input) works too.
  const allow = (values.allow as string[]).flatMap((a) => a.split(/[\s,]+/)).filter(Boolean);
  const result = guard(plans, { allow, protectedPaths, context });
  const report = guardReport(result);
  if (result.blocked.length) console.error(report);
  else console.log(report);
  return result.blocked.length ? 1 : 0;
});
