// Time-column parsing: epoch seconds, epoch milliseconds (told apart by magnitude) and ISO 8601.
// Every trace reader turns its `ts` cell into epoch milliseconds here, so the rules are the same.

/** Numbers below this are epoch seconds, at or above it epoch milliseconds (1e11 s ≈ year 5138). */
export const EPOCH_SECONDS_LIMIT = 1e11;

/** The names accepted for the time column, in order of preference. */
export const TIME_COLUMN_NAMES: readonly string[] = ['ts', 'time', 'timestamp'];

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

/**
 * Epoch milliseconds from an epoch number: |x| < 1e11 is seconds (scaled by 1000, kept to the
 * microsecond), otherwise milliseconds. Returns undefined for NaN or ±Infinity.
 */
export function epochMsFromNumber(x: number): number | undefined {
  if (!Number.isFinite(x)) return undefined;
  return Math.abs(x) < EPOCH_SECONDS_LIMIT ? Math.round(x * 1e6) / 1e3 : x;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/**
 * Epoch milliseconds from ISO 8601 text: `YYYY-MM-DD`, optionally `T` or a space and `hh:mm`,
 * `:ss`, a fraction (any digits, kept to the microsecond) and a zone (`Z`, `±hh`, `±hh:mm`, `±hhmm`).
 * Without a zone the time is UTC. Returns undefined when the text is not such a time or a field is
 * out of range (month 13, 30 February, hour 24, year before 1000).
 */
export function parseIsoTime(text: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (m === null) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [h, mi, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  if (h > 23 || mi > 59 || s > 59) return undefined;
  let ms = Date.UTC(y, mo - 1, d, h, mi, s);
  if (m[7] !== undefined) ms += Math.round(Number(`0.${m[7]}`) * 1e6) / 1e3;
  if (m[9] !== undefined) {
    const [oh, om] = [Number(m[10]), Number(m[11] ?? 0)];
    if (oh > 23 || om > 59) return undefined;
    const offsetMs = (oh * 60 + om) * 60_000;
    ms += m[9] === '+' ? -offsetMs : offsetMs;
  }
  return ms;
}

/** Epoch milliseconds from a time cell's text (epoch number or ISO 8601); undefined if neither. */
export function parseTimeText(text: string): number | undefined {
  const t = text.trim();
  if (NUMBER.test(t)) return epochMsFromNumber(Number(t));
  return parseIsoTime(t);
}
