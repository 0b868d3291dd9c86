import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

export interface WriteResult {
  features: number;
  bytes: number;
}

/**
 * Streams a FeatureCollection to `path`, one feature per line, without ever holding the whole
 * document: features are serialised into chunks of about `chunkChars` characters, and each chunk
 * waits for the stream to drain when the stream asks for it (backpressure).
 */
export async function writeFeatureCollection(
  path: string,
  features: Iterable<unknown>,
  chunkChars = 1 << 20,
): Promise<WriteResult> {
  const out = createWriteStream(path);
  let failure: Error | undefined;
  out.on('error', (err) => {
    failure = err;
  });
  let bytes = 0;
  let count = 0;
  let buf = '{"type":"FeatureCollection","features":[\n';

  const flush = async (): Promise<void> => {
    if (failure) throw failure;
    bytes += Buffer.byteLength(buf);
    const ok = out.write(buf);
    buf = '';
    if (!ok) await once(out, 'drain');
  };

  try {
    for (const feature of features) {
      buf += (count === 0 ? '' : ',\n') + JSON.stringify(feature);
      count++;
      if (buf.length >= chunkChars) await flush();
    }
    buf += '\n]}\n';
    await flush();
    out.end();
    await finished(out);
  } catch (err) {
    out.destroy();
    throw err;
  }
  return { features: count, bytes };
}
