import { CelScalar, celEnv, celFunc, celMethod, isCelError, listType, parse, plan } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";

/**
 * The CEL rules of a CRD (`x-kubernetes-validations`), evaluated as the API server does on
 * create: each rule at its schema node with `self` bound to the value there (each item of a list,
 * each value of a map), only where the value is present; a rule that is false, or that fails to
 * evaluate, refuses the object. Transition rules (those reading `oldSelf`) need the object's
 * previous version and are skipped. Evaluation is @bufbuild/cel's (a maintained, conformance-
 * tested CEL), with the Kubernetes extension functions the CRDs use that it lacks.
 * @see https://kubernetes.io/docs/reference/using-api/cel/
 */

type Json = { [key: string]: unknown };
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** A rule that refused a value: where, the rule, and its message. */
export interface CelViolation {
  readonly path: string;
  readonly rule: string;
  readonly message: string;
}

/** Kubernetes' regex library (k8s.io/apiserver/pkg/cel/library/regex.go): `find` and `findAll`, which the CRDs' rules call. */
const KUBERNETES_FUNCTIONS = [
  celMethod("find", CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (this: string, re: string) {
    return new RegExp(re).exec(this)?.[0] ?? "";
  }),
  celMethod("findAll", CelScalar.STRING, [CelScalar.STRING], listType(CelScalar.STRING), function (this: string, re: string) {
    return [...this.matchAll(new RegExp(re, "g"))].map((m) => m[0]);
  }),
  celFunc("isQuantity", [CelScalar.STRING], CelScalar.BOOL, (s: string) => /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+))?$/.test(s)),
];

const environment = celEnv({ funcs: [...strings, ...KUBERNETES_FUNCTIONS] });
const TRANSITION = /\boldSelf\b/;

/** CEL's int is 64-bit: integers of JSON become bigints, as the API server converts them. */
function toCel(value: unknown): unknown {
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  return value;
}

type Program = (vars: { self: unknown }) => unknown;

/** A checker of one CRD version's rules; each rule is compiled once. */
export function celChecker(schema: Json): (object: unknown) => CelViolation[] {
  const programs = new Map<string, Program | Error>();
  const program = (rule: string) => {
    if (!programs.has(rule)) {
      try {
        programs.set(rule, plan(environment, parse(rule)) as Program);
      } catch (error) {
        programs.set(rule, error as Error);
      }
    }
    return programs.get(rule) as Program | Error;
  };
  return (object) => {
    const violations: CelViolation[] = [];
    visit(schema, object, "", (node, value, path) => {
      for (const { rule, message, fieldPath } of (node["x-kubernetes-validations"] as Array<{ rule: string; message?: string; fieldPath?: string }> | undefined) ?? []) {
        if (TRANSITION.test(rule)) continue;
        const at = `${path}${fieldPath ? fieldPath.replace(/\./g, "/") : ""}` || "/";
        const compiled = program(rule);
        if (compiled instanceof Error) {
          violations.push({ path: at, rule, message: `the rule does not compile here (${compiled.message.split("\n")[0]}); it cannot be checked` });
          continue;
        }
        let result: unknown;
        try {
          result = compiled({ self: toCel(value) });
        } catch (error) {
          result = error;
        }
        if (result === true) continue;
        const why = isCelError(result) || result instanceof Error ? ` (evaluation error: ${(result as Error).message.split("\n")[0]})` : "";
        violations.push({ path: at, rule, message: `${message ?? `failed rule: ${rule}`}${why}` });
      }
    });
    return violations;
  };
}

/** Walks schema and value together, calling `at` for each schema node that has a value. */
function visit(schema: Json, value: unknown, path: string, at: (node: Json, value: unknown, path: string) => void): void {
  if (value === undefined) return;
  at(schema, value, path);
  if (isObject(value)) {
    const properties = (schema.properties ?? {}) as Record<string, Json>;
    for (const [key, child] of Object.entries(properties)) if (key in value) visit(child, value[key], `${path}/${key}`, at);
    if (isObject(schema.additionalProperties)) {
      for (const [key, v] of Object.entries(value)) if (!(key in properties)) visit(schema.additionalProperties, v, `${path}/${key}`, at);
    }
  }
  if (Array.isArray(value) && isObject(schema.items)) value.forEach((item, i) => visit(schema.items as Json, item, `${path}/${i}`, at));
  for (const keyword of ["allOf", "anyOf", "oneOf"]) for (const sub of (schema[keyword] as Json[] | undefined) ?? []) visit(sub, value, path, at);
}
