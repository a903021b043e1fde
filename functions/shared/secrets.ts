/**
 * Secrets Manager for the project's functions (db-bootstrap, alarm-forwarder): one reader, bundled
 * into each by esbuild.
 */

/** The part of the AWS SDK v3 Secrets Manager client this function uses. */
interface SecretsManagerModule {
  readonly SecretsManagerClient: new (config: object) => { send(command: unknown): Promise<{ SecretString?: string }> };
  readonly GetSecretValueCommand: new (input: { SecretId: string }) => unknown;
}

let secretsManager: { module: SecretsManagerModule; client: InstanceType<SecretsManagerModule["SecretsManagerClient"]> } | undefined;

/**
 * Reads a secret with the AWS SDK the Lambda Node.js runtime ships, so the bundle carries no SDK
 * (it is marked external). Loaded on first use and kept for warm invocations.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html
 */
export async function readSecretFromSecretsManager(secretId: string): Promise<string> {
  if (!secretsManager) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- provided by the runtime, not a dependency: no types to import
    const sdk = require("@aws-sdk/client-secrets-manager") as SecretsManagerModule;
    secretsManager = { module: sdk, client: new sdk.SecretsManagerClient({}) };
  }
  const { SecretString } = await secretsManager.client.send(new secretsManager.module.GetSecretValueCommand({ SecretId: secretId }));
  if (SecretString === undefined) throw new Error(`secret ${secretId} has no SecretString`);
  return SecretString;
}
