import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * A fake `gh` for the workflow scripts' tests: it answers `gh api <path>` from files of a
 * scenario (GitHub's REST JSON, by path), downloads run artifacts from folders, and records every
 * call (writes included) so a test can see what a script asked of GitHub and what it wrote there.
 * A path the scenario does not hold answers 404, as GitHub would.
 */
const FAKE_GH = path.join(__dirname, "fake-gh.sh");

/** A scenario for the fake gh: `api` answers by path (JSON, or raw bytes: a tarball), `artifacts` by run and name (file name → content). */
export interface GhScenario {
  readonly api?: Readonly<Record<string, unknown>>;
  readonly artifacts?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string | Buffer>>>>>>;
  /** What `gh issue list ... --jq` prints (an issue number, or nothing). */
  readonly issues?: string;
}

/** Installs the fake gh in a new bin folder; returns the folder to put first on PATH and the scenario folder. */
export function fakeGh(scenario: GhScenario): { bin: string; dir: string; calls: () => string[]; writes: () => string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), "fake-gh-"));
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  copyFileSync(FAKE_GH, path.join(bin, "gh"));
  chmodSync(path.join(bin, "gh"), 0o755);
  writeFileSync(path.join(dir, "calls.log"), "");
  writeFileSync(path.join(dir, "writes.log"), "");
  mkdirSync(path.join(dir, "api"));
  for (const [apiPath, body] of Object.entries(scenario.api ?? {})) writeFileSync(path.join(dir, "api", `${apiPath.replace(/[/?&=]/g, "_")}.json`), Buffer.isBuffer(body) ? body : JSON.stringify(body));
  for (const [run, artifacts] of Object.entries(scenario.artifacts ?? {})) {
    for (const [name, files] of Object.entries(artifacts)) {
      const at = path.join(dir, "artifacts", run, name);
      mkdirSync(at, { recursive: true });
      for (const [file, content] of Object.entries(files)) writeFileSync(path.join(at, file), content);
    }
  }
  if (scenario.issues !== undefined) writeFileSync(path.join(dir, "issues.txt"), scenario.issues);
  const lines = (f: string) => readFileSync(path.join(dir, f), "utf8").split("\n").filter(Boolean);
  return { bin, dir, calls: () => lines("calls.log"), writes: () => lines("writes.log") };
}
