// Options of the generic http-json source (strict). Mapping paths and units are checked here, so a
// bad path or a unit that does not fit its field fails config validation naming the mapping index.

import { z } from 'zod';
import { NUMERIC_FIELDS } from '../../core/snapshot.ts';
import { parseJsonPath } from './json-path.ts';
import { fitsField, UNITS, unitsFor } from './units.ts';

const EnvRef = z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/) });

const MappingSchema = z.strictObject({
  path: z
    .string()
    .min(1)
    .describe('JSON path of the value: `$.a.b`, `a[0].b`, `$["key with spaces"]`, one `[*]`.'),
  field: z.enum(NUMERIC_FIELDS).describe('Snapshot field the value fills (core/snapshot.ts).'),
  unit: z.enum(UNITS).optional().describe("Unit of the value as served; default: the field's own unit."),
  device: z
    .union([z.string().min(1), z.strictObject({ path: z.string().min(1) })])
    .optional()
    .describe(
      'Device name, or `{ path }` read per element (with `[*]`). Default: `device`, or dev<i> per element.',
    ),
});

/** Validated options of the http-json source. */
export const HttpJsonOptionsSchema = z
  .strictObject({
    url: z.url({ protocol: /^https?$/ }).describe('URL to GET (pool worker stats, miner API). Required.'),
    headers: z
      .record(z.string(), z.union([z.string(), EnvRef]))
      .default({})
      .describe('Extra request headers; secret values as `{ env: NAME }` (never logged). Default none.'),
    token: EnvRef.optional().describe('Bearer token as `{ env: NAME }`. Default none.'),
    device: z.string().min(1).default('total').describe("Device of mappings without `[*]`. Default 'total'."),
    mappings: z.array(MappingSchema).min(1).describe('Path → field mappings. At least one.'),
    interval_ms: z.number().int().min(1000).default(60000).describe('Poll interval hint, ms. Default 60000.'),
    timeout_ms: z.number().int().min(10).default(5000).describe('Whole-request timeout, ms. Default 5000.'),
    connect_timeout_ms: z
      .number()
      .int()
      .min(10)
      .default(2000)
      .describe('TCP connect timeout, ms. Default 2000.'),
    max_body_bytes: z
      .number()
      .int()
      .min(1024)
      .default(1 << 20)
      .describe('Largest reply accepted, bytes. Default 1048576.'),
    tls_reject_unauthorized: z.boolean().default(true).describe('Verify HTTPS certificates. Default true.'),
  })
  .superRefine((o, ctx) => {
    const seen = new Map<string, number>();
    for (const [i, m] of o.mappings.entries()) {
      const issue = (path: (string | number)[], message: string) =>
        ctx.addIssue({
          code: 'custom',
          path: ['mappings', i, ...path],
          message: `mappings[${i}]: ${message}`,
        });
      const parsed = parseJsonPath(m.path);
      if (!parsed.ok)
        issue(['path'], `bad path '${m.path}': ${parsed.message} at character ${parsed.offset + 1}`);
      if (m.unit !== undefined && !fitsField(m.unit, m.field))
        issue(
          ['unit'],
          `unit '${m.unit}' does not fit field '${m.field}' (use one of ${unitsFor(m.field).join(', ')})`,
        );
      const wildcard = parsed.ok && parsed.path.wildcardAt >= 0;
      if (wildcard && typeof m.device === 'string')
        issue(['device'], 'a [*] path gives one value per element: name devices with `device: { path }`');
      if (typeof m.device === 'object') {
        const dp = parseJsonPath(m.device.path);
        if (!dp.ok)
          issue(
            ['device', 'path'],
            `bad device path '${m.device.path}': ${dp.message} at character ${dp.offset + 1}`,
          );
        else if (dp.path.wildcardAt >= 0 !== wildcard)
          issue(['device', 'path'], 'the device path needs [*] exactly when the value path has one');
      }
      const deviceKey =
        typeof m.device === 'object'
          ? `path:${m.device.path}`
          : `name:${m.device ?? (wildcard ? '' : o.device)}`;
      const key = `${m.field}|${deviceKey}|${wildcard}`;
      const first = seen.get(key);
      if (first !== undefined)
        issue(['field'], `fills '${m.field}' for the same device as mappings[${first}]`);
      else seen.set(key, i);
    }
  });

export type HttpJsonOptions = z.output<typeof HttpJsonOptionsSchema>;
export type HttpJsonOptionsInput = z.input<typeof HttpJsonOptionsSchema>;
export type HttpJsonMapping = HttpJsonOptions['mappings'][number];
