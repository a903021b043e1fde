import { type FieldProblem } from "./checks";
import { PLATFORM_NAMESPACES } from "./naming";
import { appArchitectures } from "./platform-checks";
import { type EnvironmentConfig } from "./schema";

/** Namespaces Kubernetes itself owns. */
const SYSTEM_NAMESPACES = ["default", "kube-public", "kube-node-lease"] as const;

/** Checks of the app section that need more than one field. */
export function checkApp(env: EnvironmentConfig): FieldProblem[] {
  const app = env.app;
  if (!app) return [];
  const problems: FieldProblem[] = [];
  if (!env.platform) {
    problems.push({ field: "app", message: "needs the platform's add-ons (its ingress controller, secrets and monitoring): add a platform section, even an empty one (platform: {})" });
  }
  if (app.image.tag === "latest") {
    problems.push({ field: "app.image.tag", value: "latest", message: "names no particular image, so nobody can tell what runs or roll back to it; allowed: an immutable tag such as 1.4.2 (the ECR repository refuses to overwrite tags)" });
  } else if (env.production && !app.image.digest) {
    problems.push({ field: "app.image.digest", message: `is required in production: a tag can be re-pointed, a digest cannot; set the sha256 digest of ${app.image.tag}` });
  }
  if (app.hpa.min > app.hpa.max) {
    problems.push({ field: "app.hpa.min", value: app.hpa.min, message: `is above app.hpa.max (${app.hpa.max}); allowed: 1–${app.hpa.max}` });
  }
  const offered = appArchitectures(env);
  for (const arch of app.architectures.filter((a) => !offered.includes(a))) {
    problems.push({
      field: "app.architectures",
      value: arch,
      message: `no node the app may run on is ${arch} (the apps node group and Karpenter's NodePools offer ${offered.join(", ") || "none"}), so the image's ${arch} build would never run, or its pods never schedule: list the architectures the image is built for that the cluster runs${offered.length ? `, such as [${offered.join(", ")}]` : ""}, or add ${arch} nodes`,
    });
  }
  const taken = [...PLATFORM_NAMESPACES, ...SYSTEM_NAMESPACES] as readonly string[];
  if (taken.includes(app.namespace)) {
    problems.push({ field: "app.namespace", value: app.namespace, message: `is a platform or system namespace, whose policies and quotas are not the app's; allowed: any other name (taken: ${taken.join(", ")})` });
  }
  return problems;
}
