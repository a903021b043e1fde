import { parseAllDocuments } from "yaml";
import { type Rule } from "../types";
import { isSecretName } from "../secrets";
import { blocks, isReference, literalSecrets, strings } from "./helpers";

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/;
const CREDENTIAL_ATTRS = ["token", "password", "client_key", "client_certificate"];

/** Literal credentials in a Kubernetes connection block (provider, or helm's nested kubernetes). */
function staticCredentials(connection: Record<string, unknown>): string[] {
  return CREDENTIAL_ATTRS.filter((k) => typeof connection[k] === "string" && !isReference(connection[k]));
}

/** Helm releases, Kubernetes and Helm providers, and secrets in any attribute. */
export const kubernetesRules: Rule[] = [
  {
    id: "PI-HELM-001",
    severity: "error",
    title: "Helm chart versions are pinned exactly",
    rationale: "A range or a missing version installs whatever is newest at apply time: plans stop meaning anything.",
    fix: 'Set version to an exact chart version ("1.14.1"); change it deliberately in a reviewed PR.',
    types: ["helm_release"],
    check: (r) => (typeof r.attrs.version === "string" && EXACT_VERSION.test(r.attrs.version) ? undefined : `version is ${JSON.stringify(r.attrs.version ?? null)}`),
  },
  {
    id: "PI-HELM-002",
    severity: "error",
    title: "Helm values hold no literal secrets",
    rationale: "Values are stored in Terraform state, in the plan, in the release secret and in git: a literal secret leaks everywhere.",
    fix: "Reference the secret (External Secrets, IRSA, or a Terraform reference) instead of writing it.",
    types: ["helm_release"],
    check: (r) => {
      const fromValues = strings(r.attrs.values).flatMap((text) => parseAllDocuments(text).flatMap((doc) => literalSecrets(doc.toJS())));
      const fromSet = [...blocks(r.attrs.set), ...blocks(r.attrs.set_sensitive)]
        .filter((s) => isSecretName(String(s.name).split(".").pop() ?? "") && typeof s.value === "string" && !isReference(s.value))
        .map((s) => `set ${String(s.name)}`);
      const found = [...fromValues, ...fromSet];
      return found.length ? `literal secret at ${found.join(", ")}` : undefined;
    },
  },
  {
    id: "PI-SEC-001",
    severity: "error",
    title: "No attribute named like a password, secret or token holds a literal value",
    rationale: "Literal secrets end up in git, in plans and in state; they must come from a secret store or be generated.",
    fix: "Use a reference (a generated password, a Secrets Manager secret, manage_master_user_password) instead of a literal.",
    types: ["*"],
    check: (r) => {
      if (r.kind === "provider" || r.type === "helm_release") return undefined;
      const found = literalSecrets(r.attrs);
      return found.length ? `literal value in ${found.join(", ")}` : undefined;
    },
  },
  {
    id: "PI-K8S-001",
    severity: "error",
    title: "Kubernetes and Helm providers use no static credentials",
    rationale: "A static token or client key in provider config is long-lived and lands in git; EKS issues short-lived tokens.",
    fix: 'Authenticate with exec { api_version = "client.authentication.k8s.io/v1beta1", command = "aws", args = ["eks", "get-token", ...] }.',
    types: ["provider.kubernetes", "provider.helm"],
    check: (r) => {
      const connections = r.type === "provider.helm" ? blocks(r.attrs.kubernetes) : [r.attrs as Record<string, unknown>];
      const found = connections.flatMap(staticCredentials);
      return found.length ? `static ${found.join(", ")}` : undefined;
    },
  },
];
