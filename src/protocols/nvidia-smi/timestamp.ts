// nvidia-smi's `timestamp` column ("2026/11/26 16:25:03.110") is wall-clock time of the GPU host with
// no zone; this turns it into epoch ms in a named zone: UTC, local, a fixed offset, or an IANA name.

const TIMESTAMP = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;
const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

/** Converts wall-clock parts (month 1-12) to epoch ms; null when the wall time does not exist. */
export type WallClockToEpoch = (parts: readonly number[]) => number | null;

/** Offset of `zone` from UTC at instant `epochMs`, in ms, using Intl (IANA time-zone database). */
function intlOffsetMs(format: Intl.DateTimeFormat, epochMs: number): number {
  const p: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(epochMs)))
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour === 24 ? 0 : p.hour, p.minute, p.second);
  return asUtc - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

/**
 * True when `zone` is accepted by `zoneConverter`: `UTC`, `local`, `±HH:MM` / `±HHMM`, or an IANA
 * zone name known to this Node (e.g. `Europe/Berlin`).
 */
export function isValidTimezone(zone: string): boolean {
  try {
    zoneConverter(zone);
    return true;
  } catch {
    return false; // RangeError from Intl: not a zone this runtime knows
  }
}

/** A converter from wall-clock parts in `zone` to epoch ms. Throws RangeError for an unknown zone. */
export function zoneConverter(zone: string): WallClockToEpoch {
  const utc = (q: readonly number[]) => Date.UTC(q[0], q[1] - 1, q[2], q[3], q[4], q[5], q[6]);
  if (zone === 'UTC' || zone === 'Z') return utc;
  if (zone === 'local') return (q) => new Date(q[0], q[1] - 1, q[2], q[3], q[4], q[5], q[6]).getTime();
  const fixed = OFFSET.exec(zone);
  if (fixed) {
    const sign = fixed[1] === '-' ? -1 : 1;
    const offsetMs = sign * (Number(fixed[2]) * 60 + Number(fixed[3])) * 60_000;
    return (q) => utc(q) - offsetMs;
  }
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return (q) => {
    const guess = utc(q);
    // Two passes settle the offset across a DST change. A wall time inside the spring-forward gap is
    // read with the offset before the change (02:30 lands where 03:30 does); an ambiguous autumn
    // wall time is read as its second occurrence (standard time). Both are tested.
    const first = guess - intlOffsetMs(format, guess);
    return guess - intlOffsetMs(format, first);
  };
}

/**
 * Epoch ms of an nvidia-smi timestamp `YYYY/MM/DD HH:MM:SS.mmm` read as wall time in the zone of
 * `toEpoch`; null when the text is not such a timestamp or names an impossible date.
 */
export function parseSmiTimestamp(text: string, toEpoch: WallClockToEpoch): number | null {
  const m = TIMESTAMP.exec(text);
  if (!m) return null;
  const parts = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  const [y, mo, d, h, mi, s] = parts;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCDate() !== d) return null; // 2026/02/30 and the like
  return toEpoch([...parts, ms]);
}
