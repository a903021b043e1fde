import { z } from "zod";
import { environmentSchema, HOST_SECTIONS } from "./schema";

/**
 * The JSON Schema of an environment file, generated from the zod schema. Committed as
 * `config/environment.schema.json` so that editors complete and check the YAML; a test fails
 * when the committed copy is stale (`npm run schema` rewrites it).
 */
export function environmentJsonSchema(): string {
  const schema = z.toJSONSchema(environmentSchema, { io: "input", target: "draft-2020-12" });
  // A cluster host needs network and eks; a tenant (cluster) has neither, nor platform or dns
  // (the schema's superRefine, which JSON Schema cannot see, says the same).
  const placement = {
    if: { required: ["cluster"] },
    then: { not: { anyOf: HOST_SECTIONS.map((section) => ({ required: [section] })) } },
    else: { required: ["network", "eks"] },
  };
  return `${JSON.stringify({ ...schema, ...placement, title: "Environment configuration", $id: "environment.schema.json" }, null, 2)}\n`;
}
