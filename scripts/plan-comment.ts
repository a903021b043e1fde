import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { BOOTSTRAP_STACKS, environmentOfStack } from "../config/naming";
import { guard, loadSynthContext, markStale, type OrphanedState, type PlanBinding, readStatuses, renderComment, renderFull, renderSummary, shortList, statusesOf, type SynthContext, unjudgeable, unplannedStacks } from "../review";
import { checkPlansKnown, protectedPathsIn, readOrphans as readGuardOrphans, readPlans, runCli } from "./review-cli";
import { clusterMembersIn } from "./tenancy-delivery";

const USAGE = `Usage: npm run plan-comment -- <plan.json|stack=plan.json>... [--manifest cdktf.out/manifest.json] [--statuses DIR] [--config-dir config]...
         [--allow STACK:ADDRESS]... [--sha SHA] [--binding binding.json] [--orphans orphans.json] [--operator-stacks STACK,...] [--all-drift]
         [--out comment.md] [--full-out full.md] [--summary-out summary.md]
       npm run plan-comment -- --mark-stale NEW_SHA --from comment.md [--out comment.md]

Renders \`terraform show -json\` plans of one or more stacks as one GitHub comment (at most 65,536 characters):
every stack of the manifest with its status (a plan, or why there is none, from the <stack>.status.json
files in --statuses), orphaned states, destructive changes with what plan-guard will refuse and the
/allow line for each, and attribute diffs, trimmed stack by stack to fit.

  --binding FILE           the PlanBinding (JSON: run, pr, base, head, plans, orphans) the comment vouches
                           for: written into its marker, and the source of the /allow lines; --sha
                           defaults to its head, and every plan must have a sha256 in it
  --config-dir DIR         a config folder whose protect lists count, and that says which environment's
                           services each cluster's namespaces hold (a change to a shared cluster's eks or
                           platform stack names them all); more than once: the base branch's and the
                           change's, either protecting a resource protects it
  --allow STACK:ADDRESS    what approving reviews allowed (review-run.js allows): not marked refused
  --orphans FILE           JSON list of { "stack", "key", "resources" } (resources null: not counted)
  --operator-stacks LIST   stacks an operator applies, not CI: one neutral line, never "no plan"
  --full-out FILE          the full rendering, untrimmed (CI uploads it as the artifact plan-rendering)
  --summary-out FILE       a rendering for the job summary, at most 1,000,000 bytes
  --verdict-out FILE       the guard's verdict on these plans, as plan-guard's exit code: 0 nothing refused,
                           1 something refused until allowed, 2 a plan it cannot judge (one process, not two)
  --unplanned-out FILE     with --statuses: the stacks with no plan and no reason not to (failed, missing),
                           shortened for a commit status; empty when every stack is planned, waits or is an operator's
  --mark-stale NEW_SHA     rewrite an existing comment as outdated while a newer commit is being planned;
                           its binding is dropped, so apply refuses it

Environment:
  PLAN_DIGEST_KEY   key of the marker's digest (plan-digest --help). Unset (a local run), a random key
                    of this run is used, and said on stderr: that digest compares with no other.`;


function operatorStacksOf(list: string | undefined, context: SynthContext): string[] {
  const stacks = (list ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = stacks.filter((s) => !context.order.includes(s));
  if (unknown.length) throw new Error(`--operator-stacks: no such stack ${unknown.join(", ")}; stacks: ${context.order.join(", ")}`);
  return stacks;
}

function digestKey(): string | Buffer {
  const key = process.env.PLAN_DIGEST_KEY;
  if (key) return key;
  console.error("plan-comment: PLAN_DIGEST_KEY is not set; the marker's digest uses a random key of this run, and compares with no other digest");
  return randomBytes(32);
}

runCli(USAGE, () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      manifest: { type: "string", default: "cdktf.out/manifest.json" },
      statuses: { type: "string" },
      "config-dir": { type: "string", multiple: true, default: ["config"] },
      allow: { type: "string", multiple: true, default: [] },
      sha: { type: "string" },
      binding: { type: "string" },
      orphans: { type: "string" },
      "operator-stacks": { type: "string" },
      out: { type: "string" },
      "full-out": { type: "string" },
      "summary-out": { type: "string" },
      "verdict-out": { type: "string" },
      "unplanned-out": { type: "string" },
      "all-drift": { type: "boolean", default: false },
      "mark-stale": { type: "string" },
      from: { type: "string" },
    },
  });
  const write = (text: string) => (values.out ? writeFileSync(values.out, text) : process.stdout.write(text));
  if (values["mark-stale"]) {
    if (!values.from) throw new Error("--mark-stale needs --from <the current comment's file>");
    write(markStale(readFileSync(values.from, "utf8"), values["mark-stale"]));
    return 0;
  }
  const context = loadSynthContext(values.manifest as string);
  // With --statuses and no plan at all (every plan job failed), the comment still lists every stack.
  const plans = positionals.length === 0 && values.statuses ? [] : readPlans(positionals);
  checkPlansKnown(plans, context, values.manifest as string);
  const protectedPaths = protectedPathsIn(values["config-dir"] as string[]);
  const clusters = clusterMembersIn(values["config-dir"] as string[]);
  const guardOrphans = values.orphans ? readGuardOrphans(values.orphans) : [];
  const allow = (values.allow as string[]).flatMap((a) => a.split(/[\s,]+/)).filter(Boolean);
  // A plan the guard cannot judge (errored, incomplete, unknown actions) is still shown, with its
  // warning; the guard judges the rest, and plan-guard's own run refuses the whole change.
  const problems = unjudgeable(plans);
  for (const p of problems) console.error(`plan-comment: cannot be judged: ${p}`);
  const judged = plans.filter((p) => !problems.some((m) => m.startsWith(`${p.stack}: `)));
  const { blocked } = guard(judged, { protectedPaths, clusters, context, orphans: guardOrphans, allow: allow.filter((a) => judged.some((p) => a.startsWith(`${p.stack}:`)) || guardOrphans.some((o) => a.startsWith(`${o.stack}:`))) });
  const statuses = values.statuses ? statusesOf(context.order, plans, readStatuses(values.statuses)) : undefined;
  const binding = values.binding ? (JSON.parse(readFileSync(values.binding, "utf8")) as PlanBinding) : undefined;
  const orphans: OrphanedState[] | undefined = values.orphans ? guardOrphans.map((o) => ({ stack: o.stack, key: o.key, resources: o.resources ?? undefined })) : undefined;
  const operatorStacks = operatorStacksOf(values["operator-stacks"], context);
  const options = {
    digestKey: digestKey(),
    // A binding names its head; GITHUB_SHA of a trusted job is the default branch's commit, not the PR's.
    sha: values.sha ?? (binding ? undefined : (process.env.GITHUB_SHA ?? "local")),
    binding,
    orphans,
    operatorStacks,
    context,
    environmentOf: environmentOfStack,
    allDrift: values["all-drift"],
    blocked,
    statuses,
    clusters,
  };
  const result = renderComment(plans, options);
  write(result.markdown);
  if (values["full-out"]) writeFileSync(values["full-out"], renderFull(plans, options));
  if (values["summary-out"]) {
    const summary = renderSummary(plans, options);
    writeFileSync(values["summary-out"], summary.markdown);
    if (summary.omitted.length) console.error(`plan-comment: the job summary is trimmed to ${Buffer.byteLength(summary.markdown)} bytes; the full rendering is in --full-out`);
  }
  if (values["verdict-out"]) writeFileSync(values["verdict-out"], `${problems.length ? 2 : blocked.length ? 1 : 0}\n`);
  if (values["unplanned-out"]) {
    if (!statuses) throw new Error("--unplanned-out needs --statuses");
    writeFileSync(values["unplanned-out"], shortList(unplannedStacks(statuses, (s) => operatorStacks.includes(s) || environmentOfStack(s) === BOOTSTRAP_STACKS)));
  }
  if (result.omitted.length) console.error(`plan-comment: trimmed to ${result.markdown.length} characters; left out: ${result.omitted.join("; ")}`);
  return 0;
});
