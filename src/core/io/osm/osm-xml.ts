/**
 * Streaming OSM XML (`.osm`) parser on saxes: bytes in, `OsmHandler` calls out, one element at a
 * time, never the whole document in memory.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { InputError } from '../../errors.ts';
import type { Tags } from '../../network/raw-line.ts';
import type { OsmHandler, RelationMember } from './osm-handler.ts';

/** Throws `InputError('INVALID_OSM')` on malformed XML, invalid UTF-8 or a non-OSM document. */
export async function parseOsmXml(bytes: AsyncIterable<Buffer>, handler: OsmHandler): Promise<void> {
  const reader = new OsmXmlReader(handler);
  // `fatal`: a wrong encoding should be reported, not turned into U+FFFD names. The decoder also
  // drops a leading byte-order mark and keeps multi-byte characters split across chunks.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytesDecoded = 0;
  // Whitespace before `<?xml` is not XML, but generators that print a newline first exist, and the
  // format detection already accepts them; so leading whitespace is dropped, not reported.
  let started = false;
  try {
    for await (const chunk of bytes) {
      let text = decoder.decode(chunk, { stream: true });
      bytesDecoded += chunk.length;
      if (!started) {
        text = text.trimStart();
        started = text.length > 0;
      }
      reader.write(text);
    }
    reader.write(decoder.decode());
  } catch (err) {
    if (err instanceof TypeError && (err as NodeJS.ErrnoException).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
      throw new InputError(
        'INVALID_OSM',
        `osm xml: invalid UTF-8 in the chunk starting at (decompressed) byte ${bytesDecoded}: expected UTF-8 text`,
      );
    }
    throw err;
  }
  reader.close();
}

const NONE = 0;
const NODE = 1;
const WAY = 2;
const RELATION = 3;
type ElementKind = typeof NONE | typeof NODE | typeof WAY | typeof RELATION;

/** Holds the element being read: OSM XML nests only one level (`<tag>`, `<nd>`, `<member>`). */
class OsmXmlReader {
  private readonly parser = new SaxesParser({ xmlns: false });
  private readonly handler: OsmHandler;
  private sawRoot = false;
  private kind: ElementKind = NONE;
  /** Deleted objects in JOSM files (`action="delete"`) and history dumps (`visible="false"`). */
  private skip = false;
  private id = 0;
  private lon = NaN;
  private lat = NaN;
  private tags: Tags | undefined;
  private refs = new Float64Array(2048);
  private refCount = 0;
  private members: RelationMember[] = [];

  constructor(handler: OsmHandler) {
    this.handler = handler;
    // A handler that throws stops saxes at the first error and lets us tell XML errors (wrapped
    // here) from bugs downstream (which propagate unchanged).
    this.parser.on('error', (err) => {
      throw new InputError('INVALID_OSM', `osm xml: ${err.message}`);
    });
    this.parser.on('opentag', (tag) => this.open(tag));
    this.parser.on('closetag', (tag) => this.closeElement(tag.name));
  }

  write(text: string): void {
    this.parser.write(text);
  }

  close(): void {
    this.parser.close();
  }

  private open(tag: SaxesTagPlain): void {
    const attributes = tag.attributes;
    if (!this.sawRoot) {
      this.sawRoot = true;
      if (tag.name !== 'osm') this.fail(`root element is <${tag.name}>: expected <osm>`);
      return;
    }
    switch (tag.name) {
      case 'node':
        this.start(NODE, attributes);
        this.lat = coordinate(attributes.lat);
        this.lon = coordinate(attributes.lon);
        break;
      case 'way':
        this.start(WAY, attributes);
        break;
      case 'relation':
        this.start(RELATION, attributes);
        break;
      case 'tag':
        if (this.kind !== NONE && attributes.k !== undefined && attributes.v !== undefined) {
          (this.tags ??= {})[attributes.k] = attributes.v;
        }
        break;
      case 'nd':
        if (this.kind === WAY) this.pushRef(this.integer('nd ref', attributes.ref));
        break;
      case 'member':
        if (this.kind === RELATION) this.pushMember(attributes);
        break;
      // <bounds>, <meta>, <note>...: nothing we need.
    }
  }

  private start(kind: ElementKind, attributes: Record<string, string>): void {
    this.kind = kind;
    this.id = this.integer(`${ELEMENT_NAMES[kind]} id`, attributes.id);
    this.skip = attributes.action === 'delete' || attributes.visible === 'false';
    this.tags = undefined;
    this.refCount = 0;
    if (this.members.length > 0) this.members = [];
  }

  private closeElement(name: string): void {
    if (this.kind === NONE || name !== ELEMENT_NAMES[this.kind]) return;
    if (!this.skip) {
      if (this.kind === NODE) this.handler.node(this.id, this.lon, this.lat, this.tags);
      else if (this.kind === WAY) this.handler.way(this.id, this.refs.subarray(0, this.refCount), this.tags);
      else this.handler.relation(this.id, this.tags, this.members);
    }
    this.kind = NONE;
  }

  private pushRef(ref: number): void {
    if (this.refCount === this.refs.length) {
      const grown = new Float64Array(this.refs.length * 2);
      grown.set(this.refs);
      this.refs = grown;
    }
    this.refs[this.refCount++] = ref;
  }

  /** A member of an unknown type (not node, way or relation) is left out, as osmium does. */
  private pushMember(attributes: Record<string, string>): void {
    const type = attributes.type;
    if (type !== 'node' && type !== 'way' && type !== 'relation') return;
    this.members.push({ type, ref: this.integer('member ref', attributes.ref), role: attributes.role ?? '' });
  }

  /** Ids are structural: without them nothing can be joined, so a bad one fails the file. */
  private integer(what: string, value: string | undefined): number {
    const n = value === undefined || value.trim() === '' ? NaN : Number(value);
    if (!Number.isSafeInteger(n)) {
      this.fail(`${what} is ${value === undefined ? 'missing' : JSON.stringify(value)}: expected an integer`);
    }
    return n;
  }

  private fail(message: string): never {
    throw new InputError('INVALID_OSM', `osm xml: ${this.parser.line}:${this.parser.column}: ${message}`);
  }
}

const ELEMENT_NAMES = ['', 'node', 'way', 'relation'] as const;

/** NaN for a missing or non-numeric value; the collector decides what an unusable node means. */
function coordinate(value: string | undefined): number {
  return value === undefined || value.trim() === '' ? NaN : Number(value);
}
