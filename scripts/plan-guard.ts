import { parseArgs } from "node:util";
import { loadSynthContext } from "../review/context";
import { guard, guardReport } from "../review/guard";
import { checkPlansKnown, protectedPathsIn, readOrphans, readPlans, runCli } from "./review-cli";
import { clusterMembersIn } from "./tenancy-delivery";

const USAGE = `Usage: npm run plan-guard -- <plan.json|stack=plan.json>... [--allow <stack>:<address>|<stack>:orphaned-state]... [--orphans orphans.json] [--manifest cdktf.out/manifest.json] [--config-dir config]...

Exits 1 when a plan would destroy or replace a protected resource (a stateful type, or a construct
path listed under \`protect\` in an environment's config, or a namespace that holds an environment's
services, which it names), change a resource in a way that destroys data (a shorter retention,
deletion protection off, ...), or leave a state orphaned (--orphans: the JSON list of
{ stack, key, resources } no current stack owns), unless each is allowed.
--config-dir may be given more than once (the base branch's config and the change's): a path is
protected if any of them protects it. Exits 2 on anything it cannot check: a plan that errored or
is incomplete, an action Terraform never plans, a plan of an unknown stack, a mistyped --allow.`;

runCli(USAGE, () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      allow: { type: "string", multiple: true, default: [] },
      orphans: { type: "string" },
      manifest: { type: "string", default: "cdktf.out/manifest.json" },
      "config-dir": { type: "string", multiple: true, default: ["config"] },
    },
  });
  const context = loadSynthContext(values.manifest as string);
  // A change that only removes stacks has no plan to give, only their orphaned state.
  const plans = positionals.length === 0 && values.orphans ? [] : readPlans(positionals);
  checkPlansKnown(plans, context, values.manifest as string);
  const protectedPaths = protectedPathsIn(values["config-dir"] as string[]);
  const orphans = values.orphans ? readOrphans(values.orphans) : [];
  // An allow-list given as one comma- or space-separated string (from the apply script) works too.
  const allow = (values.allow as string[]).flatMap((a) => a.split(/[\s,]+/)).filter(Boolean);
  // Whose services each namespace holds, from the same folders: deleting one names its environment.
  const clusters = clusterMembersIn(values["config-dir"] as string[]);
  const result = guard(plans, { allow, protectedPaths, clusters, context, orphans });
  const report = guardReport(result);
  if (result.blocked.length) console.error(report);
  else console.log(report);
  return result.blocked.length ? 1 : 0;
});
