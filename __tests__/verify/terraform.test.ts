import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { mockState } from "../../scripts/verify/mocks";
import { planWork, writeWork } from "../../scripts/verify/plan-stack";
import { prepareStack, type StackJson, useLocalState } from "../../scripts/verify/prepare";
import { findProviderSource, findTerraform, writeCliConfig } from "../../scripts/verify/toolchain";
import { NETWORK_CONTRACT } from "../../stacks/contracts/network";
import { ROOT } from "../helpers";

// Terraform itself, when this machine has it and a provider mirror (or VERIFY_WITH_REGISTRY=1
// where the registry is reachable). Elsewhere the suite is skipped, and its title says why.
const found = findTerraform();
const source = findProviderSource();
const why = "missing" in found ? found.missing : !source.mirror && !process.env.VERIFY_WITH_REGISTRY ? "no provider mirror (set TF_PLUGIN_MIRROR, or VERIFY_WITH_REGISTRY=1 with registry access)" : undefined;
const suite = why ? describe.skip : describe;

suite(`a consumer stack planned offline against its producer's mock state${why ? ` (skipped: ${why})` : ""}`, () => {
  it("plans with the producer's known values and the contract's mocks", async () => {
    if ("missing" in found) return;
    const dir = mkdtempSync(path.join(tmpdir(), "verify-consumer-"));
    const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
    if (source.mirror) {
      writeCliConfig(path.join(dir, "terraformrc"), source);
      env.TF_CLI_CONFIG_FILE = path.join(dir, "terraformrc");
    }
    const producerPlan = JSON.parse(readFileSync(path.join(ROOT, "__tests__", "fixtures", "real-plans", "all-create", "dev-network.json"), "utf8")) as { output_changes: Record<string, never> };
    const stateFile = path.join(dir, "network.tfstate");
    writeFileSync(stateFile, JSON.stringify(mockState(producerPlan.output_changes, NETWORK_CONTRACT.outputs, { account: "111111111111", region: "eu-west-1" })));
    const consumer: StackJson = {
      terraform: { required_providers: { aws: { source: "aws", version: "6.25.0" } }, backend: { s3: { bucket: "b", key: "dev/eks.tfstate", region: "eu-west-1" } } },
      provider: { aws: [{ region: "eu-west-1", allowed_account_ids: ["111111111111"], assume_role: [{ role_arn: "arn:aws:iam::111111111111:role/deploy" }] }] },
      data: { terraform_remote_state: { network: { backend: "s3", config: { bucket: "b", key: "dev/network.tfstate", region: "eu-west-1" } } } },
      resource: {
        aws_security_group: { nodes: { name: "dev-nodes", description: "nodes", vpc_id: "${data.terraform_remote_state.network.outputs.vpc_id}" } },
        aws_db_subnet_group: { data: { name: "dev-data", subnet_ids: "${data.terraform_remote_state.network.outputs.data_subnet_ids}" } },
      },
    };
    const prepared = prepareStack(consumer, source);
    useLocalState(prepared.json, "network", stateFile);
    const work = path.join(dir, "work");
    writeWork(work, prepared);
    // No separate validate: plan validates the configuration too, and each step loads the provider.
    const result = await planWork({ binary: found.binary, env }, work, path.join(dir, "plan.json"), { validate: false });
    if ("failed" in result) throw new Error(result.failed);
    const after = (address: string) => (result.plan.resource_changes as Array<{ address: string; change: { after: Record<string, unknown> } }>).find((rc) => rc.address === address)?.change.after;
    expect(after("aws_security_group.nodes")?.vpc_id).toBe("vpc-0123456789abcdef0");
    expect(after("aws_db_subnet_group.data")?.subnet_ids).toEqual(["subnet-0123456789abc300", "subnet-0123456789abc301"]);
  }, 120_000);
});
