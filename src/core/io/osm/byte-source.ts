/**
 * Byte input for the OSM readers: a stream (an upload) or a file the runtime opened, counted as it
 * is read, with a peek at the first bytes for format detection that does not lose them.
 */
import { Readable } from 'node:stream';

export interface CountedBytes {
  chunks: AsyncIterable<Buffer>;
  /** Raw bytes read from the source so far (before any decompression). */
  bytesRead(): number;
  /** The file name when the source is a path, for the extension fallback. */
  name?: string;
}

/**
 * What the readers read: a byte stream (an upload), or a named one — a file opened by the runtime
 * (src/runtime/files/file-bytes.ts), the core itself touching no file system — whose name gives the
 * extension fallback and the messages.
 */
export type ByteInput = NodeJS.ReadableStream | NamedBytes;

export interface NamedBytes {
  name: string;
  stream: NodeJS.ReadableStream;
}

export function isNamedBytes(source: ByteInput): source is NamedBytes {
  return typeof (source as NamedBytes).name === 'string' && typeof (source as NamedBytes).stream === 'object';
}

export function countedBytes(source: ByteInput): CountedBytes {
  let bytesRead = 0;
  const stream = isNamedBytes(source) ? source.stream : source;
  async function* chunks(): AsyncGenerator<Buffer> {
    // Leaving this loop early (an error downstream) returns the stream's iterator, which destroys
    // the stream and closes a file we opened.
    for await (const chunk of stream) {
      const bytes = toBuffer(chunk);
      bytesRead += bytes.length;
      yield bytes;
    }
  }
  return { chunks: chunks(), bytesRead: () => bytesRead, name: isNamedBytes(source) ? source.name : undefined };
}

export interface PeekedBytes {
  /** Up to `minBytes` first bytes (fewer only when the input is shorter). */
  head: Buffer;
  /** All the bytes, the peeked ones included. */
  stream: Readable;
  /** Releases the input when `stream` will not be read (e.g. an unsupported format). */
  cancel(): Promise<void>;
}

export async function peekBytes(input: AsyncIterable<Buffer>, minBytes: number): Promise<PeekedBytes> {
  const iterator = input[Symbol.asyncIterator]();
  const taken: Buffer[] = [];
  let length = 0;
  let ended = false;
  try {
    while (length < minBytes) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      taken.push(next.value);
      length += next.value.length;
    }
  } catch (err) {
    await iterator.return?.();
    throw err;
  }
  const head = (taken.length === 1 ? taken[0] : Buffer.concat(taken)).subarray(0, minBytes);

  async function* replay(): AsyncGenerator<Buffer> {
    try {
      yield* taken;
      while (!ended) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await iterator.return?.();
    }
  }
  return {
    head,
    stream: Readable.from(replay(), { objectMode: false }),
    cancel: async () => {
      await iterator.return?.();
    },
  };
}

function toBuffer(chunk: string | Buffer | Uint8Array): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
