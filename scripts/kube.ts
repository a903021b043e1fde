import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { accessHostName, clusterName } from "../config/naming";
import { configLoader, runCli } from "./review-cli";

const USAGE = `Usage: npm run kube -- --env NAME [--port 8443] [--kubeconfig FILE] [--config-dir config]

Opens a tunnel to the environment's private cluster API through its access host (Session
Manager port forwarding, config access.host: true) and writes a kubeconfig for it. kubectl then
talks to https://127.0.0.1:PORT, checks the API server's certificate under its real name
(tls-server-name), and authenticates with \`aws eks get-token\` as your own AWS identity: the
role your AWS_PROFILE or credentials give you, which the cluster admits through eks.admins or
eks.viewers. Keeps running until Ctrl-C closes the tunnel.

Needs the AWS CLI and its Session Manager plugin. Nothing here is stored but the kubeconfig
(default ~/.kube/<env>-platform.yaml).`;

/** Runs a command; returns its stdout, or throws with its stderr. Injected by tests. */
export type Run = (command: string, args: readonly string[], options?: { readonly inherit?: boolean }) => string;

const runAws: Run = (command, args, options) => {
  const result = spawnSync(command, args, { encoding: "utf8", stdio: options?.inherit ? "inherit" : ["ignore", "pipe", "pipe"] });
  if (result.error) throw new Error(`${command} could not be run (${result.error.message}): install the AWS CLI v2 and the Session Manager plugin`);
  if (result.status !== 0) throw new Error(`${command} ${args.slice(0, 2).join(" ")} failed: ${(result.stderr ?? "").trim() || `exit ${result.status}`}`);
  return result.stdout ?? "";
};

/** What a kubeconfig for the tunnel needs. */
export interface TunnelTarget {
  readonly cluster: string;
  readonly region: string;
  /** The API endpoint's host name (the certificate's name). */
  readonly endpointHost: string;
  /** The cluster CA, base64. */
  readonly certificateAuthority: string;
  readonly localPort: number;
}

/** The kubeconfig for a tunnel: the local port, the real server name for TLS, and `aws eks get-token` as the caller. */
export function tunnelKubeconfig(t: TunnelTarget): string {
  const name = `${t.cluster}-tunnel`;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server: `https://127.0.0.1:${t.localPort}`, "tls-server-name": t.endpointHost, "certificate-authority-data": t.certificateAuthority } }],
    users: [{ name, user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", t.cluster, "--region", t.region, "--output", "json"], interactiveMode: "Never" } } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
  });
}

/** Finds the access host's running instance, the cluster's endpoint and CA; writes the kubeconfig; opens the tunnel. */
export function openTunnel(opts: { env: string; region: string; port: number; kubeconfig: string; run?: Run; log?: (line: string) => void }): void {
  const run = opts.run ?? runAws;
  const log = opts.log ?? ((line: string) => console.error(line));
  const cluster = clusterName({ name: opts.env });
  const group = accessHostName({ name: opts.env });
  const instances = run("aws", ["ec2", "describe-instances", "--region", opts.region, "--filters", `Name=tag:aws:autoscaling:groupName,Values=${group}`, "Name=instance-state-name,Values=running", "--query", "Reservations[].Instances[].InstanceId", "--output", "text"])
    .split(/\s+/)
    .filter(Boolean);
  if (instances.length === 0) throw new Error(`no running access host in ${group} (${opts.region}): is access.host true in config/${opts.env}.yaml, and <env>-access applied? The group replaces an unhealthy host within minutes`);
  const described = JSON.parse(run("aws", ["eks", "describe-cluster", "--region", opts.region, "--name", cluster, "--query", "cluster.{endpoint: endpoint, ca: certificateAuthority.data}", "--output", "json"])) as { endpoint: string; ca: string };
  const endpointHost = new URL(described.endpoint).host;
  mkdirSync(path.dirname(opts.kubeconfig), { recursive: true });
  writeFileSync(opts.kubeconfig, tunnelKubeconfig({ cluster, region: opts.region, endpointHost, certificateAuthority: described.ca, localPort: opts.port }), { mode: 0o600 });
  log(`kubeconfig: ${opts.kubeconfig}\nIn another shell:  export KUBECONFIG=${opts.kubeconfig}; kubectl get pods -A\nTunnel to ${endpointHost} through ${instances[0]} on 127.0.0.1:${opts.port}; Ctrl-C closes it.`);
  run("aws", ["ssm", "start-session", "--region", opts.region, "--target", instances[0] as string, "--document-name", "AWS-StartPortForwardingSessionToRemoteHost", "--parameters", JSON.stringify({ host: [endpointHost], portNumber: ["443"], localPortNumber: [String(opts.port)] })], { inherit: true });
}

if (require.main === module) {
  runCli(USAGE, () => {
    const { values } = parseArgs({ options: { env: { type: "string" }, port: { type: "string", default: "8443" }, kubeconfig: { type: "string" }, "config-dir": { type: "string", default: "config" } } });
    if (!values.env) throw new Error("--env is required: the environment whose cluster to reach");
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 1024 || port > 65535) throw new Error(`--port ${values.port}: allowed: an unprivileged port, 1024–65535`);
    const env = configLoader().loadEnvironments({ configDir: path.resolve(values["config-dir"] as string) }).find((e) => e.name === values.env);
    if (!env) throw new Error(`--env ${values.env}: no config/${values.env}.yaml`);
    if (!env.access.host) throw new Error(`${values.env} has no access host: set access.host: true in config/${values.env}.yaml, and apply ${values.env}-access`);
    openTunnel({ env: env.name, region: env.account.region, port, kubeconfig: values.kubeconfig ?? path.join(homedir(), ".kube", `${clusterName(env)}.yaml`) });
    return 0;
  });
}
