import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { openTunnel, type Run, tunnelKubeconfig } from "../../scripts/kube";

// `npm run kube`: the tunnel through the access host, with the AWS CLI faked (no process runs).
const CA = "LS0tLS1CRUdJTi0tLS0t";
const ENDPOINT = "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com";

function fakeAws(instances: string): { run: Run; calls: string[][] } {
  const calls: string[][] = [];
  const run: Run = (command, args) => {
    calls.push([command, ...args]);
    if (args[0] === "ec2") return `${instances}\n`;
    if (args[0] === "eks") return JSON.stringify({ endpoint: ENDPOINT, ca: CA });
    return "";
  };
  return { run, calls };
}

describe("npm run kube", () => {
  it("writes a kubeconfig for the local port, checking the API's real name, authenticating as the caller", () => {
    const config = parse(tunnelKubeconfig({ cluster: "dev-platform", region: "eu-west-1", endpointHost: "abc.gr7.eu-west-1.eks.amazonaws.com", certificateAuthority: CA, localPort: 8443 }));
    expect(config.clusters[0].cluster).toEqual({ server: "https://127.0.0.1:8443", "tls-server-name": "abc.gr7.eu-west-1.eks.amazonaws.com", "certificate-authority-data": CA });
    // No --role-arn: the operator's own identity, which the cluster admits through eks.admins or eks.viewers.
    expect(config.users[0].user.exec).toMatchObject({ command: "aws", args: ["eks", "get-token", "--cluster-name", "dev-platform", "--region", "eu-west-1", "--output", "json"] });
    expect(config["current-context"]).toBe("dev-platform-tunnel");
  });

  it("finds the access host by its group, forwards to the private endpoint with Session Manager, and keeps the kubeconfig private", () => {
    const { run, calls } = fakeAws("i-0abc i-0def");
    const file = path.join(mkdtempSync(path.join(tmpdir(), "kube-")), "nested", "dev.yaml");
    const lines: string[] = [];
    openTunnel({ env: "dev", region: "eu-west-1", port: 9443, kubeconfig: file, run, log: (l) => lines.push(l) });
    expect(calls[0]).toContain("Name=tag:aws:autoscaling:groupName,Values=dev-access-host");
    expect(calls[1]).toEqual(expect.arrayContaining(["describe-cluster", "--name", "dev-platform"]));
    expect(calls[2]).toEqual([
      "aws", "ssm", "start-session", "--region", "eu-west-1", "--target", "i-0abc", "--document-name", "AWS-StartPortForwardingSessionToRemoteHost",
      "--parameters", JSON.stringify({ host: ["0123456789abcdef.gr7.eu-west-1.eks.amazonaws.com"], portNumber: ["443"], localPortNumber: ["9443"] }),
    ]);
    expect(parse(readFileSync(file, "utf8")).clusters[0].cluster.server).toBe("https://127.0.0.1:9443");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(lines.join("\n")).toContain(`export KUBECONFIG=${file}; kubectl get pods -A`);
  });

  it("says what to check when there is no running access host", () => {
    const { run } = fakeAws("");
    expect(() => openTunnel({ env: "dev", region: "eu-west-1", port: 8443, kubeconfig: "/nonexistent/x", run })).toThrow(
      "no running access host in dev-access-host (eu-west-1): is access.host true in config/dev.yaml, and <env>-access applied?",
    );
  });
});
