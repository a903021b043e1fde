import { execFileSync } from "node:child_process";

/**
 * `gh api` for one object, or for every page of a list (`--paginate`, one JSON value per line,
 * joined back into one list). Its errors (a 404, a rate limit) throw: a delivery decision never
 * goes on without the record it needs.
 */
export function ghApi(path: string, list = false): unknown {
  const args = list ? ["api", "--paginate", path, "--jq", ".[] | tojson"] : ["api", path];
  const out = execFileSync("gh", args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return list ? out.split("\n").filter(Boolean).map((l) => JSON.parse(l) as unknown) : (JSON.parse(out) as unknown);
}
