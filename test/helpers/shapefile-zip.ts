import { readFileSync } from 'node:fs';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * Zipped shapefiles for tests: the fixtures' files taken out (to be altered one header field at a
 * time, as a lying or damaged export would), and zipped again.
 */
export function shapefileFixture(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/shapefile/${name}`, import.meta.url));
}

/** The files of a zip, by name (stored or deflated entries). */
export function unzipFiles(zip: Buffer): Record<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const files: Record<string, Buffer> = {};
  for (let k = 0, p = zip.readUInt32LE(end + 16); k < zip.readUInt16LE(end + 10); k++) {
    const nameLength = zip.readUInt16LE(p + 28);
    const local = zip.readUInt32LE(p + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + zip.readUInt32LE(p + 20));
    files[zip.toString('utf8', p + 46, p + 46 + nameLength)] = zip.readUInt16LE(p + 10) === 8 ? inflateRawSync(data) : Buffer.from(data);
    p += 46 + nameLength + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return files;
}

/** A zip, each entry with its CRC-32. `claimUnpacked` lies about every entry's unzipped size. */
export function zipFiles(files: Record<string, string | Buffer>, opts: { deflate?: boolean; claimUnpacked?: number } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const raw = Buffer.from(text);
    const data = opts.deflate ? deflateRawSync(raw) : raw;
    const unpacked = opts.claimUnpacked ?? raw.length;
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(opts.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc32(raw), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(unpacked, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(opts.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc32(raw), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(unpacked, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The facilities fixture with one of its files changed by `alter` (given a copy). */
export function alteredFacilities(extension: 'dbf' | 'shp', alter: (bytes: Buffer) => Buffer): Buffer {
  const files = unzipFiles(shapefileFixture('facilities-cgcs2000-gk105.zip'));
  const name = `facilities.${extension}`;
  files[name] = alter(Buffer.from(files[name]));
  return zipFiles(files, { deflate: true });
}
