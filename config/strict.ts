import { z } from "zod";

/** Prefix of the message of an unknown key; the loader reads the allowed keys back from it. */
export const ALLOWED_KEYS_PREFIX = "unknown key; allowed keys here: ";

/** An object that rejects unknown keys (typos) and says which keys it does allow. */
export function strict<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? `${ALLOWED_KEYS_PREFIX}${allowed}` : undefined),
  });
}

/** A string with something in it besides spaces. */
export const nonEmpty = z.string().refine((value) => value.trim() !== "", "must not be empty");
