import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { BOOTSTRAP_STACKS, environmentOfStack, SHARED_ENVIRONMENT } from "../config/naming";
import { loadSynthContext } from "../review/context";
import { stackOfKey, stateKeyOfStack } from "../review/orphans";
import { runCli } from "./review-cli";

const USAGE = `Usage: node dist/scripts/orphans.js --env ENV|shared --keys FILE [--lines] [--manifest cdktf.out/manifest.json]
       node dist/scripts/orphans.js --removed BASE_MANIFEST [--manifest cdktf.out/manifest.json]
       node dist/scripts/orphans.js --merge FILE... [--counted-by ENV,…] [--removed BASE_MANIFEST --manifest M]

Orphaned states: state keys no stack of the synth owns that still hold resources (review/orphans.ts).
--env     from a listing of the bucket (FILE: [{key, resources}], resources null when not counted):
          ENV's own keys (<env>/…), or with "shared" every key of a prefix that is no environment of
          the synth (an environment renamed or removed; the state account's role lists, never
          reads, them: their resources stay null, "not counted"). With --lines, only the keys to
          count, one per line.
--removed the stacks of BASE_MANIFEST (the base branch's synth) that the synth no longer has, found
          by the trusted review job whatever the change's own jobs report.
--merge   the reports of every leg as one list: a count beats "not counted", an emptied state
          (0 resources) is no orphan, and a key "not counted" under the prefix of an environment
          whose own leg listed and counted its keys (--counted-by) is one that leg found absent or
          empty.
Prints JSON [{stack, key, resources}], sorted by stack.`;

interface Entry {
  readonly stack: string;
  readonly key: string;
  readonly resources: number | null;
}

const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as unknown;
const sorted = (list: readonly Entry[]) => [...list].sort((a, b) => a.stack.localeCompare(b.stack) || a.key.localeCompare(b.key));

runCli(USAGE, () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { "counted-by": { type: "string", default: "" }, env: { type: "string" }, keys: { type: "string" }, lines: { type: "boolean" }, removed: { type: "string" }, merge: { type: "boolean" }, manifest: { type: "string", default: "cdktf.out/manifest.json" } },
  });
  // The stacks a manifest lists (its own entries: `order` also holds a dependency it lacks).
  const stacksOf = (manifest: string) => Object.keys(loadSynthContext(manifest).dependencies);
  const removedOf = (baseManifest: string) => {
    const order = stacksOf(values.manifest as string);
    const base = stacksOf(baseManifest);
    return sorted(base.filter((s) => !order.includes(s)).map((stack) => ({ stack, key: stateKeyOfStack(stack), resources: null })));
  };
  if (values.merge) {
    const byKey = new Map<string, Entry>();
    // The base branch's own view of what leaves the code first: any leg's count beats it.
    for (const e of values.removed ? removedOf(values.removed) : []) byKey.set(e.key, e);
    for (const file of positionals) {
      const list = read(file);
      if (!Array.isArray(list)) throw new Error(`${file}: not a list of orphaned states`);
      for (const e of list as Entry[]) {
        const known = byKey.get(e.key);
        if (!known || known.resources === null) byKey.set(e.key, e);
      }
    }
    const countedBy = new Set((values["counted-by"] as string).split(",").filter(Boolean));
    const uncounted = (e: Entry) => e.resources === null && !countedBy.has(e.key.split("/")[0] ?? "");
    console.log(JSON.stringify(sorted([...byKey.values()].filter((e) => uncounted(e) || (e.resources ?? 0) > 0))));
    return 0;
  }
  if (values.removed) {
    console.log(JSON.stringify(removedOf(values.removed)));
    return 0;
  }
  const order = stacksOf(values.manifest as string);
  if (!values.env || !values.keys) throw new Error("--env and --keys are required (or --removed, or --merge)");
  const env = values.env;
  const listing = read(values.keys);
  if (!Array.isArray(listing)) throw new Error(`${values.keys}: not a JSON list of {key, resources}`);
  // The environments whose own legs list their prefixes; "shared" takes every other key (a removed
  // environment's, a removed account stack's under bootstrap/, state-backend's).
  const legs = new Set(order.map(environmentOfStack).filter((e) => e !== SHARED_ENVIRONMENT && e !== BOOTSTRAP_STACKS));
  const prefix = (key: string) => key.split("/")[0] ?? "";
  const mine = (key: string) => (env === SHARED_ENVIRONMENT ? !legs.has(prefix(key)) : prefix(key) === env);
  const candidates = (listing as Array<{ key: string; resources: number | null }>)
    .filter((k) => k.key.endsWith(".tfstate") && mine(k.key) && !order.includes(stackOfKey(k.key)))
    .map((k) => ({ stack: stackOfKey(k.key), key: k.key, resources: env === SHARED_ENVIRONMENT ? null : k.resources }));
  if (values.lines) {
    console.log(candidates.map((c) => c.key).join("\n"));
    return 0;
  }
  console.log(JSON.stringify(sorted(candidates.filter((c) => c.resources === null || c.resources > 0))));
  return 0;
});
