// JSON Schema forms of the config's zod schemas (cached), read by error messages and by the
// reference table of docs/config.md.

import { z } from 'zod';
import type { JsonSchema } from './explain.ts';

const CACHE = new WeakMap<z.ZodType, JsonSchema>();

/** The input-side JSON Schema of `schema` ({} if zod cannot represent it). */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  let json = CACHE.get(schema);
  if (json === undefined) {
    try {
      json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    } catch {
      json = {}; // safe: the schema still validates; only the wording of its errors gets plainer
    }
    CACHE.set(schema, json);
  }
  return json;
}
