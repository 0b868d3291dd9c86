import { closeSync, openSync, readSync } from 'node:fs';
import { INPUT_HEAD_BYTES, type InputFormat, detectInputFormat } from '../../core/io/input-format.ts';

/** As `detectInputFormat` (src/core/io/input-format.ts), for a file on disk: its first bytes and its name. */
export function detectFileFormat(path: string): InputFormat | undefined {
  return detectInputFormat({ head: fileHead(path), name: path });
}

/** Up to `INPUT_HEAD_BYTES` of a file; an unreadable file is its reader's to report. */
function fileHead(path: string): Uint8Array | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(INPUT_HEAD_BYTES);
    return head.subarray(0, readSync(fd, head, 0, head.length, 0));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
