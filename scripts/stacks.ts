import { parseArgs } from "node:util";
import { environmentOfStack } from "../config/naming";
import { loadSynthContext } from "../review";
import { runCli } from "./review-cli";

const USAGE = `Usage: npm run -s stacks -- [--env NAME | --environments] [--lines] [--manifest cdktf.out/manifest.json]

Prints the synthesized stacks in dependency order (state-backend first), as JSON, for CI matrices
and shell loops. Run \`npm run synth\` first.

  --env NAME        only the stacks of one environment
  --environments    the environments instead of the stacks
  --lines           one per line instead of JSON`;

runCli(USAGE, () => {
  const { values } = parseArgs({
    options: { env: { type: "string" }, environments: { type: "boolean" }, lines: { type: "boolean" }, manifest: { type: "string", default: "cdktf.out/manifest.json" } },
  });
  const order = loadSynthContext(values.manifest as string).order;
  if (order.length === 0) throw new Error(`${values.manifest} lists no stacks; run npm run synth first`);
  const envs = [...new Set(order.map(environmentOfStack).filter((e) => e !== "shared"))].sort();
  const list = values.environments ? envs : order.filter((s) => !values.env || environmentOfStack(s) === values.env);
  console.log(values.lines ? list.join("\n") : JSON.stringify(list));
  return 0;
});
