// File access for the trace readers: existence checks and streamed text chunks with byte counts,
// so a 1 GB trace is read in 64 KiB pieces and never held in memory whole.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { RigtuneError } from '../core/errors.ts';

/** Bytes read per chunk. */
export const CHUNK_BYTES = 1 << 16;

/** A piece of decoded text and the file bytes consumed up to and including it. */
export interface TextChunk {
  readonly text: string;
  readonly consumedBytes: number;
}

function errorCode(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
}

/** Wraps an I/O error as RT_INPUT_NOT_FOUND naming the file. */
export function readError(file: string, err: unknown): RigtuneError {
  if (err instanceof RigtuneError) return err;
  const code = errorCode(err);
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? 'is a directory'
        : code === 'EACCES'
          ? 'permission denied'
          : `cannot be read (${code || String(err)})`;
  return new RigtuneError('RT_INPUT_NOT_FOUND', `${file}: ${reason}`, { file }, { cause: err });
}

/** Size in bytes of a readable regular file. Throws RT_INPUT_NOT_FOUND otherwise. */
export async function fileSize(file: string): Promise<number> {
  try {
    const s = await stat(file);
    if (s.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return s.size;
  } catch (err) {
    throw readError(file, err);
  }
}

/** The file's raw bytes in chunks. Throws RT_INPUT_NOT_FOUND when reading fails. */
export async function* readByteChunks(file: string, start = 0): AsyncGenerator<Buffer> {
  const stream = createReadStream(file, { highWaterMark: CHUNK_BYTES, start });
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (err) {
    throw readError(file, err);
  } finally {
    stream.destroy();
  }
}

/** The file as UTF-8 text in chunks (multi-byte characters are never split), with bytes consumed. */
export async function* readTextChunks(file: string): AsyncGenerator<TextChunk> {
  const decoder = new TextDecoder('utf-8');
  let consumedBytes = 0;
  for await (const bytes of readByteChunks(file)) {
    consumedBytes += bytes.length;
    yield { text: decoder.decode(bytes, { stream: true }), consumedBytes };
  }
  const rest = decoder.decode();
  if (rest !== '') yield { text: rest, consumedBytes };
}

/** The first `n` bytes of the file (fewer when it is shorter), for format sniffing. */
export async function readHead(file: string, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let got = 0;
  for await (const chunk of readByteChunks(file)) {
    parts.push(chunk);
    got += chunk.length;
    if (got >= n) break;
  }
  return Buffer.concat(parts).subarray(0, n);
}
