// `rigtune qfh`: QFH metrics of bit windows given as arguments or stdin lines, one JSON object per line.
// A thin shell over kernel/qfh: parsing and error positions live here, the numbers in the kernel.

import { Command } from 'commander';
import { RigtuneError } from '../core/errors.ts';
import { analyzeWindow, type QfhMetrics } from '../kernel/qfh/index.ts';

/** Output keys, in the order every line prints them. */
export const QFH_OUTPUT_KEYS = [
  'n',
  'coherence',
  'stability',
  'entropy',
  'rupture',
  'flip_ratio',
  'lambda_hazard',
  'collapse',
  'null_count',
  'flip_count',
  'rupture_count',
  'sig_c',
  'sig_s',
  'sig_e',
] as const satisfies readonly (keyof QfhMetrics)[];

/** Streams the command uses; the defaults are the process's. */
export interface QfhIo {
  /** Receives the output lines; a `false` return with a `once` method waits for 'drain'. */
  readonly stdout: { write(chunk: string): unknown };
  /** Read when no window is given as an argument; chunks of UTF-8 bytes or strings. */
  readonly stdin: AsyncIterable<string | Uint8Array>;
}

/** Where a window came from, for error positions. */
interface Origin {
  readonly where: { file?: string; line?: number; field?: string };
}

const FLUSH_CHARS = 64 * 1024;

/** One window of text → bits; surrounding blanks are ignored, columns are 1-based in the raw text. */
function parseWindow(raw: string, hex: boolean, origin: Origin): Uint8Array {
  const start = raw.length - raw.trimStart().length;
  const text = raw.trim();
  const fail = (code: 'RT_KERNEL_BITS' | 'RT_CLI_USAGE', index: number, message: string): never => {
    const column = start + index + 1;
    // stdin errors carry line:column in `where`; argument errors name the column in the message.
    const place = origin.where.line === undefined ? `column ${column}: ` : '';
    const where = origin.where.line === undefined ? { offset: column - 1 } : { column };
    throw new RigtuneError(code, `${place}${message}`, { command: 'qfh', ...origin.where, ...where });
  };
  if (!hex) {
    const bits = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 48 && c !== 49) fail('RT_KERNEL_BITS', i, `${JSON.stringify(text[i])} is not a bit (0 or 1)`);
      bits[i] = c - 48;
    }
    return bits;
  }
  for (let i = 0; i < text.length; i++) {
    if (!/[0-9a-fA-F]/.test(text[i]))
      fail('RT_CLI_USAGE', i, `${JSON.stringify(text[i])} is not a hex digit`);
  }
  if (text.length % 2 !== 0)
    fail('RT_CLI_USAGE', text.length - 1, 'odd number of hex digits (bytes need two)');
  const bits = new Uint8Array(text.length * 4);
  for (let i = 0; i < text.length; i += 2) {
    const byte = Number.parseInt(text.slice(i, i + 2), 16);
    for (let b = 0; b < 8; b++) bits[i * 4 + b] = (byte >>> (7 - b)) & 1; // MSB first, as analyze_window_batch
  }
  return bits;
}

/** The JSON line of one window, keys in QFH_OUTPUT_KEYS order. */
export function formatMetrics(metrics: QfhMetrics): string {
  return JSON.stringify(metrics, QFH_OUTPUT_KEYS as unknown as string[]);
}

/** Splits a chunk stream into lines (LF or CRLF); a last line without newline counts. */
async function* readLines(input: AsyncIterable<string | Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of input) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) yield line.endsWith('\r') ? line.slice(0, -1) : line;
  }
  pending += decoder.decode();
  if (pending !== '') yield pending.endsWith('\r') ? pending.slice(0, -1) : pending;
}

/** Buffered line output that honours backpressure when the sink reports it. */
function lineWriter(stdout: QfhIo['stdout']) {
  let buffer = '';
  const flush = async (): Promise<void> => {
    if (buffer === '') return;
    const chunk = buffer;
    buffer = '';
    const sink = stdout as { write(c: string): unknown; once?: (event: string, fn: () => void) => unknown };
    if (sink.write(chunk) === false && typeof sink.once === 'function') {
      await new Promise<void>((resolve) => sink.once?.('drain', resolve));
    }
  };
  return {
    async line(text: string): Promise<void> {
      buffer += `${text}\n`;
      if (buffer.length >= FLUSH_CHARS) await flush();
    },
    flush,
  };
}

async function run(windows: readonly string[], hex: boolean, io: QfhIo): Promise<void> {
  const out = lineWriter(io.stdout);
  if (windows.length > 0) {
    // Arguments are all checked before anything is printed.
    const parsed = windows.map((w, i) => parseWindow(w, hex, { where: { field: `argument ${i + 1}` } }));
    for (const bits of parsed) await out.line(formatMetrics(analyzeWindow(bits)));
    await out.flush();
    return;
  }
  let lineNo = 0;
  try {
    for await (const raw of readLines(io.stdin)) {
      lineNo++;
      if (raw.trim() === '') continue;
      const bits = parseWindow(raw, hex, { where: { file: '<stdin>', line: lineNo } });
      await out.line(formatMetrics(analyzeWindow(bits)));
    }
  } finally {
    await out.flush(); // lines before a bad one are still printed
  }
}

/** Builds the `qfh` command; `io` replaces stdin/stdout (tests). */
export function qfhCommand(io: Partial<QfhIo> = {}): Command {
  const streams: QfhIo = { stdout: io.stdout ?? process.stdout, stdin: io.stdin ?? process.stdin };
  return new Command('qfh')
    .description(
      'QFH metrics of bit windows, as the native sep_quantum analyze_window computes them: one JSON ' +
        'object per window (n, coherence, stability, entropy, rupture, flip_ratio, lambda_hazard, collapse, ' +
        'null_count, flip_count, rupture_count, sig_c, sig_s, sig_e). Windows come from the arguments, or ' +
        'from stdin one per line (blank lines skipped) when there are none.',
    )
    .argument('[bits...]', 'bit windows such as 0110100110 (with --hex: byte windows such as 5345)')
    .option('--hex', 'read each window as hex bytes, expanded most significant bit first')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ rigtune qfh 01101001101 00000000000000000000000000000000\n' +
        '  $ rigtune qfh --hex 5345502074656c656d65747279\n' +
        "  $ printf '0101\\n1111\\n' | rigtune qfh\n",
    )
    .action(async (bits: string[], options: { hex?: boolean }) => {
      await run(bits, options.hex === true, streams);
    });
}
