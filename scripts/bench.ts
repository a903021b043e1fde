import { spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { realDate } from "../config/clock";
import { scaleChartSvg, type ScalePoint } from "./bench/chart";
import { type Command, measureInterleaved, type Stats } from "./bench/measure";
import { generateLargePlans } from "./bench/big-plan";
import { generateEnvironments, linearFit } from "./bench/scale";

// `npm run bench`: measures synth, the cdktf CLI path, scaling with the number of environments,
// type-check, the test suite and plan rendering; prints a table and rewrites the measured part of
// BENCHMARKS.md and the scale chart. Targets are reported, never asserted.

const ROOT = process.cwd();
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SCALE_SIZES = [3, 10, 30];
const BIN = (name: string) => path.join(ROOT, "node_modules", ".bin", name);

interface Row {
  readonly name: string;
  readonly stats: Stats;
  readonly target?: { readonly seconds?: number; readonly mb?: number };
  readonly note?: string;
}

const fmt = (n: number | undefined, digits = 2) => (n === undefined ? "n/a" : n.toFixed(digits));

function verdict(row: Row): string {
  if (!row.target) return "";
  const timeOk = row.target.seconds === undefined || row.stats.median < row.target.seconds;
  const memOk = row.target.mb === undefined || row.stats.peakMb === undefined || row.stats.peakMb < row.target.mb;
  const goal = [row.target.seconds && `< ${row.target.seconds} s`, row.target.mb && `< ${row.target.mb} MB`].filter(Boolean).join(", ");
  return `${goal} ${timeOk && memOk ? "✅" : "❌ missed"}`;
}

function table(rows: readonly Row[]): string {
  const lines = ["| benchmark | median s | min s | max s | peak RSS MB | target | notes |", "| --- | ---: | ---: | ---: | ---: | --- | --- |"];
  for (const r of rows) {
    lines.push(`| ${r.name} | ${fmt(r.stats.median)} | ${fmt(r.stats.min)} | ${fmt(r.stats.max)} | ${fmt(r.stats.peakMb, 0)} | ${verdict(r)} | ${r.note ?? ""} |`);
  }
  return lines.join("\n");
}

/**
 * `npm run verify` once, stacks one at a time (`--jobs 1`, so each stack's time is its own):
 * the time per stack from its own line, and the whole run. Skipped where terraform is missing.
 */
function measureVerify(): Row[] {
  console.error("npm run verify (terraform validate + plan per stack, one at a time)...");
  const started = performance.now();
  const result = spawnSync("node", ["dist/scripts/verify.js", "--no-synth", "--jobs", "1"], { cwd: ROOT, encoding: "utf8" });
  const total = (performance.now() - started) / 1000;
  const lines = result.stdout.split("\n").map((l) => /^[✔◐] (\S+)\s.*\((\d+\.\d) s\)$/.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  if (result.status !== 0 || lines.length === 0) return [{ name: "`npm run verify`", stats: { median: NaN, min: NaN, max: NaN, samples: [] }, note: `not measured: ${result.stdout.split("\n")[0] ?? "failed"}` }];
  const one = (seconds: number): Stats => ({ median: seconds, min: seconds, max: seconds, samples: [{ seconds }] });
  return [
    ...lines.map((m) => ({ name: `verify \`${m[1]}\` (init, validate, plan, show; one run)`, stats: one(Number(m[2])) })),
    { name: "`npm run verify -- --jobs 1`, all stacks (one run)", stats: one(total), note: "the default runs two stacks at a time" },
  ];
}

async function main(): Promise<void> {
  const started = performance.now();
  const outdir = mkdtempSync(path.join(tmpdir(), "bench-out-"));
  const rows: Row[] = [];

  console.error(`Synth: npm run synth vs npx cdktf synth, interleaved, ${RUNS} runs after a warm-up...`);
  const synthCmd: Command = { label: "npm run synth", argv: ["npm", "run", "--silent", "synth"] };
  const cliCmd: Command = { label: "npx cdktf synth", argv: ["npx", "cdktf", "synth"] };
  const nodeCmd: Command = { label: "node dist/main.js", argv: ["node", "dist/main.js"], env: { CDKTF_OUTDIR: outdir } };
  const [synth, cli, nodeOnly] = measureInterleaved([synthCmd, cliCmd, nodeCmd], ROOT, RUNS) as [Stats, Stats, Stats];
  const ratios = synth.samples.map((s, i) => (cli.samples[i]?.seconds ?? NaN) / s.seconds);
  rows.push({ name: "`npm run synth` (tsc build + synth, all environments)", stats: synth, target: { seconds: 2, mb: 400 } });
  rows.push({ name: "`node dist/main.js` (synth only, already built)", stats: nodeOnly });
  rows.push({ name: "`npx cdktf synth` (same code through the cdktf CLI)", stats: cli, note: `CLI / npm run synth, pair by pair: ${ratios.map((r) => `${r.toFixed(2)}×`).join(", ")}` });

  console.error("Scale: 3, 10 and 30 generated environments...");
  const scalePoints: ScalePoint[] = [];
  const scaleRows: Row[] = [];
  for (const size of SCALE_SIZES) {
    const dir = generateEnvironments(ROOT, size);
    const scaleOut = mkdtempSync(path.join(tmpdir(), "bench-scale-"));
    const cmd: Command = { label: `synth ${size}`, argv: ["node", "dist/main.js", "--config-dir", dir], env: { CDKTF_OUTDIR: scaleOut } };
    const [stats] = measureInterleaved([cmd], ROOT, size >= 30 ? Math.max(3, Math.ceil(RUNS / 2)) : RUNS) as [Stats];
    scalePoints.push({ environments: size, seconds: stats.median, peakMb: stats.peakMb });
    const stackCount = readdirSync(path.join(scaleOut, "stacks")).length;
    scaleRows.push({ name: `synth, ${size} environments (${stackCount} stacks)`, stats, target: size === 30 ? { seconds: 10 } : undefined });
  }
  const timeFit = linearFit(scalePoints.map((p) => [p.environments, p.seconds]));
  const memFit = linearFit(scalePoints.map((p) => [p.environments, p.peakMb ?? 0]));
  rows.push(...scaleRows);

  console.error("Type-check and test suite...");
  const [typecheck, tests] = measureInterleaved(
    [
      { label: "tsc", argv: [BIN("tsc"), "--noEmit", "-p", "."] },
      { label: "npm test", argv: ["npm", "test", "--silent"], env: { CI: "true" } },
    ],
    ROOT,
    Math.max(3, Math.ceil(RUNS / 2)),
  ) as [Stats, Stats];
  rows.push({ name: "type-check (`tsc --noEmit`, TypeScript 7)", stats: typecheck, target: { seconds: 3 } });
  rows.push({ name: "whole test suite (`npm test`)", stats: tests, target: { seconds: 60 } });

  console.error("plan-comment on 10,000 changes in 20 stacks...");
  const planDir = mkdtempSync(path.join(tmpdir(), "bench-plans-"));
  const planFiles = generateLargePlans(20, 500).map(({ stack, plan }) => {
    const file = path.join(planDir, `${stack}.json`);
    writeFileSync(file, JSON.stringify(plan));
    return file;
  });
  // plan-comment refuses plans of stacks its manifest does not list: give it one for the generated stacks.
  const manifest = path.join(planDir, "manifest.json");
  writeFileSync(manifest, JSON.stringify({ stacks: Object.fromEntries(planFiles.map((f) => [path.basename(f, ".json"), { synthesizedStackPath: `stacks/${path.basename(f, ".json")}/cdk.tf.json` }])) }));
  const renderCmd: Command = { label: "plan-comment", argv: ["node", "dist/scripts/plan-comment.js", ...planFiles, "--manifest", manifest, "--out", path.join(planDir, "comment.md")] };
  const [render] = measureInterleaved([renderCmd], ROOT, RUNS) as [Stats];
  const planMb = planFiles.reduce((n, f) => n + statSync(f).size, 0) / 1e6;
  rows.push({ name: "`plan-comment`, 10,000 changes in 20 stacks (whole CLI run)", stats: render, target: { seconds: 1 }, note: `${planMb.toFixed(1)} MB of plan JSON in` });

  const verifyRows = measureVerify();
  rows.push(...verifyRows);

  const marginal = SCALE_SIZES.slice(1).map((size, i) => {
    const prev = scalePoints[i] as ScalePoint;
    const cur = scalePoints[i + 1] as ScalePoint;
    return `${prev.environments}→${size}: ${((cur.seconds - prev.seconds) / (size - prev.environments) * 1000).toFixed(0)} ms and ${fmt(((cur.peakMb ?? 0) - (prev.peakMb ?? 0)) / (size - prev.environments), 1)} MB per extra environment`;
  });
  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), Node ${process.version}, ${process.platform}/${process.arch}`;
  const report = [
    `Measured ${realDate().toISOString().slice(0, 10)} on ${machine}. ${RUNS} runs after one warm-up unless noted (30 environments and tsc/test: fewer); peak RSS is the largest process of a run, from the OS (GNU time).`,
    "",
    table(rows),
    "",
    "**Scaling** ([chart](docs/bench-scale.svg)):",
    `- time ≈ ${fmt(timeFit.intercept)} s + ${(timeFit.slope * 1000).toFixed(0)} ms × environments (R² = ${timeFit.r2.toFixed(4)});`,
    `- peak memory ≈ ${fmt(memFit.intercept, 0)} MB + ${fmt(memFit.slope, 1)} MB × environments (R² = ${memFit.r2.toFixed(4)});`,
    `- marginal cost: ${marginal.join("; ")}.`,
    "",
    `Total benchmark time: ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  ].join("\n");
  console.log(report);

  writeFileSync(path.join(ROOT, "docs", "bench-scale.svg"), await scaleChartSvg(scalePoints));
  const file = path.join(ROOT, "BENCHMARKS.md");
  const current = existsSync(file) ? readFileSync(file, "utf8") : "<!-- bench:start -->\n<!-- bench:end -->\n";
  writeFileSync(file, current.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, `<!-- bench:start -->\n${report}\n<!-- bench:end -->`));
  console.error("Wrote BENCHMARKS.md and docs/bench-scale.svg");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
