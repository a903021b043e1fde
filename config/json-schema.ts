import { z } from "zod";
import { environmentSchema } from "./schema";

/**
 * The JSON Schema of an environment file, generated from the zod schema. Committed as
 * `config/environment.schema.json` so that editors complete and check the YAML; a test fails
 * when the committed copy is stale (`npm run schema` rewrites it).
 */
export function environmentJsonSchema(): string {
  const schema = z.toJSONSchema(environmentSchema, { io: "input", target: "draft-2020-12" });
  return `${JSON.stringify({ ...schema, title: "Environment configuration", $id: "environment.schema.json" }, null, 2)}\n`;
}
