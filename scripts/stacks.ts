import path from "node:path";
import { parseArgs } from "node:util";
import { environmentOfStack } from "../config/naming";
import { didYouMean } from "../config/near";
import { downstreamOf, loadSynthContext, upstreamOf } from "../review";
import { configLoader, runCli } from "./review-cli";

const USAGE = `Usage: npm run -s stacks -- [--env NAME | --environments | --upstream-of STACK | --downstream-of STACK] [--lines] [--manifest cdktf.out/manifest.json] [--config-dir config]

Prints the synthesized stacks in dependency order (state-backend first), as JSON, for CI matrices
and shell loops. Run \`npm run synth\` first.

  --env NAME             only the stacks of one environment ("shared": state-backend)
  --environments         the environments, in promotion order: non-production ones first, then production
  --with-shared          with --environments: "shared" first (state-backend), for plan and apply matrices
  --upstream-of STACK    the stacks STACK reads from, directly or not (its dependencies); with --env, of that environment only
  --downstream-of STACK  the stacks that read from STACK, directly or not; with --env, of that environment only
  --lines                one per line instead of JSON`;

runCli(USAGE, () => {
  const { values } = parseArgs({
    options: {
      env: { type: "string" },
      environments: { type: "boolean" },
      "with-shared": { type: "boolean" },
      "upstream-of": { type: "string" },
      "downstream-of": { type: "string" },
      lines: { type: "boolean" },
      manifest: { type: "string", default: "cdktf.out/manifest.json" },
      "config-dir": { type: "string", default: "config" },
    },
  });
  const context = loadSynthContext(values.manifest as string);
  if (context.order.length === 0) throw new Error(`${values.manifest} lists no stacks; run npm run synth first`);
  const known = (stack: string) => {
    if (!context.order.includes(stack)) throw new Error(`no such stack: ${stack}; stacks: ${context.order.join(", ")}`);
    return stack;
  };
  const inManifest = [...new Set(context.order.map(environmentOfStack))];
  if (values.env !== undefined && !inManifest.includes(values.env)) {
    throw new Error(`--env ${JSON.stringify(values.env)}: no such environment in ${values.manifest}${didYouMean(values.env, inManifest)}; environments: ${inManifest.join(", ")}`);
  }
  let list: string[];
  if (values.environments) {
    const envs = configLoader().loadEnvironments({ configDir: path.resolve(values["config-dir"] as string) }).filter((e) => inManifest.includes(e.name));
    const shared = values["with-shared"] && inManifest.includes("shared") ? ["shared"] : [];
    // "bootstrap" (the account stacks) is applied by an operator, never by CI: not in the list.
    list = [...shared, ...envs.filter((e) => !e.production).map((e) => e.name), ...envs.filter((e) => e.production).map((e) => e.name)];
  } else {
    const inEnv = (s: string) => !values.env || environmentOfStack(s) === values.env;
    if (values["upstream-of"]) list = upstreamOf(context, known(values["upstream-of"])).filter(inEnv);
    else if (values["downstream-of"]) list = downstreamOf(context, known(values["downstream-of"])).filter(inEnv);
    else list = context.order.filter(inEnv);
  }
  console.log(values.lines ? list.join("\n") : JSON.stringify(list));
  return 0;
});
