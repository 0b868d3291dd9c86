/**
 * An uploaded text file's bytes as a string, its encoding told from the bytes: a UTF-16 byte order
 * mark (Excel's "Unicode text"), else UTF-8 when the bytes are valid UTF-8 (with or without its
 * BOM), else GBK — what Excel in a Chinese locale writes a CSV in. Valid UTF-8 is taken as UTF-8
 * because GBK text of any length is almost never valid UTF-8 by chance (its lead bytes 0x81–0xFE
 * followed by 0x40–0xFE rarely form UTF-8 sequences), while plain ASCII is the same in both.
 *
 * The decoders are the platform's (WHATWG Encoding, ICU): Node's `TextDecoder` knows `gbk` (decoded
 * as its superset GB18030) in every build with full ICU, which the official builds are.
 */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gbk';

export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be' };
  try {
    // `fatal`: an invalid sequence throws instead of becoming U+FFFD; the BOM, if any, is dropped.
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gbk').decode(bytes), encoding: 'gbk' };
  }
}
