import { writeFileSync } from "node:fs";
import path from "node:path";
import { environmentJsonSchema } from "../config/json-schema";

// Rewrites the committed JSON Schema of environment files from the zod schema.
const target = path.join(process.cwd(), "config", "environment.schema.json");
writeFileSync(target, environmentJsonSchema());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
