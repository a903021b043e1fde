import { stringify } from "yaml";
import { formatProblem, loadEnvironmentFile } from "../../config";
import { TEST_NOW, validEnvironmentInput } from "../helpers";

const APP = {
  image: { tag: "1.4.2", digest: `sha256:${"a".repeat(64)}` },
  // The baseline's apps node group is Graviton only, and Karpenter is off.
  architectures: ["arm64"],
  ingress: { host: "api.example.com", certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555" },
};

/** Problems of an environment file with this app section, without the `file:line:` prefix. */
function problems(app: object, overrides: Record<string, unknown> = {}): string[] {
  const content = validEnvironmentInput({ platform: {}, ...overrides, app } as never);
  return loadEnvironmentFile("config/test.yaml", stringify(content), TEST_NOW).problems.map((p) => formatProblem({ ...p, line: undefined, frame: undefined }).replace(/^config\/test\.yaml: /, ""));
}

describe("app config: one message per kind of bad input", () => {
  it("accepts the valid baseline, in production too, and an OCI chart with an exact version", () => {
    expect(problems(APP)).toEqual([]);
    expect(problems(APP, { production: true })).toEqual([]);
    expect(problems({ ...APP, chart: { repository: "oci://123456789012.dkr.ecr.eu-west-1.amazonaws.com/charts", name: "app", version: "2.3.1" } })).toEqual([]);
  });

  it("rejects the tag latest", () => {
    expect(problems({ ...APP, image: { tag: "latest" } })).toEqual([
      '[test] app.image.tag: names no particular image, so nobody can tell what runs or roll back to it; allowed: an immutable tag such as 1.4.2 (the ECR repository refuses to overwrite tags) (got "latest")',
    ]);
  });

  it("rejects a tag without a digest in production", () => {
    expect(problems({ ...APP, image: { tag: "1.4.2" } }, { production: true })).toEqual([
      "[test] app.image.digest: is required in production: a tag can be re-pointed, a digest cannot; set the sha256 digest of 1.4.2",
    ]);
    expect(problems({ ...APP, image: { tag: "1.4.2" } })).toEqual([]);
    expect(problems({ ...APP, image: { tag: "1.4.2", digest: "sha256:abc" } })).toEqual(['[test] app.image.digest: must be sha256: and 64 hex digits (got "sha256:abc")']);
  });

  it("rejects an HPA whose minimum is above its maximum", () => {
    expect(problems({ ...APP, hpa: { min: 5, max: 3 } })).toEqual(["[test] app.hpa.min: is above app.hpa.max (3); allowed: 1–3 (got 5)"]);
  });

  it("rejects an invalid ingress host", () => {
    for (const host of ["https://api.example.com", "api.example.com/v1", "*.example.com", "API.example.com", "localhost"]) {
      expect(problems({ ...APP, ingress: { ...APP.ingress, host } })).toEqual([
        `[test] app.ingress.host: must be a DNS host name such as api.example.com (lowercase, no scheme, no path, no wildcard) (got "${host}")`,
      ]);
    }
  });

  it("rejects a malformed certificate or WAF ARN", () => {
    expect(problems({ ...APP, ingress: { ...APP.ingress, certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" } })).toEqual([
      '[test] app.ingress.certificateArn: must be an ACM certificate ARN such as arn:aws:acm:eu-west-1:123456789012:certificate/<uuid> (got "arn:aws:acm:eu-west-1:123456789012:certificate/abc")',
    ]);
    expect(problems({ ...APP, ingress: { ...APP.ingress, wafAclArn: "arn:aws:wafv2:eu-west-1:123456789012:global/webacl/x/11111111-2222-3333-4444-555555555555" } })).toEqual([
      '[test] app.ingress.wafAclArn: must be a regional WAFv2 web ACL ARN such as arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/<name>/<uuid> (got "arn:aws:wafv2:eu-west-1:123456789012:global/webacl/x/11111111-2222-3333-4444-555555555555")',
    ]);
  });

  it("rejects an app namespace that is a platform or system namespace", () => {
    for (const namespace of ["monitoring", "kube-system", "default"]) {
      expect(problems({ ...APP, namespace })[0]).toMatch(new RegExp(`^\\[test\\] app\\.namespace: is a platform or system namespace, whose policies and quotas are not the app's; allowed: any other name \\(taken: .*\\) \\(got "${namespace}"\\)$`));
    }
  });

  it("rejects an OCI chart version that is a range or empty, and a repository that is not OCI", () => {
    const chart = { repository: "oci://123456789012.dkr.ecr.eu-west-1.amazonaws.com/charts", name: "app" };
    for (const version of ["^1.2.0", "~1.2", "1.x", "", ">=1.0.0", "latest"]) {
      expect(problems({ ...APP, chart: { ...chart, version } })).toEqual([`[test] app.chart.version: must be an exact chart version such as 1.2.3, never a range or empty (got "${version}")`]);
    }
    expect(problems({ ...APP, chart: { ...chart, repository: "https://charts.example.com", version: "1.0.0" } })).toEqual([
      '[test] app.chart.repository: must be an OCI repository such as oci://123456789012.dkr.ecr.eu-west-1.amazonaws.com/charts (got "https://charts.example.com")',
    ]);
  });

  it("rejects an app without the platform's add-ons", () => {
    expect(problems(APP, { platform: undefined })).toEqual([
      "[test] app: needs the platform's add-ons (its ingress controller, secrets and monitoring): add a platform section, even an empty one (platform: {})",
    ]);
  });

  it("rejects an architecture no node the app may run on offers, naming the ones offered", () => {
    expect(problems({ ...APP, architectures: ["amd64", "arm64"] })).toEqual([
      '[test] app.architectures: no node the service may run on is amd64 (the apps node group and Karpenter\'s NodePools offer arm64), so the image\'s amd64 build would never run, or its pods never schedule: list the architectures the image is built for that the cluster runs, such as [arm64], or add amd64 nodes (got "amd64")',
    ]);
    // Both is the default, and needs nodes of both.
    const { architectures: _default, ...both } = APP;
    expect(problems(both)).toHaveLength(1);
    // Karpenter's default pools offer both; the system group's architecture does not count.
    const karpenter = { eks: { ...(validEnvironmentInput().eks as object), karpenter: true } };
    expect(problems(both, karpenter)).toEqual([]);
    expect(problems({ ...APP, architectures: [] })).toEqual(["[test] app.architectures: must list at least one of amd64, arm64"]);
  });

  it("refuses app.replicas, which the HPA owns, saying what to set instead", () => {
    expect(problems({ ...APP, replicas: 2 })).toEqual([
      "[test] app.replicas: is no longer a setting: the HorizontalPodAutoscaler owns the Deployment's replica count, and a replicas value in the chart would reset it on every helm upgrade (helm/helm#7090); set app.hpa.min, the fewest replicas, instead",
    ]);
  });
});
