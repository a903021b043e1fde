import { parseAllDocuments } from "yaml";
import { type Rule } from "../types";
import { strings } from "./helpers";

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (value && typeof value === "object" && !Array.isArray(value) ? (value as Obj) : {});

/** Kubernetes objects a Helm release is given as values (`manifests: [...]`, the manifests chart's shape), at any depth. */
function objectsIn(value: unknown): Obj[] {
  if (Array.isArray(value)) return value.flatMap(objectsIn);
  const o = obj(value);
  if (typeof o.kind === "string" && typeof o.apiVersion === "string") return [o];
  return Object.values(o).flatMap(objectsIn);
}

/** The internet-facing ALB Ingresses of a release that name no web ACL (or name `none`). */
function unprotectedIngresses(values: readonly string[]): string[] {
  return values
    // Parsing is the pack's costliest step: only a release that names the scheme can hold one.
    .filter((text) => text.includes("internet-facing"))
    .flatMap((text) => parseAllDocuments(text).flatMap((doc) => objectsIn(doc.toJS())))
    .filter((o) => o.kind === "Ingress")
    .filter((o) => {
      const annotations = obj(obj(o.metadata).annotations);
      const acl = annotations["alb.ingress.kubernetes.io/wafv2-acl-arn"];
      return annotations["alb.ingress.kubernetes.io/scheme"] === "internet-facing" && (typeof acl !== "string" || acl === "" || acl === "none");
    })
    .map((o) => `${String(obj(o.metadata).namespace ?? "")}/${String(obj(o.metadata).name)}`.replace(/^\//, ""));
}

/** The public edge: load balancers facing the internet, and their web ACLs. */
export const edgeRules: Rule[] = [
  {
    id: "PI-WAF-001",
    severity: "warning",
    title: "An internet-facing ALB has a WAF web ACL",
    rationale: "Without one, the application answers every request the internet sends: scanners, injection attempts, floods from one address.",
    fix: "Leave waf.enabled on (the default web ACL), or set the Ingress's alb.ingress.kubernetes.io/wafv2-acl-arn to a regional web ACL.",
    checkov: "CKV2_AWS_28",
    checkovNote: "Checkov's check looks at aws_lb resources; here the ALB is made by the load balancer controller from an Ingress, so the rule reads the Ingress's annotations in the Helm release instead.",
    types: ["helm_release"],
    check: (r) => {
      const found = unprotectedIngresses(strings(r.attrs.values));
      return found.length ? `internet-facing Ingress without a web ACL: ${found.join(", ")}` : undefined;
    },
  },
  {
    id: "PI-WAF-002",
    severity: "error",
    title: "A WAF web ACL logs its requests",
    rationale: "A web ACL without logs blocks requests nobody can see: a false positive cannot be found, nor an attack traced.",
    fix: "Add an aws_wafv2_web_acl_logging_configuration for the ACL, to a log group named aws-waf-logs-…",
    checkov: "CKV2_AWS_31",
    types: ["aws_wafv2_web_acl"],
    check: (r, stack) => (stack.linkedTo(r, "aws_wafv2_web_acl_logging_configuration").length ? undefined : "no logging configuration refers to it"),
  },
];
