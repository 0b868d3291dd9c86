/**
 * The headers of a shapefile's .shp and .dbf, checked against the bytes there are before shpjs
 * trusts them. shpjs (and parsedbf under it) loops over whatever count a header declares: a .dbf
 * claiming 100,000,000 records — or one shifted by three bytes of a UTF-8 byte-order mark, which
 * turns its count and lengths into noise — had it build records out of nothing until the heap ran
 * out. Each check is a few reads; the .shp's records are walked once (8 bytes read per record).
 *
 * Each function returns what is wrong — naming the file and the header field — or the record
 * count. Layout: ESRI Shapefile Technical Description (1998); dBASE III+ table file format.
 */

export type HeaderCheck = { records: number } | { problem: string };

const BOM = [0xef, 0xbb, 0xbf];
const SHP_FILE_CODE = 9994;
const SHP_HEADER_BYTES = 100;
const DBF_HEADER_BYTES = 32;
const DBF_FIELD_BYTES = 32;
const DBF_FIELD_END = 0x0d;

/** The .shp's header and record headers: file code, declared file length, each record's length. */
export function checkShpHeader(shp: Uint8Array, name: string): HeaderCheck & { bytes?: number } {
  const view = viewOf(shp);
  if (startsWithBom(shp)) return { problem: bomProblem(name) };
  if (shp.byteLength < SHP_HEADER_BYTES) return { problem: `${name} is ${shp.byteLength} bytes, shorter than a .shp header (${SHP_HEADER_BYTES})` };
  const code = view.getInt32(0);
  if (code !== SHP_FILE_CODE) return { problem: `${name}: file code ${code} in its header, expected ${SHP_FILE_CODE}: not a .shp` };
  const declared = view.getInt32(24) * 2; // in 16-bit words
  if (declared < SHP_HEADER_BYTES || declared > shp.byteLength) {
    return { problem: `${name}: its header's file length says ${declared} bytes, the file has ${shp.byteLength}${declared > shp.byteLength ? ': cut short' : ''}` };
  }
  // Bytes past the declared length are not the layer's: left out, as GIS readers do.
  let records = 0;
  let offset = SHP_HEADER_BYTES;
  while (offset < declared) {
    if (offset + 8 > declared) return { problem: `${name}: ${declared - offset} stray bytes at byte ${offset}, where record ${records + 1}'s header should be` };
    const length = view.getInt32(offset + 4) * 2;
    if (length < 0 || offset + 8 + length > declared) {
      return { problem: `${name}: record ${records + 1} (at byte ${offset}) says its content is ${length} bytes, but ${declared - offset - 8} are left in the file` };
    }
    offset += 8 + length;
    records++;
  }
  return { records, bytes: declared };
}

/**
 * The .dbf's header: the field list ends where the header length says (parsedbf reads records from
 * there), the fields add up to the record length, and the declared records fit in the file.
 */
export function checkDbfHeader(dbf: Uint8Array, name: string): HeaderCheck {
  const view = viewOf(dbf);
  if (startsWithBom(dbf)) return { problem: bomProblem(name) };
  if (dbf.byteLength < DBF_HEADER_BYTES + 1) return { problem: `${name} is ${dbf.byteLength} bytes, shorter than a .dbf header (${DBF_HEADER_BYTES + 1})` };
  const records = view.getUint32(4, true);
  const headerLength = view.getUint16(8, true);
  const recordLength = view.getUint16(10, true);
  if (headerLength > dbf.byteLength) return { problem: `${name}: its header's header length says ${headerLength} bytes, the file has ${dbf.byteLength}` };
  let fields = 0;
  let fieldBytes = 0;
  let end = DBF_HEADER_BYTES;
  for (; end < headerLength - 1 && dbf[end] !== DBF_FIELD_END; end += DBF_FIELD_BYTES) {
    if (end + DBF_FIELD_BYTES > headerLength - 1) break;
    fieldBytes += dbf[end + 16];
    fields++;
  }
  if (dbf[end] !== DBF_FIELD_END || end !== headerLength - 1) {
    return { problem: `${name}: its header's header length says ${headerLength} bytes, but its field list (${fields} fields of ${DBF_FIELD_BYTES} bytes) ${dbf[end] === DBF_FIELD_END ? `ends at byte ${end + 1}` : 'has no end marker there'}` };
  }
  if (recordLength !== fieldBytes + 1) {
    return { problem: `${name}: its header's record length says ${recordLength} bytes, but its ${fields} fields add up to ${fieldBytes + 1} (with the deletion flag)` };
  }
  const available = dbf.byteLength - headerLength;
  if (records * recordLength > available) {
    return { problem: `${name}: its header's record count says ${records} records of ${recordLength} bytes (${records * recordLength} bytes), but the file has ${available} after its header` };
  }
  return { records };
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function startsWithBom(bytes: Uint8Array): boolean {
  return bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2];
}

function bomProblem(name: string): string {
  return `${name} starts with a UTF-8 byte-order mark (EF BB BF): something saved this binary file as text; export the layer again`;
}
