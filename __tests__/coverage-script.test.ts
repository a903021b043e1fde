import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT } from "./helpers";

// check-coverage.sh against a real git history: three quick merges, where the second's apply
// was cancelled; the third's reviewed plan must include it (and supersede it), or apply stops.
const repo = mkdtempSync(path.join(tmpdir(), "coverage-"));
const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } }).trim();
const commit = (file: string) => {
  writeFileSync(path.join(repo, file), file);
  git("add", file);
  git("commit", "-qm", file);
  return git("rev-parse", "HEAD");
};
const check = (...args: string[]) => spawnSync("bash", [path.join(ROOT, ".github", "scripts", "check-coverage.sh"), ...args], { cwd: repo, encoding: "utf8" });

git("init", "-q", "-b", "main");
const base = commit("base");
git("checkout", "-q", "-b", "pr1");
const pr1 = commit("one");
git("checkout", "-q", "main");
git("merge", "-q", "--no-ff", "-m", "merge pr1", "pr1");
const merge1 = git("rev-parse", "HEAD");
git("checkout", "-q", "-b", "pr2");
const pr2 = commit("two");
git("checkout", "-q", "main");
git("merge", "-q", "--no-ff", "-m", "merge pr2", "pr2");
const merge2 = git("rev-parse", "HEAD");
// pr3 was branched before pr2 merged, then updated with main (as branch protection requires).
git("checkout", "-q", "-b", "pr3", merge1);
commit("three");
git("merge", "-q", "-m", "update pr3", "main");
const pr3 = git("rev-parse", "HEAD");
git("checkout", "-q", "main");
git("merge", "-q", "--no-ff", "-m", "merge pr3", "pr3");
const merge3 = git("rev-parse", "HEAD");
// pr4 was never updated: its plans do not include pr2 or pr3.
git("checkout", "-q", "-b", "pr4", merge1);
const pr4 = commit("four");
git("checkout", "-q", "main");
git("merge", "-q", "--no-ff", "-m", "merge pr4", "pr4");
const merge4 = git("rev-parse", "HEAD");

describe("check-coverage.sh", () => {
  it("accepts reviewed plans that include every earlier merge, and names the merges they supersede", () => {
    const result = check(merge3, pr3, merge1);
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual([merge2]);
  });

  it("supersedes nothing when the previous merge was applied", () => {
    const result = check(merge2, pr2, merge1);
    expect(result).toMatchObject({ status: 0, stdout: "" });
  });

  it("refuses reviewed plans made on a branch that did not contain main before the merge", () => {
    const result = check(merge4, pr4, merge3);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`::error::the reviewed plans were made on ${pr4}, which does not contain ${merge3} (main before this merge)`);
  });

  it("accepts the first merge after an apply of its base", () => {
    expect(check(merge1, pr1, base)).toMatchObject({ status: 0, stdout: "" });
  });
});
