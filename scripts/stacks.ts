import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type * as GithubSettings from "../config/github-settings";
import { BOOTSTRAP_STACKS, CLUSTER_LAYERS, environmentOfStack, type Layer, layerOfStack, runnerProjectName, SHARED_ENVIRONMENT } from "../config/naming";
import type * as Project from "../config/project";
import { didYouMean } from "../config/near";
import { type PlanBinding } from "../review/binding";
import { downstreamOf, loadSynthContext, upstreamOf } from "../review/context";
import type * as GithubSettingsCli from "./github-settings";
import { configLoader, runCli } from "./review-cli";
import { clusterHostIn, promotionOrder } from "./tenancy-delivery";

const USAGE = `Usage: npm run -s stacks -- [--env NAME | --environments | --upstream-of STACK | --downstream-of STACK] [--lines] [--manifest cdktf.out/manifest.json] [--config-dir config]

Prints the synthesized stacks in dependency order (state-backend first), as JSON, for CI matrices
and shell loops. Run \`npm run synth\` first.

  --env NAME             only the stacks of one environment ("shared": state-backend)
  --environments         the environments, in promotion order: non-production ones first, then production,
                         with each cluster host just before its first tenant (docs/topologies.md)
  --with-shared          with --environments: "shared" first (state-backend), for plan and apply matrices
  --upstream-of STACK    the stacks STACK reads from, directly or not (its dependencies); with --env, of that environment only
  --downstream-of STACK  the stacks that read from STACK, directly or not; with --env, of that environment only
  --scope aws|cluster    with --env: only the stacks that use the AWS API alone (hosted runners), or
                         those whose providers talk to the cluster API (the environment's runner)
  --runner               with --env: the label prefix of the runner for the environment's cluster
                         stacks ("codebuild-<project>", or "ubuntu-latest" with ci.runner: hosted);
                         nothing when it has none. Jobs append -<run id>-<attempt> to a codebuild one.
                         A tenant's is its host's runner, in the cluster's VPC.
  --host                 with --env: the environment whose cluster (VPC, runner, add-ons) it runs in: its
                         own name, or its host's for a tenant (config cluster.environment)
  --runner-info          with --env: --runner, --host and its cluster stacks at once, as JSON {label, host, stacks}
  --plan-targets         what plan.yml's legs plan (their AWS stacks), as JSON [{name, variable, key}]: each
                         non-production environment (its AWS stacks; the cluster stacks follow on its
                         runner), "shared" (state-backend) and each account stack whose state is in
                         the bucket, with the GitHub variable (and key in it) of the role that plans it
  --approved             with --plan-targets: the production environments instead, whose plans run
                         in their plan-<env> GitHub Environment, after an approval
  --apply-targets        with --binding FILE (the verified binding of the approved comment): the
                         targets apply.yml applies, as JSON [{name, production}] in apply order
                         ("shared" first, then promotion order): those with a stack whose reviewed
                         plan changes anything, or a stack with no plan yet (it waits for its
                         upstream, or the run lost it: its apply job says which); with --follow-up (an
                         apply run's newly plannable layers) only those with a bound plan that changes anything
  --lines                one per line instead of JSON
  --github-settings      the GitHub environments, variables and secrets docs/review-workflow.md's
                         checklist asks for, computed from config, backend.config and cdktf.json
                         (no synth, no credentials), as JSON; with --gh, as gh commands to run`;

runCli(USAGE, () => {
  const { values } = parseArgs({
    options: {
      env: { type: "string" },
      environments: { type: "boolean" },
      "with-shared": { type: "boolean" },
      "upstream-of": { type: "string" },
      "downstream-of": { type: "string" },
      lines: { type: "boolean" },
      "github-settings": { type: "boolean" },
      gh: { type: "boolean" },
      scope: { type: "string" },
      runner: { type: "boolean" },
      host: { type: "boolean" },
      "runner-info": { type: "boolean" },
      "with-upstream": { type: "boolean" },
      "plan-targets": { type: "boolean" },
      approved: { type: "boolean" },
      "apply-targets": { type: "boolean" },
      binding: { type: "string" },
      "follow-up": { type: "boolean" },
      manifest: { type: "string", default: "cdktf.out/manifest.json" },
      "config-dir": { type: "string", default: "config" },
    },
  });
  if (values["github-settings"]) {
    // Loaded only here: it brings the config loader, which the other answers never need.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load, on purpose
    const { githubSettingsOutput } = require("./github-settings") as typeof GithubSettingsCli;
    console.log(githubSettingsOutput(process.cwd(), path.resolve(values["config-dir"] as string), values.gh ? "gh" : "json"));
    return 0;
  }
  if (values.gh) throw new Error("--gh goes with --github-settings");
  const context = loadSynthContext(values.manifest as string);
  if (context.order.length === 0) throw new Error(`${values.manifest} lists no stacks; run npm run synth first`);
  const known = (stack: string) => {
    if (!context.order.includes(stack)) throw new Error(`no such stack: ${stack}; stacks: ${context.order.join(", ")}`);
    return stack;
  };
  const inManifest = [...new Set(context.order.map(environmentOfStack))];
  // An account stack is a plan target of its own (plan.yml plans each with its account's role).
  const accountStack = values.env !== undefined && /^account-\d{12}$/.test(values.env) && context.order.includes(values.env);
  if (values.env !== undefined && !inManifest.includes(values.env) && !accountStack) {
    throw new Error(`--env ${JSON.stringify(values.env)}: no such environment in ${values.manifest}${didYouMean(values.env, inManifest)}; environments: ${inManifest.join(", ")}`);
  }
  if (values.scope !== undefined && !["aws", "cluster"].includes(values.scope)) throw new Error(`--scope ${JSON.stringify(values.scope)}: allowed: aws, cluster`);
  if ((values.scope !== undefined || values.runner || values.host || values["runner-info"]) && values.env === undefined) throw new Error("--scope, --runner, --host and --runner-info need --env");
  const host = () => clusterHostIn(path.resolve(values["config-dir"] as string), values.env as string);
  const clusterStacks = () => context.order.filter((s) => environmentOfStack(s) === values.env && CLUSTER_LAYERS.includes(layerOfStack(s) as Layer));
  const runnerLabel = () => {
    const env = configLoader().loadEnvironments({ configDir: path.resolve(values["config-dir"] as string) }).find((e) => e.name === values.env);
    return !env || clusterStacks().length === 0 ? "" : env.ci.runner === "hosted" ? "ubuntu-latest" : `codebuild-${runnerProjectName(env)}`;
  };
  if (values.host) {
    console.log(host());
    return 0;
  }
  if (values.runner) {
    console.log(runnerLabel());
    return 0;
  }
  // The three at once, for runner-status.sh: one process instead of three.
  if (values["runner-info"]) {
    console.log(JSON.stringify({ label: runnerLabel(), host: host(), stacks: clusterStacks() }));
    return 0;
  }
  if (values["apply-targets"]) {
    if (!values.binding) throw new Error("--apply-targets needs --binding FILE");
    const binding = JSON.parse(readFileSync(values.binding, "utf8")) as PlanBinding;
    console.log(JSON.stringify(applyTargets(context.order, path.resolve(values["config-dir"] as string), binding, values["follow-up"] === true)));
    return 0;
  }
  if (values["plan-targets"]) {
    console.log(JSON.stringify(planTargets(context.order, path.resolve(values["config-dir"] as string), values.approved === true)));
    return 0;
  }
  const inScope = (s: string) => values.scope === undefined || CLUSTER_LAYERS.includes(layerOfStack(s) as Layer) === (values.scope === "cluster");
  let list: string[];
  if (values.environments) {
    const envs = configLoader().loadEnvironments({ configDir: path.resolve(values["config-dir"] as string) }).filter((e) => inManifest.includes(e.name));
    const shared = values["with-shared"] && inManifest.includes("shared") ? ["shared"] : [];
    // "bootstrap" (the account stacks) is applied by an operator, never by CI: not in the list.
    list = [...shared, ...promotionOrder(envs)];
  } else {
    const inEnv = (s: string) => !values.env || environmentOfStack(s) === values.env || s === values.env;
    if (values["upstream-of"]) list = upstreamOf(context, known(values["upstream-of"])).filter(inEnv);
    else if (values["downstream-of"]) list = downstreamOf(context, known(values["downstream-of"])).filter(inEnv);
    else list = context.order.filter(inEnv).filter(inScope);
    // One line per stack, its upstream (in its environment) after it: what the workflow scripts
    // loop over, in one process instead of one per stack.
    if (values["with-upstream"]) list = list.map((stack) => [stack, ...upstreamOf(context, stack).filter(inEnv)].join(" "));
  }
  console.log(values.lines ? list.join("\n") : JSON.stringify(list));
  return 0;
});

/** One leg of plan.yml: what it plans, and the GitHub variable (a map, with its key; or a plain value: key "") of its role. */
interface PlanTarget {
  readonly name: string;
  readonly variable: string;
  readonly key: string;
}

function planTargets(order: readonly string[], configDir: string, approved: boolean): PlanTarget[] {
  // Loaded here only: the stack lists the workflow scripts ask for in every job need neither.
  /* eslint-disable @typescript-eslint/no-require-imports -- lazy loads, on purpose */
  const { GITHUB_VARIABLES } = require("../config/github-settings") as typeof GithubSettings;
  const { loadProjectSettings } = require("../config/project") as typeof Project;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const loader = configLoader();
  const envs = loader.loadEnvironments({ configDir }).filter((e) => order.some((s) => environmentOfStack(s) === e.name));
  const chosen = envs.filter((e) => e.production === approved).map((e): PlanTarget => ({ name: e.name, variable: GITHUB_VARIABLES.planRoles, key: e.name }));
  if (approved) return chosen;
  const shared: PlanTarget[] = order.some((s) => environmentOfStack(s) === SHARED_ENVIRONMENT) ? [{ name: SHARED_ENVIRONMENT, variable: GITHUB_VARIABLES.statePlanRole, key: "" }] : [];
  // An account stack's state is local until stateBackendStorage is s3: CI cannot plan it then, and
  // the comment lists it as applied by an operator.
  const inBucket = loadProjectSettings(path.resolve("cdktf.json")).stateBackendStorage === "s3";
  const accounts = inBucket ? order.filter((s) => environmentOfStack(s) === BOOTSTRAP_STACKS).map((s): PlanTarget => ({ name: s, variable: GITHUB_VARIABLES.accountPlanRoles, key: s })) : [];
  return [...shared, ...chosen, ...accounts];
}

/** What apply.yml applies: state-backend, then the environments in promotion order (a cluster's host before its tenants), that have anything to apply. */
function applyTargets(order: readonly string[], configDir: string, binding: PlanBinding, followUp: boolean): Array<{ name: string; production: boolean }> {
  const envs = configLoader().loadEnvironments({ configDir });
  const changed = new Set(binding.changed ?? []);
  // A follow-up run bound only the layers it planned for review: its targets are theirs.
  const pending = (target: string) => order.some((s) => environmentOfStack(s) === target && (changed.has(s) || (!followUp && !(s in binding.plans))));
  const inOrder = [SHARED_ENVIRONMENT, ...promotionOrder(envs)];
  return inOrder.filter(pending).map((name) => ({ name, production: envs.some((e) => e.name === name && e.production) }));
}
