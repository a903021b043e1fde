import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";

/**
 * Writes `count` environments into a new folder, each a copy of the shipped dev config with a
 * distinct name, a VPC CIDR that overlaps no other (10.100.0.0/16, 10.101.0.0/16, ...), and a zone
 * and host of its own (config refuses two environments claiming one).
 */
export function generateEnvironments(projectRoot: string, count: number): string {
  const template = parse(readFileSync(path.join(projectRoot, "config", "dev.yaml"), "utf8")) as Record<string, Record<string, unknown>>;
  const dir = mkdtempSync(path.join(tmpdir(), `bench-envs-${count}-`));
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const name = `bench${String(i).padStart(3, "0")}`;
    const env: Record<string, unknown> = { ...template, name, network: { ...template.network, vpcCidr: `10.${100 + i}.0.0/16` } };
    const zone = `${name}.example.com`;
    if (template.dns) env.dns = { ...template.dns, zone };
    if (template.app) env.app = { ...template.app, ingress: { ...(template.app.ingress as Record<string, unknown>), host: `api.${zone}` } };
    writeFileSync(path.join(dir, `${name}.yaml`), stringify(env));
  }
  return dir;
}

/** Least-squares line through (x, y) points, with R² (1 = perfectly linear). */
export function linearFit(points: ReadonlyArray<readonly [number, number]>): { slope: number; intercept: number; r2: number } {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const ssTot = points.reduce((s, [, y]) => s + (y - my) ** 2, 0);
  const ssRes = points.reduce((s, [x, y]) => s + (y - (intercept + slope * x)) ** 2, 0);
  return { slope, intercept, r2: ssTot === 0 ? 1 : 1 - ssRes / ssTot };
}
