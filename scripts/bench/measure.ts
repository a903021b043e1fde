import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** One timed run of a command. */
export interface Sample {
  /** Wall time, in seconds. */
  readonly seconds: number;
  /** Peak resident memory of the largest process of the run, in MB (from the OS), when known. */
  readonly peakMb?: number;
}

/** A command to measure. */
export interface Command {
  readonly label: string;
  readonly argv: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

// GNU time reports the peak RSS the kernel recorded (wait4's ru_maxrss): the largest single
// process of the run, which for `npm run synth` is the synthesizing node process.
const GNU_TIME = "/usr/bin/time";

/** Runs a command once, failing loudly if it fails (a benchmark of a broken run means nothing). */
export function runOnce(command: Command, cwd: string): Sample {
  const scratch = mkdtempSync(path.join(tmpdir(), "bench-"));
  const rssFile = path.join(scratch, "rss");
  const withTime = existsSync(GNU_TIME);
  const argv = withTime ? [GNU_TIME, "-f", "%M", "-o", rssFile, ...command.argv] : [...command.argv];
  const start = process.hrtime.bigint();
  const result = spawnSync(argv[0] as string, argv.slice(1), { cwd, env: { ...process.env, CHECKPOINT_DISABLE: "1", ...command.env }, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    throw new Error(`${command.label} failed (exit ${result.status}):\n${(result.stderr || result.stdout).slice(-2000)}`);
  }
  const peakMb = withTime ? Number(readFileSync(rssFile, "utf8").trim().split("\n").pop()) / 1024 : undefined;
  rmSync(scratch, { recursive: true, force: true });
  return { seconds, peakMb };
}

/** Summary of several samples. */
export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly peakMb?: number;
  readonly samples: readonly Sample[];
}

export function summarize(samples: readonly Sample[]): Stats {
  const times = samples.map((s) => s.seconds).sort((a, b) => a - b);
  const mid = Math.floor(times.length / 2);
  const median = times.length % 2 ? (times[mid] as number) : ((times[mid - 1] as number) + (times[mid] as number)) / 2;
  const peaks = samples.flatMap((s) => (s.peakMb === undefined ? [] : [s.peakMb]));
  return { median, min: times[0] as number, max: times[times.length - 1] as number, peakMb: peaks.length ? Math.max(...peaks) : undefined, samples };
}

/**
 * Runs each command `runs` times after one warm-up, interleaving the commands round by round so
 * that a slow moment of the machine hits all of them alike (pairs stay comparable).
 */
export function measureInterleaved(commands: readonly Command[], cwd: string, runs: number): Stats[] {
  for (const command of commands) runOnce(command, cwd);
  const samples: Sample[][] = commands.map(() => []);
  for (let round = 0; round < runs; round++) {
    commands.forEach((command, i) => samples[i]?.push(runOnce(command, cwd)));
  }
  return samples.map(summarize);
}
