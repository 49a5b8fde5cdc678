// The named repairs and conversions of CGMiner-family replies: each has a fixture folder under
// fixtures/quirks/<name>/ (reader quirks) or sources/cgminer/fixtures/quirks/<name>/ (mapping quirks).

/** Repairs the tolerant reader makes at token level (protocols/cgminer/reader.ts). */
export const READER_QUIRKS = [
  /** NUL byte(s) after the JSON value: cgminer terminates replies with `\0` (pyasic rpc/base.py). */
  'trailing-nul',
  /** `}{` between array elements: bmminer `STATS` (Antminer D3 Blissz) lacks the comma; one is assumed. */
  'missing-comma-between-objects',
  /** `"…""temp0"`: btminer 2023-01-06 drops the comma between two members; one is assumed. */
  'missing-comma-between-members',
  /** `[,{`: bmminer/btminer emit a comma before the first element; it is skipped. */
  'leading-comma-in-array',
  /** `,}` or `,]`: a comma after the last member or element; it is skipped. */
  'trailing-comma',
  /** `,"id":1}`: Avalon replies that start with a comma; read as an object missing its `{`. */
  'leading-comma-reply',
  /** The same key twice in one object (Hammer D10 `temp1` ×4): the LAST value wins, as in JSON.parse. */
  'duplicate-key',
  /** Bare `inf`, `-inf`, `nan` (and `Infinity`, `NaN`) where a value belongs: read as null. */
  'non-finite-bare',
  /** `"inf"`, `"-inf"`, `"nan"` strings (Avalon): read as null, never as 0. */
  'non-finite-as-string',
  /** A number too large for a double (`1e999`): read as null instead of Infinity. */
  'number-overflow',
  /** Raw control characters (newlines) inside a string (btminer); kept as they are. */
  'control-char-in-string',
  /** Bytes that are not UTF-8 inside a string; each bad sequence becomes U+FFFD. */
  'invalid-utf8',
  /** Whatsminer API 2.0.4 `"error_code":["110":"…"]`: an array holding members; read as an object. */
  'array-shaped-object',
] as const;

/** Conversions the mapping layer makes and records (sources/cgminer/values.ts). */
export const MAPPING_QUIRKS = [
  /** `"GHS 5s":"54997.01"`, `chain_rate1:"37603.30"`, `"Accepted":"156.0000"`: converted to numbers. */
  'number-as-string',
  /** A field found under a drifted spelling (`total_rate`, `Tenperature`, `Pool Stale%%`). */
  'key-spelling-drift',
  /** `Last Share Time` as an `H:MM:SS` age (Antminer `"0:00:03"`). */
  'last-share-time-clock',
  /** `Last Share Time` as epoch seconds (BOSminer, btminer). */
  'last-share-time-epoch',
  /** Single quotes inside a string value (btminer `Firmware Version` `"'20201202.22.REL'"`); stripped. */
  'quotes-in-string',
] as const;

export type ReaderQuirk = (typeof READER_QUIRKS)[number];
export type MappingQuirk = (typeof MAPPING_QUIRKS)[number];
/** Every quirk name; folder names under fixtures/quirks/ use these. */
export type QuirkName = ReaderQuirk | MappingQuirk;

/**
 * Quirks that are a firmware's normal wire format, read exactly (no guess, nothing dropped): every
 * cgminer ends its reply with NUL, Antminers send numbers as strings, and so on. A source notes them
 * (info) instead of warning; the other quirks are repairs of malformed or lossy replies and warn.
 */
export const EXPECTED_QUIRKS: ReadonlySet<QuirkName> = new Set<QuirkName>([
  'trailing-nul',
  'number-as-string',
  'key-spelling-drift',
  'last-share-time-clock',
  'last-share-time-epoch',
  'quotes-in-string',
]);

/** True when `name` is a known quirk name. */
export function isQuirkName(name: string): name is QuirkName {
  return (
    (READER_QUIRKS as readonly string[]).includes(name) ||
    (MAPPING_QUIRKS as readonly string[]).includes(name)
  );
}
