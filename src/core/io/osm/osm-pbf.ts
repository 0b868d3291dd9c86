/**
 * Streaming OSM PBF (`.osm.pbf`) parser on osm-pbf-parser-node's `OSMTransform`, which turns raw
 * bytes into arrays of decoded items, one array per blob (~8000 elements).
 */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OSMTransform } from 'osm-pbf-parser-node';
import { InputError } from '../../errors.ts';
import type { Tags } from '../../network/raw-line.ts';
import type { OsmHandler, RelationMember } from './osm-handler.ts';

/** Throws `InputError('INVALID_OSM')` on a malformed or truncated file. */
export async function parseOsmPbf(bytes: Readable, handler: OsmHandler): Promise<void> {
  await pipeline(bytes, new GuardedOsmTransform(), async (batches: AsyncIterable<PbfItem[]>) => {
    for await (const batch of batches) {
      for (const item of batch) {
        // The first item is the file's HeaderBlock, which has no `type`.
        if (item.type === 'node') handler.node(item.id, item.lon, item.lat, item.tags);
        else if (item.type === 'way') handler.way(item.id, item.refs, item.tags);
        else if (item.type === 'relation') handler.relation(item.id, item.tags, item.members);
      }
    }
  });
}

/** The decoded items we use (`withInfo: false`); `tags` is absent when an element has none. */
type PbfItem =
  | { type: 'node'; id: number; lat: number; lon: number; tags?: Tags }
  | { type: 'way'; id: number; refs: number[]; tags?: Tags }
  | { type: 'relation'; id: number; tags?: Tags; members: RelationMember[] }
  | { type?: undefined };

/** Limits of the OSM PBF format: 64 KiB per BlobHeader, 32 MiB per Blob. */
const MAX_BLOB_HEADER_BYTES = 64 * 1024;
const MAX_BLOB_BYTES = 32 * 1024 * 1024;

/**
 * `OSMTransform` throws from inside `_transform`/`_flush` on bad input instead of passing the error
 * to the callback; thrown there, it would escape the pipe as an uncaught exception and crash the
 * process. Here it becomes a stream error, hence a rejected `parseOsmPbf`.
 */
class GuardedOsmTransform extends OSMTransform {
  private bytesIn = 0;

  constructor() {
    super({ withTags: true, withInfo: false });
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, next: (err?: Error | null) => void): void {
    this.bytesIn += chunk.length;
    try {
      super._transform(chunk, encoding, (err) => {
        const oversize = err ? undefined : this.describeOversize();
        next(err ?? (oversize === undefined ? undefined : this.invalid(oversize)));
      });
    } catch (err) {
      next(this.invalid(errorMessage(err)));
    }
  }

  override _flush(callback: (err?: Error | null) => void): void {
    const truncation = this.describeTruncation();
    if (truncation) {
      callback(this.invalid(truncation));
      return;
    }
    try {
      super._flush(callback);
    } catch (err) {
      callback(this.invalid(errorMessage(err)));
    }
  }

  /**
   * The parser buffers whatever length a (possibly corrupt) header announces — a text file read as
   * PBF announces ~1 GB — so the limits of the PBF spec are enforced here, chunk by chunk.
   */
  private describeOversize(): string | undefined {
    const { status, needed } = this.parserState();
    if (typeof needed !== 'number') return undefined;
    if (status === 1 && needed > MAX_BLOB_HEADER_BYTES) {
      return `a block header announces ${needed} bytes: expected at most ${MAX_BLOB_HEADER_BYTES} (not PBF, or corrupt)`;
    }
    if ((status === 2 || status === 3) && needed > MAX_BLOB_BYTES) {
      return `a block announces ${needed} bytes: expected at most ${MAX_BLOB_BYTES} (corrupt file)`;
    }
    return undefined;
  }

  /** The parser's undocumented state, read defensively: `status` 1 = expecting a BlobHeader, 2-3 a Blob. */
  private parserState(): { buffer?: unknown; offset?: unknown; needed?: unknown; status?: unknown } {
    return this as unknown as { buffer?: unknown; offset?: unknown; needed?: unknown; status?: unknown };
  }

  /**
   * The parser's own check at the end only says "input format error"; its state (undocumented,
   * hence the defensive reads) tells what actually happened.
   */
  private describeTruncation(): string | undefined {
    const state = this.parserState();
    if (state.buffer === null) return 'the input is empty';
    if (!Buffer.isBuffer(state.buffer) || typeof state.offset !== 'number' || typeof state.needed !== 'number') {
      return undefined;
    }
    const pending = state.buffer.length - state.offset;
    if (state.status === 0 && pending === 0) return undefined;
    return `the file is truncated: it ends inside a block, ${pending} of ${state.needed} bytes present`;
  }

  private invalid(reason: string): InputError {
    return new InputError('INVALID_OSM', `osm pbf: ${reason} (after ${this.bytesIn} bytes)`);
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
