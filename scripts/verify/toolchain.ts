import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** Where Terraform gets providers from. */
export interface ProviderSource {
  /** A filesystem mirror (`<mirror>/registry.terraform.io/<namespace>/<name>/<version>/<os_arch>/`), or none: the registry. */
  readonly mirror?: string;
  /** Versions available per provider name (`aws` → ["5.100.0"]); empty without a mirror (anything goes). */
  readonly versions: Readonly<Record<string, readonly string[]>>;
}

/** Folders searched for a filesystem mirror when `TF_PLUGIN_MIRROR` is not set. */
export const MIRROR_CANDIDATES = ["/opt/tf-plugins", "/usr/share/terraform/plugins", "/usr/local/share/terraform/plugins", path.join(os.homedir(), ".terraform.d", "plugins")];

/** The terraform binary (`TERRAFORM` or `terraform` on PATH) and its version, or why there is none. */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): { binary: string; version: string } | { missing: string } {
  const binary = env.TERRAFORM ?? "terraform";
  const result = spawnSync(binary, ["version", "-json"], { encoding: "utf8", env: { ...env, CHECKPOINT_DISABLE: "1" } });
  if (result.error || result.status !== 0) return { missing: `${binary} not found on PATH (install Terraform ≥ 1.10, or set TERRAFORM)` };
  const version = (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version;
  return { binary, version };
}

/**
 * The provider source: `TF_PLUGIN_MIRROR`, else the first mirror folder found; without one,
 * Terraform installs from the registry (GitHub's runners). `offline` refuses the registry.
 */
export function findProviderSource(env: NodeJS.ProcessEnv = process.env): ProviderSource {
  const candidates = env.TF_PLUGIN_MIRROR ? [env.TF_PLUGIN_MIRROR] : MIRROR_CANDIDATES;
  const mirror = candidates.find((dir) => existsSync(path.join(dir, "registry.terraform.io")));
  if (!mirror) return { versions: {} };
  const versions: Record<string, string[]> = {};
  const hashicorp = path.join(mirror, "registry.terraform.io", "hashicorp");
  for (const name of existsSync(hashicorp) ? readdirSync(hashicorp) : []) versions[name] = readdirSync(path.join(hashicorp, name)).sort(compareVersions);
  return { mirror, versions };
}

/** Writes a Terraform CLI config that installs providers from the mirror only. */
export function writeCliConfig(file: string, source: ProviderSource): void {
  if (!source.mirror) return;
  writeFileSync(file, `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(source.mirror)}\n    include = ["registry.terraform.io/*/*"]\n  }\n}\n`);
}

/** Semantic-version order ("5.9.0" < "5.100.0"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
