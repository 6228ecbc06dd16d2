// A deterministic zip archive (same files, same bytes): entries in the order given, a fixed
// timestamp (1980-01-01, zip's epoch), deflate from Node's zlib, Unix modes, symbolic links kept as
// links (notebooks/lib -> ../lib). Enough for the course download; no zip64 (under 4 GB).
import * as zlib from "zlib";

export interface ZipEntry {
  /** Path inside the archive, "/"-separated. */
  name: string;
  data: Buffer;
  /** Unix mode bits, e.g. 0o100644 (file), 0o100755 (executable), 0o120777 (symlink: data is the target). */
  mode: number;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const DOS_TIME = 0; // 00:00:00
const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01

export function zip(entries: ZipEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    const isLink = (e.mode & 0o170000) === 0o120000;
    const deflated = isLink ? e.data : zlib.deflateRawSync(e.data, { level: 9 });
    const method = !isLink && deflated.length < e.data.length ? 8 : 0;
    const body = method === 8 ? deflated : e.data;
    const crc = crc32(e.data);
    // the fields the local header (at 4) and the central directory entry (at 6) share
    const common = (buf: Buffer, at: number) => {
      buf.writeUInt16LE(20, at); // version needed: 2.0
      buf.writeUInt16LE(0x0800, at + 2); // names are UTF-8
      buf.writeUInt16LE(method, at + 4);
      buf.writeUInt16LE(DOS_TIME, at + 6);
      buf.writeUInt16LE(DOS_DATE, at + 8);
      buf.writeUInt32LE(crc, at + 10);
      buf.writeUInt32LE(body.length, at + 14);
      buf.writeUInt32LE(e.data.length, at + 18);
      buf.writeUInt16LE(name.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    common(local, 4);
    const cen = Buffer.alloc(46);
    cen.writeUInt32LE(0x02014b50, 0);
    cen.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, zip 2.0
    common(cen, 6);
    cen.writeUInt32LE(((e.mode & 0xffff) << 16) >>> 0, 38); // external attributes: Unix mode
    cen.writeUInt32LE(offset, 42);
    parts.push(local, name, body);
    central.push(cen, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}
