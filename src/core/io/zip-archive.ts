import { crc32 } from 'node:zlib';
import { Unzip, UnzipInflate, unzipSync } from 'fflate';

/**
 * A zip archive read through fflate: its central directory (ZIP64 too) listed without inflating
 * anything, then the entries wanted streamed out of it under a ceiling on their size.
 *
 * Streamed, not `unzipSync`'d: unzipSync inflates into a buffer of the size the directory claims and
 * goes on decoding past it, so a zip lying about its sizes would cost up to ~1000 times its bytes
 * of CPU. Here the archive is pushed a slice at a time and pushing stops at the ceiling: neither a
 * bomb (lying about its sizes or not) nor a cut-off upload can hang or exhaust the reader.
 *
 * fflate does not check CRC-32s, nor hand them out: the central directory's CRC of each entry is
 * read here (`directoryCrcs`, the records fflate has just listed), and every entry taken must inflate
 * to its size and its CRC-32 (node:zlib's) — a damaged entry, stored or deflated, is refused, not read.
 *
 * Problems are `ZipProblem`s, messages without a subject: the caller names the file.
 */
export interface ZipEntry {
  name: string;
  /** Packed size, as the directory says. */
  packedBytes: number;
  /** Unzipped size, as the directory says (it may lie: `extractZip` does not trust it). */
  bytes: number;
  /** 0 stored, 8 deflated; others are not read. */
  method: number;
  /** The CRC-32 of its unzipped bytes, as the directory says. */
  crc: number;
}

export class ZipProblem extends Error {
  override readonly name = 'ZipProblem';
}

/** The central directory's entries, in its order. */
export function listZip(bytes: Uint8Array): ZipEntry[] {
  const entries: ZipEntry[] = [];
  // A directory record takes at least 46 bytes: a count beyond that (a ZIP64 count is 64 bits) is a
  // damaged directory, not 2^32 turns of fflate's loop.
  const most = Math.floor(bytes.byteLength / CENTRAL_RECORD_BYTES);
  try {
    unzipSync(bytes, {
      filter: (file) => {
        if (entries.length >= most) throw new ZipProblem(`the zip's directory is damaged: it lists more entries than its ${bytes.byteLength} bytes can hold`);
        if (file.size > bytes.byteLength) throw new ZipProblem(`the zip's entry ${file.name} points past its data: truncated or damaged`);
        entries.push({ name: file.name, packedBytes: file.size, bytes: file.originalSize, method: file.compression, crc: 0 });
        return false;
      },
    });
  } catch (err) {
    if (err instanceof ZipProblem) throw err;
    // fflate's 13: no end-of-central-directory record in the last 64 KiB.
    if ((err as { code?: number }).code === 13) throw new ZipProblem('the zip has no end-of-archive record: truncated?');
    throw new ZipProblem(`the zip's directory cannot be read (${(err as Error).message})`);
  }
  const crcs = directoryCrcs(bytes, entries.length);
  entries.forEach((entry, i) => (entry.crc = crcs[i]));
  return entries;
}

/**
 * The CRC-32s of the central directory's records, in its order (fflate's order too). The directory
 * was just read by fflate, so its end record is there; ZIP64's locator gives the 64-bit offset.
 */
function directoryCrcs(bytes: Uint8Array, count: number): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.byteLength - 22;
  while (end >= 0 && view.getUint32(end, true) !== END_OF_DIRECTORY) end--;
  if (end < 0) throw new ZipProblem('the zip has no end-of-archive record: truncated?');
  let at = view.getUint32(end + 16, true);
  const locator = end - 20;
  if (at === 0xffffffff && locator >= 0 && view.getUint32(locator, true) === ZIP64_LOCATOR) {
    const record = Number(view.getBigUint64(locator + 8, true));
    at = Number(view.getBigUint64(record + 48, true));
  }
  const crcs: number[] = [];
  for (let i = 0; i < count; i++) {
    if (at + CENTRAL_RECORD_BYTES > bytes.byteLength || view.getUint32(at, true) !== CENTRAL_RECORD) throw new ZipProblem(`the zip's directory is damaged at its record ${i + 1}`);
    crcs.push(view.getUint32(at + 16, true));
    at += CENTRAL_RECORD_BYTES + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return crcs;
}

export interface ExtractOptions {
  /** The most all the entries taken may unzip to, together. */
  maxBytes: number;
  /** Names the ceiling in messages: `the 512 MB a layer may be`. */
  ceiling: string;
}

/** The named entries' bytes (those the archive holds), each checked against the size its directory says. */
export function extractZip(bytes: Uint8Array, entries: readonly ZipEntry[], opts: ExtractOptions): Map<string, Uint8Array> {
  const wanted = new Map(entries.map((e) => [e.name, e]));
  for (const entry of entries) {
    if (entry.method !== 0 && entry.method !== 8) throw new ZipProblem(`the zip's entry ${entry.name} is compressed with method ${entry.method}; only stored and deflated entries are read`);
  }
  const files = new Map<string, Uint8Array>();
  let left = opts.maxBytes;
  let problem: ZipProblem | undefined;
  const unzip = new Unzip((file) => {
    const entry = wanted.get(file.name);
    if (!entry || files.has(file.name) || problem) return;
    const chunks: Uint8Array[] = [];
    let size = 0;
    let crc = 0;
    file.ondata = (err, chunk, final) => {
      if (problem) return;
      if (err) return void (problem = new ZipProblem(`the zip's entry ${file.name} cannot be inflated (${err.message})`));
      size += chunk.byteLength;
      if (size > left) return void (problem = new ZipProblem(`it unzips to more than ${opts.ceiling} (more than its directory says)`));
      chunks.push(chunk);
      crc = crc32(chunk, crc);
      if (!final) return;
      if (size !== entry.bytes) return void (problem = new ZipProblem(`the zip's entry ${file.name} unzips to ${size} bytes, its directory says ${entry.bytes}: damaged`));
      if (crc !== entry.crc) return void (problem = new ZipProblem(`the zip's entry ${file.name} fails its CRC-32 check (${hex(crc)}, its directory says ${hex(entry.crc)}): damaged`));
      left -= size;
      files.set(file.name, concat(chunks, size));
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let at = 0; at < bytes.byteLength && !problem && files.size < wanted.size; at += SLICE_BYTES) {
      unzip.push(bytes.subarray(at, at + SLICE_BYTES), at + SLICE_BYTES >= bytes.byteLength);
    }
  } catch (err) {
    problem ??= new ZipProblem(`the zip cannot be read (${(err as Error).message})`);
  }
  if (problem) throw problem;
  const missing = entries.find((e) => !files.has(e.name));
  if (missing) throw new ZipProblem(`the zip's entry ${missing.name} is cut short`);
  return files;
}

const CENTRAL_RECORD_BYTES = 46;
const CENTRAL_RECORD = 0x02014b50;
const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;

function hex(crc: number): string {
  return crc.toString(16).padStart(8, '0');
}
/** Pushed at a time: what one push may inflate to is bounded by deflate's ratio (~1032:1) times this. */
const SLICE_BYTES = 64 * 1024;

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
