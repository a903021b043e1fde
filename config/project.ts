import { readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigError, displayPath } from "./problems";

/**
 * Settings of the project as a whole, kept in `cdktf.json` under `context`, where cdktf also
 * looks for app-wide values. They are committed and reviewed like any other change.
 */
export interface ProjectSettings {
  /** Value of the `repository` tag on every resource: where the code that manages it lives. */
  readonly repository: string;
  /**
   * Where the state-backend stack keeps its own state. `local` for the first apply (the bucket
   * does not exist yet); `s3` once its state has been migrated into the bucket (README, "Bootstrap").
   */
  readonly stateBackendStorage: "local" | "s3";
  /**
   * The GitHub repository (`org/repo`) whose workflows plan and apply: the CI roles trust its
   * OIDC tokens only.
   */
  readonly githubRepository: string;
  /**
   * The numeric id of {@link githubRepository} (`gh api repos/<org>/<repo> --jq .id`). Every CI
   * role's trust pins it (the `repository_id` claim): a repository deleted and made again under
   * the same name, or a renamed one whose old name someone took, has another id and is not trusted.
   * @see https://docs.github.com/en/actions/reference/security/oidc
   */
  readonly githubRepositoryId: number;
  /**
   * A DynamoDB lock table state-backend made and backend.config no longer names: the stack
   * forgets it (a `removed` block), and the table stays in AWS, unmanaged. Without it, the table
   * leaving the code would be planned for destruction: `prevent_destroy` guards a resource only
   * while its block is in the code (README, "Moving to S3-native locking").
   * @default - none
   */
  readonly retiredLockTable?: string;
}

const projectSchema = z.object({
  repository: z.string().min(1, "must name the repository, e.g. github.com/example-org/platform-infra"),
  stateBackendStorage: z.enum(["local", "s3"]),
  githubRepository: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/, 'must be a GitHub repository in org/repo form, e.g. "example-org/platform-infra"'),
  githubRepositoryId: z.number({ error: "must be the repository's numeric id, a positive whole number (gh api repos/<org>/<repo> --jq .id), e.g. 123456789" }).int("must be a whole number: the repository's id (gh api repos/<org>/<repo> --jq .id)").positive("must be the repository's id, a positive whole number (gh api repos/<org>/<repo> --jq .id)"),
  retiredLockTable: z.string().regex(/^[a-zA-Z0-9_.-]{3,255}$/, "must be the name of the DynamoDB table backend.config named before").optional(),
});

/** Reads the project settings from `cdktf.json`. */
export function loadProjectSettings(cdktfJson: string, baseDir: string = process.cwd()): ProjectSettings {
  const display = displayPath(cdktfJson, baseDir);
  let context: unknown;
  try {
    context = (JSON.parse(readFileSync(cdktfJson, "utf8")) as { context?: unknown }).context;
  } catch (error) {
    throw new ConfigError([{ file: display, field: "", message: `cannot be read as JSON: ${(error as Error).message}` }]);
  }
  const parsed = projectSchema.safeParse(context ?? {}, { reportInput: true });
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        file: display,
        field: ["context", ...issue.path].join("."),
        message: issue.message,
        value: typeof issue.input === "object" ? undefined : issue.input,
      })),
    );
  }
  return parsed.data;
}
