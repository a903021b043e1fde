import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** What the synthesized output tells the review tools about stacks. */
export interface SynthContext {
  /** Stacks in dependency order (dependencies first), as cdktf's manifest lists them. */
  readonly order: readonly string[];
  /** Each stack's direct dependencies, as the manifest declares them. */
  readonly dependencies: Readonly<Record<string, readonly string[]>>;
  /** cdktf construct path of a Terraform address in a stack, from the `//` metadata. */
  constructPath(stack: string, address: string): string | undefined;
}

interface Manifest {
  readonly stacks: Record<string, { readonly dependencies?: readonly string[]; readonly synthesizedStackPath: string }>;
}

/** An empty context, for plans reviewed without the synthesized output at hand. */
export const NO_CONTEXT: SynthContext = { order: [], dependencies: {}, constructPath: () => undefined };

/**
 * Reads `cdktf.out/manifest.json`, and each stack's `cdk.tf.json` when its construct paths are
 * first asked for. A missing manifest is an error:
 * without it no stack is known, and every plan would pass unchecked.
 */
export function loadSynthContext(manifestFile: string): SynthContext {
  if (!existsSync(manifestFile)) {
    throw new Error(`${manifestFile}: not found; run npm run synth first, from the project root, or pass --manifest <path to cdktf.out/manifest.json>`);
  }
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Manifest;
  const outdir = path.dirname(manifestFile);
  // Each stack's construct paths, read from its cdk.tf.json the first time they are asked for:
  // most callers (the stack order, upstream and downstream) never need them.
  const pathsOf = new Map<string, ReadonlyMap<string, string>>();
  const pathsOfStack = (stack: string): ReadonlyMap<string, string> => {
    const known = pathsOf.get(stack);
    if (known) return known;
    const paths = new Map<string, string>();
    const entry = manifest.stacks[stack];
    const file = entry && path.join(outdir, entry.synthesizedStackPath);
    if (file && existsSync(file)) {
      const tf = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
      for (const [prefix, section] of [["", tf.resource], ["data.", tf.data]] as const) {
        for (const [type, byName] of Object.entries((section ?? {}) as Record<string, Record<string, { "//"?: { metadata?: { path?: string } } }>>)) {
          for (const [name, body] of Object.entries(byName)) {
            const p = body["//"]?.metadata?.path;
            if (p) paths.set(`${prefix}${type}.${name}`, p);
          }
        }
      }
    }
    pathsOf.set(stack, paths);
    return paths;
  };
  const dependencies = Object.fromEntries(Object.entries(manifest.stacks).map(([name, s]) => [name, s.dependencies ?? []]));
  return {
    order: dependencyOrder(dependencies),
    dependencies,
    // Instances of count/for_each (`x.y[0]`, `x.y["a"]`) share their resource's construct.
    constructPath: (stack, address) => pathsOfStack(stack).get(address.replace(/\[[^\]]*\]$/, "")),
  };
}

/** Stacks ordered so that each comes after its dependencies; ties keep the manifest's order. */
export function dependencyOrder(dependencies: Readonly<Record<string, readonly string[]>>): string[] {
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, trail: string[]) => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") throw new Error(`stack dependency cycle: ${[...trail, name].join(" → ")}`);
    state.set(name, "visiting");
    for (const dep of dependencies[name] ?? []) visit(dep, [...trail, name]);
    state.set(name, "done");
    order.push(name);
  };
  for (const name of Object.keys(dependencies)) visit(name, []);
  return order;
}

/** The stacks `stack` reads from, directly or not, in dependency order. */
export function upstreamOf(context: Pick<SynthContext, "order" | "dependencies">, stack: string): string[] {
  return reachable(context, stack, (s) => context.dependencies[s] ?? []);
}

/** The stacks that read from `stack`, directly or not, in dependency order. */
export function downstreamOf(context: Pick<SynthContext, "order" | "dependencies">, stack: string): string[] {
  return reachable(context, stack, (s) => context.order.filter((c) => (context.dependencies[c] ?? []).includes(s)));
}

function reachable(context: Pick<SynthContext, "order">, from: string, next: (stack: string) => readonly string[]): string[] {
  const seen = new Set<string>();
  const walk = (stack: string): void => {
    for (const n of next(stack)) {
      if (seen.has(n)) continue;
      seen.add(n);
      walk(n);
    }
  };
  walk(from);
  return context.order.filter((s) => seen.has(s));
}
