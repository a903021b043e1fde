import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { readFileSync as read, writeFileSync } from "node:fs";
import { type PlanBinding, signComment } from "../review/binding";
import { type Plan } from "../review/plan";
import { readPlans, runCli } from "./review-cli";

const USAGE = `Usage: node dist/scripts/plan-binding.js --run RUN_ID --pr N --base SHA --head SHA --plans DIR [--orphans FILE]

Prints the signed binding (JSON) of a plan comment: the run, pull request, base and head, the
sha256 of each DIR/<stack>.tfplan, which of them change anything, and the orphan report's sha256; signed with PLAN_DIGEST_KEY over the
semantic digest of DIR/<stack>.json (derived from those .tfplan files). Run by the trusted jobs
only: plan-review.yml, and apply for the layers it planned for review.`;

/** Whether a plan changes a resource or an output (what `terraform plan -detailed-exitcode` reports as 2). */
function changesAnything(plan: Plan): boolean {
  const real = (actions: readonly string[]) => !actions.every((a) => a === "no-op" || a === "read");
  return (plan.resource_changes ?? []).some((rc) => real(rc.change.actions) || Boolean(rc.previous_address && rc.previous_address !== rc.address) || Boolean(rc.change.importing)) || Object.values(plan.output_changes ?? {}).some((c) => real(c.actions));
}

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

runCli(USAGE, () => {
  const { values } = parseArgs({
    options: { sign: { type: "string" }, run: { type: "string" }, pr: { type: "string" }, base: { type: "string" }, head: { type: "string" }, plans: { type: "string" }, orphans: { type: "string" } },
  });
  if (values.sign) {
    const key = process.env.PLAN_DIGEST_KEY ?? "";
    if (!key) throw new Error("PLAN_DIGEST_KEY is not set: only the trusted jobs, which hold the review key, sign comments");
    writeFileSync(values.sign, signComment(read(values.sign, "utf8"), key));
    return 0;
  }
  const missing = (["run", "pr", "base", "head", "plans"] as const).filter((k) => !values[k]);
  if (missing.length) throw new Error(`missing ${missing.map((m) => `--${m}`).join(", ")}`);
  const dir = values.plans as string;
  if (!existsSync(dir)) throw new Error(`--plans ${dir}: no such folder`);
  const stacks = readdirSync(dir).filter((f) => f.endsWith(".tfplan")).map((f) => f.replace(/\.tfplan$/, "")).sort();
  const withoutJson = stacks.filter((s) => !existsSync(path.join(dir, `${s}.json`)));
  if (withoutJson.length) throw new Error(`${withoutJson.join(", ")}: a .tfplan without its derived JSON in ${dir}; derive it with terraform show -json first`);
  const plans = stacks.length ? readPlans(stacks.map((s) => `${s}=${path.join(dir, `${s}.json`)}`)) : [];
  const binding: PlanBinding = {
    run: values.run as string,
    pr: Number(values.pr),
    base: values.base as string,
    head: values.head as string,
    plans: Object.fromEntries(stacks.map((s) => [s, sha256(path.join(dir, `${s}.tfplan`))])),
    changed: plans.filter((p) => changesAnything(p.plan)).map((p) => p.stack),
    ...(values.orphans ? { orphans: sha256(values.orphans) } : {}),
  };
  console.log(JSON.stringify(binding));
  return 0;
});
