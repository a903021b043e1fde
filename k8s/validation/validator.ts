import { readFileSync } from "node:fs";
import { RE2JS } from "@bufbuild/re2";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { celChecker, type CelViolation } from "./cel";
import { isReference } from "./cluster-objects";
import { type CrdVersion } from "./schema-sources";
import { CORE_SCHEMA_ID, coreSchemaDocument, definitionsByKind, KUBERNETES_KEYWORDS, schemaForShape, strictCrdSchema, withDefaults, withoutNulls } from "./strict-schema";

/**
 * `pattern`s in Kubernetes schemas are Go (RE2) regular expressions: JavaScript's RegExp compiles
 * nearly all of them, and RE2 (@bufbuild/re2) the rest, such as prometheus-operator's `(?i)`.
 */
function goRegExp(pattern: string, flags?: string): { test: (s: string) => boolean } {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return RE2JS.compile(pattern);
  }
}
goRegExp.code = 'require("@bufbuild/re2").RE2JS.compile';

/** One thing wrong with an object: where (a JSON pointer) and what. */
export type SchemaProblem = string;

/**
 * Validates Kubernetes objects strictly against the schemas of one cluster: its version's core
 * OpenAPI and the CRDs of its charts, unknown fields being errors, then the CRDs' CEL rules.
 * Each kind is compiled on first use.
 */
export class KubeValidator {
  private readonly ajv: Ajv;
  private readonly core: Map<string, string>;
  private readonly compiled = new Map<string, { validate: ValidateFunction | ((data: unknown) => ValidateFunction); cel?: (o: unknown) => CelViolation[]; crd?: CrdVersion }>();
  /** A CRD's validators by the shape of the objects they judge (schemaForShape): one compile per shape. */
  private readonly byShape = new Map<string, ValidateFunction>();

  constructor(
    openapiFile: string,
    private readonly crds: ReadonlyMap<string, CrdVersion>,
  ) {
    const swagger = JSON.parse(readFileSync(openapiFile, "utf8")) as { definitions: Record<string, { [key: string]: unknown }> };
    this.core = definitionsByKind(swagger);
    // strict: an unknown keyword or format in a schema is an error; the Kubernetes extensions are declared.
    this.ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, validateSchema: false, code: { optimize: false, regExp: goRegExp } });
    addFormats(this.ajv);
    this.ajv.addFormat("int-or-string", true);
    this.ajv.addFormat("quantity", true);
    for (const keyword of KUBERNETES_KEYWORDS) this.ajv.addKeyword(keyword);
    // Every definition is rewritten (cheap); Ajv compiles only what a validated kind reaches.
    this.ajv.addSchema(coreSchemaDocument(swagger, Object.keys(swagger.definitions)));
  }

  /** Whether the validator knows the object's kind. */
  knows(object: { readonly apiVersion?: unknown; readonly kind?: unknown }): boolean {
    const key = `${String(object.apiVersion)} ${String(object.kind)}`;
    return this.core.has(key) || this.crds.has(key);
  }

  /** What is wrong with an object, as `<pointer>: <problem>` lines; empty when it is valid. */
  validate(object: { readonly apiVersion?: unknown; readonly kind?: unknown }): SchemaProblem[] {
    const key = `${String(object.apiVersion)} ${String(object.kind)}`;
    const entry = this.compiled.get(key) ?? this.compile(key);
    if (!entry) return [`/: no schema for ${key}: neither a core kind of this Kubernetes version nor a kind of the CRDs given`];
    // Custom resources as the API server stores them: their CRD's defaults applied.
    const data = entry.crd ? withDefaults(entry.crd.schema, withoutNulls(object)) : withoutNulls(object);
    const validate = entry.crd ? (entry.validate as (data: unknown) => ValidateFunction)(data) : (entry.validate as ValidateFunction);
    if (!validate(data)) {
      // A Terraform reference (another stack's output) is a string known only at apply: its type is
      // judged, its content (pattern, format, length, enum) cannot be.
      const judged = (validate.errors ?? []).filter((e) => !(CONTENT_KEYWORDS.includes(e.keyword) && isReference(valueAt(data, e.instancePath))));
      if (judged.length) return describe(judged);
    }
    // CEL after the structure is right: a rule over a malformed value says less than the schema does.
    return (entry.cel?.(data) ?? []).map((v) => `${v.path}: ${v.message}`);
  }

  private compile(key: string) {
    const definition = this.core.get(key);
    const crd = this.crds.get(key);
    if (!definition && !crd) return undefined;
    const entry = definition
      ? { validate: this.ajv.compile({ $ref: `${CORE_SCHEMA_ID}#/definitions/${definition}` }) }
      : { validate: this.shaped(strictCrdSchema(crd!.schema, crd!)), cel: celChecker(crd!.schema), crd };
    this.compiled.set(key, entry);
    return entry;
  }

  /** A validator of one object against the part of a CRD's strict schema its shape reaches. */
  private shaped(schema: unknown): (data: unknown) => ValidateFunction {
    return (data) => {
      const part = schemaForShape(schema, [data]);
      const key = JSON.stringify(part);
      let validate = this.byShape.get(key);
      if (!validate) this.byShape.set(key, (validate = this.ajv.compile(part as object)));
      return validate;
    };
  }
}

const CONTENT_KEYWORDS = ["pattern", "format", "maxLength", "minLength", "enum"];

/** The value at a JSON pointer. */
function valueAt(data: unknown, pointer: string): unknown {
  return pointer
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), data);
}

/** Ajv's errors as `<pointer>: <problem>`, an unknown field named as such. */
function describe(errors: readonly ErrorObject[]): SchemaProblem[] {
  // An anyOf (int-or-string, quantity) reports each branch: its own "must match a schema in anyOf" says it all.
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === "anyOf").map((e) => e.instancePath));
  return [
    ...new Set(
      errors
        .filter((e) => e.keyword === "anyOf" || !anyOfPaths.has(e.instancePath))
        .map((e) => {
          const at = e.instancePath || "/";
          if (e.keyword === "additionalProperties") return `${e.instancePath}/${String(e.params.additionalProperty)}: unknown field`;
          if (e.keyword === "required") return `${e.instancePath}/${String(e.params.missingProperty)}: required field missing`;
          if (e.keyword === "enum") return `${at}: must be one of ${JSON.stringify(e.params.allowedValues)}`;
          return `${at}: ${e.message ?? e.keyword}`;
        }),
    ),
  ];
}
