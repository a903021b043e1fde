import { type ProjectSettings } from "../config";

/** Where the runbooks are read (`docs/runbooks/` of the project's repository, cdktf.json's githubRepository): alarms and alerts link there. */
export function runbookBaseUrl(project: Pick<ProjectSettings, "githubRepository">): string {
  return `https://github.com/${project.githubRepository}/blob/main/docs/runbooks/`;
}
