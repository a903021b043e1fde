import { compareVersions, type ProviderSource } from "./toolchain";
import { removeNewerAttributes, removeNewerResources, replaceNewerValues } from "./compat";

/** A synthesized stack's JSON, loosely typed. */
export type StackJson = Record<string, unknown> & {
  terraform?: { backend?: Record<string, unknown>; required_providers?: Record<string, { source?: string; version?: string }> };
  provider?: Record<string, Array<Record<string, unknown>>>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
};

/** Data sources Terraform computes without calling AWS; any other `aws_*` data source calls an API at plan time. */
export const LOCAL_DATA_SOURCES = ["aws_iam_policy_document", "terraform_remote_state"] as const;

/**
 * Ephemeral resources that call AWS when Terraform opens them (at plan too), with the attribute
 * configurations read: offline, a placeholder string stands in for that attribute, so the
 * write-only arguments that use it still validate and plan.
 */
export const API_EPHEMERAL_RESOURCES: Readonly<Record<string, string>> = { aws_secretsmanager_random_password: "random_password" };

/** Fake credentials and no account checks: the provider then plans without reaching AWS. */
export const OFFLINE_AWS_PROVIDER = {
  access_key: "verify-offline",
  secret_key: "verify-offline",
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
  max_retries: 1,
} as const;

/** What preparing a copy did, for the summary. */
export interface Preparation {
  /** The edited stack, ready to write. */
  readonly json: StackJson;
  /** The override file's content (the AWS provider's offline settings). */
  readonly override: Record<string, unknown>;
  /** Providers whose resources were left out (not available offline), with how many blocks. */
  readonly unavailable: Readonly<Record<string, number>>;
  /** Provider version constraints relaxed to what is available: `aws 6.25.0 → 5.100.0`. */
  readonly relaxed: readonly string[];
  /** 6.x-only attributes removed, and 6.x-only values replaced, for an older provider. */
  readonly removedAttributes: readonly string[];
  /** 6.x-only resources (and what refers to them) removed for an older provider. */
  readonly removedResources: readonly string[];
  /** Data sources that would call AWS at plan time. */
  readonly apiDataSources: readonly string[];
  /** Ephemeral resources that call AWS, replaced by placeholders ({@link API_EPHEMERAL_RESOURCES}). */
  readonly replacedEphemerals: readonly string[];
  /** Remote-state data sources, by name, with the state key they read. */
  readonly remoteStates: Readonly<Record<string, string>>;
  /** Blocks left to validate and plan. */
  readonly blocks: number;
}

/**
 * Edits a copy of a synthesized stack so that Terraform can validate and plan it offline: a
 * local backend, fake credentials (in an override file), no `assume_role` or
 * `allowed_account_ids` (nested blocks an override cannot remove), provider versions relaxed to
 * what the mirror has, 6.x-only attributes removed for a 5.x provider, and the blocks of
 * providers the mirror lacks left out.
 */
export function prepareStack(original: StackJson, source: ProviderSource): Preparation {
  const json = JSON.parse(JSON.stringify(original)) as StackJson;
  const required = json.terraform?.required_providers ?? {};
  const relaxed: string[] = [];
  const unavailable: Record<string, number> = {};
  let removedAttributes: string[] = [];
  let removedResources: string[] = [];
  for (const [name, spec] of Object.entries(required)) {
    if (!source.mirror) continue;
    const available = source.versions[name] ?? [];
    if (available.length === 0) {
      unavailable[name] = dropProvider(json, name);
      continue;
    }
    const newest = available[available.length - 1] as string;
    if (spec.version && !available.includes(spec.version)) {
      relaxed.push(`${name} ${spec.version} → ${newest}`);
      if (name === "aws" && compareVersions(newest, "6.0.0") < 0) {
        removedResources = removeNewerResources(json);
        removedAttributes = [...removeNewerAttributes(json), ...replaceNewerValues(json)];
      }
      spec.version = newest;
    }
  }
  for (const config of json.provider?.aws ?? []) {
    delete config.assume_role;
    delete config.allowed_account_ids;
  }
  const remoteStates: Record<string, string> = {};
  for (const [name, body] of Object.entries(json.data?.terraform_remote_state ?? {})) remoteStates[name] = String((body.config as { key?: string } | undefined)?.key ?? "");
  const apiDataSources = Object.entries(json.data ?? {})
    .filter(([type]) => type.startsWith("aws_") && !(LOCAL_DATA_SOURCES as readonly string[]).includes(type))
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `data.${type}.${name}`));
  const replacedEphemerals = replaceApiEphemerals(json);
  const override: Record<string, unknown> = json.provider?.aws
    ? { provider: { aws: json.provider.aws.map((config) => ({ ...(config.alias ? { alias: config.alias } : {}), ...OFFLINE_AWS_PROVIDER })) } }
    : {};
  // The S3 backend would need credentials at init: the copy keeps its state in a local file.
  if (json.terraform) json.terraform.backend = { local: { path: "terraform.tfstate" } };
  const blocks = [json.resource, json.data].reduce((n, section) => n + Object.values(section ?? {}).reduce((m, byName) => m + Object.keys(byName).length, 0), 0);
  return { json, override, unavailable, relaxed, removedAttributes, removedResources, apiDataSources, replacedEphemerals, remoteStates, blocks };
}

/** Removes the ephemeral resources that call AWS and puts a placeholder string where their value is read; returns their addresses. */
function replaceApiEphemerals(json: StackJson): string[] {
  const ephemeral = json.ephemeral as Record<string, Record<string, unknown>> | undefined;
  const replaced: string[] = [];
  for (const [type, attribute] of Object.entries(API_EPHEMERAL_RESOURCES)) {
    for (const name of Object.keys(ephemeral?.[type] ?? {})) {
      const reference = `ephemeral.${type}.${name}.${attribute}`;
      json.resource = JSON.parse(JSON.stringify(json.resource ?? {}).replaceAll(reference, '\\"verify-offline-placeholder\\"')) as StackJson["resource"];
      delete ephemeral?.[type]?.[name];
      replaced.push(`ephemeral.${type}.${name}`);
    }
    if (ephemeral && Object.keys(ephemeral[type] ?? {}).length === 0) delete ephemeral[type];
  }
  if (ephemeral && Object.keys(ephemeral).length === 0) delete json.ephemeral;
  return replaced;
}

/** Removes every block of a provider from a stack; returns how many blocks went. */
function dropProvider(json: StackJson, name: string): number {
  let count = 0;
  for (const section of [json.resource, json.data]) {
    for (const type of Object.keys(section ?? {})) {
      if (type === name || type.startsWith(`${name}_`)) {
        count += Object.keys(section?.[type] ?? {}).length;
        delete section?.[type];
      }
    }
  }
  delete json.provider?.[name];
  delete json.terraform?.required_providers?.[name];
  // Terraform refuses an empty `resource` or `data` object.
  for (const key of ["resource", "data"] as const) if (json[key] && Object.keys(json[key]).length === 0) delete json[key];
  return count;
}

/** Points a remote-state data source at a local state file (the producer's mock state). */
export function useLocalState(json: StackJson, name: string, stateFile: string): void {
  const body = json.data?.terraform_remote_state?.[name];
  if (body) {
    body.backend = "local";
    body.config = { path: stateFile };
  }
}
