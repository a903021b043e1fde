import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import { PASS_THROUGH_PATHS, unknownValueKeys } from "../modules/helm/value-keys";
import { runCli } from "./review-cli";

const USAGE = `Usage: npm run -s chart-values -- (--list | --check DIR) [--out cdktf.out]

Reads every helm_release of the synthesized stacks (run npm run synth first).

  --list       the pinned upstream charts, one per line: <chart> <repository> <version>
  --check DIR  checks every value each release sets against DIR/<chart>-<version>/values.yaml (and
               values.schema.json where the chart has one): Helm ignores a misspelt key silently.
               CI fills DIR with \`helm pull\` at the pinned versions; ../shared/reference/helm-charts
               has the same layout.`;

/** One helm_release of a synthesized stack. */
export interface SynthesizedRelease {
  readonly stack: string;
  readonly name: string;
  readonly chart: string;
  readonly repository?: string;
  readonly version: string;
  /** Each `values` document, parsed. */
  readonly values: ReadonlyArray<Record<string, unknown>>;
}

/** Every helm_release of the stacks in a cdktf output folder. */
export function releasesIn(outdir: string): SynthesizedRelease[] {
  const stacksDir = path.join(outdir, "stacks");
  return readdirSync(stacksDir)
    .sort()
    .flatMap((stack) => {
      const file = path.join(stacksDir, stack, "cdk.tf.json");
      if (!existsSync(file)) return [];
      const json = JSON.parse(readFileSync(file, "utf8")) as { resource?: { helm_release?: Record<string, Record<string, unknown>> } };
      return Object.entries(json.resource?.helm_release ?? {}).map(([name, r]) => ({
        stack,
        name,
        chart: String(r.chart),
        repository: r.repository as string | undefined,
        version: String(r.version),
        values: ((r.values as string[] | undefined) ?? []).map((v) => parse(v) as Record<string, unknown>),
      }));
    });
}

/** Releases of upstream charts (not the project's own local charts). */
export function upstreamReleases(releases: readonly SynthesizedRelease[]): SynthesizedRelease[] {
  return releases.filter((r) => r.repository !== undefined);
}

/**
 * Keys every subchart of the pinned charts has for scheduling its pods, for when the subchart's
 * own values.yaml is not at hand (../shared/reference keeps the parent's only; CI's pulled charts
 * have them all, under charts/<name>/): grafana 12.11.1 and kube-state-metrics 8.4.0 (in
 * kube-prometheus-stack 88.5.3) both have `nodeSelector: {}`, `tolerations: []`, `resources: {}` and `podAnnotations: {}`,
 * and a `serviceAccount` with `name` and `annotations`.
 */
const SUBCHART_SCHEDULING_KEYS = { nodeSelector: {}, tolerations: [], resources: {}, podAnnotations: {}, serviceAccount: { name: "", annotations: {} } } as const;

/** A chart's defaults with its subcharts' own values below their names, as Helm passes them on. */
function withSubcharts(folder: string, defaults: Record<string, unknown>): Record<string, unknown> {
  const chartFile = path.join(folder, "Chart.yaml");
  const dependencies = existsSync(chartFile) ? ((parse(readFileSync(chartFile, "utf8")) as { dependencies?: Array<{ name: string }> }).dependencies ?? []) : [];
  const merged = { ...defaults };
  for (const { name } of dependencies) {
    const own = path.join(folder, "charts", name, "values.yaml");
    const values = existsSync(own) ? ((parse(readFileSync(own, "utf8")) as Record<string, unknown>) ?? {}) : SUBCHART_SCHEDULING_KEYS;
    // The parent's overrides over the subchart's own, one level deep (Helm merges maps all the way:
    // the parent's `grafana.serviceAccount` keeps the subchart's other serviceAccount keys).
    const parent = (defaults[name] as Record<string, unknown> | undefined) ?? {};
    merged[name] = Object.fromEntries(
      [...new Set([...Object.keys(values), ...Object.keys(parent)])].map((key) => {
        const [own, over] = [(values as Record<string, unknown>)[key], parent[key]];
        const bothMaps = [own, over].every((v) => v !== null && typeof v === "object" && !Array.isArray(v));
        return [key, bothMaps ? { ...(own as object), ...(over as object) } : (over ?? own)];
      }),
    );
  }
  return merged;
}

/** What each release sets that its chart (in `dir/<chart>-<version>/`) does not have: `<stack> <release>: <key>` each. */
export function checkReleases(releases: readonly SynthesizedRelease[], dir: string): string[] {
  // A missing folder is one mistake (a wrong path, a pull that failed), not one unknown key per release.
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir}: no such folder; pass the folder holding <chart>-<version>/values.yaml for each pinned chart (CI fills it with helm pull)`);
  return upstreamReleases(releases).flatMap((r) => {
    const folder = path.join(dir, `${r.chart}-${r.version}`);
    if (!existsSync(path.join(folder, "values.yaml"))) return [`${r.stack} ${r.name}: no values.yaml for ${r.chart} ${r.version} in ${dir}`];
    const defaults = withSubcharts(folder, (parse(readFileSync(path.join(folder, "values.yaml"), "utf8")) as Record<string, unknown>) ?? {});
    const schemaFile = path.join(folder, "values.schema.json");
    const schema = existsSync(schemaFile) ? JSON.parse(readFileSync(schemaFile, "utf8")) : undefined;
    return r.values.flatMap((values) => unknownValueKeys(values, defaults ?? {}, schema, "", PASS_THROUGH_PATHS[r.chart]).map((key) => `${r.stack} ${r.name}: ${key} is not a value of ${r.chart} ${r.version}`));
  });
}

if (require.main === module) {
  runCli(USAGE, () => {
    const { values } = parseArgs({ options: { list: { type: "boolean" }, check: { type: "string" }, out: { type: "string", default: "cdktf.out" } } });
    const releases = releasesIn(values.out as string);
    if (values.list) {
      const lines = [...new Set(upstreamReleases(releases).map((r) => `${r.chart} ${r.repository} ${r.version}`))];
      console.log(lines.join("\n"));
      return 0;
    }
    if (!values.check) throw new Error("one of --list or --check DIR is required");
    const problems = checkReleases(releases, values.check);
    for (const p of problems) console.error(p);
    const missing = problems.filter((p) => p.includes(": no values.yaml for ")).length;
    console.log(`chart values: ${upstreamReleases(releases).length} releases checked against ${values.check}: ${problems.length - missing} unknown key(s), ${missing} chart(s) not found there`);
    return problems.length ? 1 : 0;
  });
}
