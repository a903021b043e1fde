import { parse } from "yaml";
import { ChartRelease, valuesYaml } from "../../modules/helm/chart-release";
import { synthScope, type SynthesizedStack } from "../helpers";

const release = (version: string) => synthScope((scope) => new ChartRelease(scope, "release", { name: "r", namespace: "n", chart: "c", repository: "https://charts.example.com", version }));

describe("ChartRelease", () => {
  it.each(["^1.2.0", "~1.2", "1.x", "", "latest", ">=1.0.0", "1.2"])("refuses the version %j: only an exact one", (version) => {
    expect(() => release(version)).toThrow(`test/release: chart c version must be exact, such as 1.2.3, never a range or empty (got "${version}")`);
  });

  it("installs atomically, waits, cleans up on failure, keeps a bounded history", () => {
    const json = JSON.parse(release("1.2.3-rc.1+build.5")) as SynthesizedStack;
    expect(json.resource.helm_release?.release).toMatchObject({ version: "1.2.3-rc.1+build.5", atomic: true, wait: true, cleanup_on_fail: true, max_history: 5, timeout: 300 });
  });
});

describe("values YAML", () => {
  it("sorts keys, never folds a long line, and quotes what holds a Terraform reference so it stays a string", () => {
    const long = `x${"y".repeat(200)} \${data.terraform_remote_state.database.outputs.port}`;
    const text = valuesYaml({ b: { port: "${data.terraform_remote_state.database.outputs.port}" }, a: long, c: 5432 });
    expect(text.split("\n")[0]).toBe(`a: "${long}"`);
    expect(text).toContain('  port: "${data.terraform_remote_state.database.outputs.port}"');
    expect(text).toContain("c: 5432");
    // What Terraform writes in place of the reference is still a string for Helm.
    expect(parse(text.replaceAll("${data.terraform_remote_state.database.outputs.port}", "5432"))).toMatchObject({ b: { port: "5432" }, c: 5432 });
  });
});
