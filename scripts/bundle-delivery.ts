import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { buildSync } from "esbuild";
import { runCli } from "./review-cli";

const USAGE = `Usage: node dist/scripts/bundle-delivery.js <out dir>

Bundles the command-line tools the apply jobs run (stacks, plan-guard, plan-digest, plan-comment,
plan-binding, mask-log, reviewed-plan, orphans) from dist/scripts into <out dir>/dist/scripts, each one file with its
dependencies (esbuild), so that the jobs that hold credentials run no \`npm ci\` (and no package's
install script): the build job, which holds no OIDC token, makes them, and the apply jobs check the
sha256 of what it handed over (apply.yml).`;

/** The tools the apply jobs (apply-env.sh, download-plans.sh) call. */
export const DELIVERY_TOOLS = ["stacks", "plan-guard", "plan-digest", "plan-comment", "plan-binding", "mask-log", "reviewed-plan", "orphans"] as const;

runCli(USAGE, () => {
  const out = process.argv[2];
  if (!out) throw new Error("no output folder given");
  const dir = path.join(out, "dist", "scripts");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const tool of DELIVERY_TOOLS) {
    // Deterministic output: no metafile, no timestamps; the same sources give the same bytes.
    buildSync({ entryPoints: [path.join("dist", "scripts", `${tool}.js`)], bundle: true, platform: "node", target: "node20", outfile: path.join(dir, `${tool}.js`), logLevel: "warning", legalComments: "none" });
  }
  console.log(`bundled ${DELIVERY_TOOLS.length} tools into ${dir}`);
  return 0;
});
