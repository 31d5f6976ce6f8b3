// Builds the Teams app package to side-load or upload: dist/quartermaster-teams.zip holding manifest.json (from
// manifest/teams/manifest.json, filled in) and the two icons.
//
//   MICROSOFT_APP_ID=<Azure Bot app id> npm run teams:package            the package
//   QM_PUBLIC_URL=https://qm.example.com  (optional)                      the https address for the app's links
//   node scripts/teams-package.mjs --out <file>                           another destination
//   node scripts/teams-package.mjs --icons                                redraw manifest/teams/*.png
//
// Nothing but Node's zlib: PNGs and the ZIP (deflated entries, a fixed timestamp so the same input gives the same
// bytes) are written by hand.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = join(ROOT, 'manifest', 'teams');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ── CRC-32 (PNG chunks, ZIP entries): zlib's own where Node has it (20.15+), else a table ───────────────────────

let crcTable;
function crc32(buf) {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(buf) >>> 0;
  crcTable ??= Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (const byte of buf) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// ── ZIP ─────────────────────────────────────────────────────────────────────────────────────────────────────────

/** A ZIP archive of `files` ({ name, data }), each entry deflated, dated 2024-01-01 00:00. */
function zip(files) {
  const DOS_TIME = 0;
  const DOS_DATE = ((2024 - 1980) << 9) | (1 << 5) | 1;
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const compressed = zlib.deflateRawSync(f.data, { level: 9 });
    const crc = crc32(f.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by: 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(f.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    // extra length, comment length, disk, internal attributes, external attributes: all 0
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

// ── PNG icons ───────────────────────────────────────────────────────────────────────────────────────────────────

/** Coverage (0 or 1) of the "Q" at (x, y) of a unit square: a ring and a diagonal tail. */
function q(x, y) {
  const ring = Math.abs(Math.hypot(x - 0.47, y - 0.47) - 0.36) <= 0.06;
  const [ax, ay, vx, vy] = [0.6, 0.6, 0.32, 0.32];
  const u = Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)));
  const tail = Math.hypot(x - (ax + u * vx), y - (ay + u * vy)) <= 0.06;
  return ring || tail ? 1 : 0;
}

/** RGBA pixels of a size×size icon, the symbol drawn in the centred box×box square (4×4 supersampled). */
function draw(size, box, background) {
  const px = Buffer.alloc(size * size * 4);
  const off = (size - box) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let cover = 0;
      for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) cover += q((x + (sx + 0.5) / 4 - off) / box, (y + (sy + 0.5) / 4 - off) / box);
      const a = cover / 16;
      const i = (y * size + x) * 4;
      if (background) {
        for (let c = 0; c < 3; c++) px[i + c] = Math.round(background[c] * (1 - a) + 255 * a);
        px[i + 3] = 255;
      } else {
        px[i] = px[i + 1] = px[i + 2] = 255;
        px[i + 3] = Math.round(255 * a);
      }
    }
  }
  return px;
}

function png(size, rgba) {
  const chunk = (type, data) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bits per channel
  ihdr[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1)); // each row: filter byte 0, then pixels
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Width and height of a PNG. */
function pngSize(buf) {
  if (buf.length < 24 || buf.readUInt32BE(0) !== 0x89504e47 || buf.toString('ascii', 12, 16) !== 'IHDR') return undefined;
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

// ── The package ─────────────────────────────────────────────────────────────────────────────────────────────────

function fail(message) {
  process.stderr.write(`teams-package: ${message}\n`);
  process.exit(2);
}

/** Checks what Teams checks on upload, as far as it can be known offline. */
function checkManifest(m) {
  const problems = [];
  const max = (value, n, what) => {
    if (typeof value !== 'string' || value.length === 0 || value.length > n) problems.push(`${what} must be 1 to ${n} characters`);
  };
  if (!GUID.test(m.id)) problems.push('id must be a GUID');
  if (!/^\d+\.\d+\.\d+$/.test(m.version)) problems.push('version must be MAJOR.MINOR.PATCH');
  max(m.name?.short, 30, 'name.short');
  max(m.name?.full, 100, 'name.full');
  max(m.description?.short, 80, 'description.short');
  max(m.description?.full, 4000, 'description.full');
  max(m.developer?.name, 32, 'developer.name');
  for (const k of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) {
    if (!/^https:\/\/\S+$/.test(m.developer?.[k] ?? '')) problems.push(`developer.${k} must be an https URL`);
  }
  if (!/^#[0-9A-Fa-f]{6}$/.test(m.accentColor ?? '')) problems.push('accentColor must be #RRGGBB');
  for (const bot of m.bots ?? []) {
    if (!GUID.test(bot.botId)) problems.push('bots[].botId must be a GUID');
    for (const list of bot.commandLists ?? []) {
      if ((list.commands ?? []).length > 10) problems.push('a command list holds at most 10 commands');
      for (const c of list.commands ?? []) {
        max(c.title, 32, `command "${c.title}" title`);
        max(c.description, 128, `command "${c.title}" description`);
      }
    }
  }
  return problems;
}

const args = process.argv.slice(2);
if (args.includes('--icons')) {
  writeFileSync(join(SOURCE, 'color.png'), png(192, draw(192, 96, [0x1f, 0x4e, 0x79])));
  writeFileSync(join(SOURCE, 'outline.png'), png(32, draw(32, 32, undefined)));
  process.stdout.write(`drew ${join(SOURCE, 'color.png')} and ${join(SOURCE, 'outline.png')}\n`);
  process.exit(0);
}
const outAt = args.indexOf('--out');
const out = outAt >= 0 && args[outAt + 1] ? resolve(args[outAt + 1]) : join(ROOT, 'dist', 'quartermaster-teams.zip');

const appId = (process.env.MICROSOFT_APP_ID ?? '').trim();
if (!GUID.test(appId)) fail('set MICROSOFT_APP_ID to the app id (a GUID) of your Azure Bot registration.');
const publicUrl = (process.env.QM_PUBLIC_URL ?? '').trim().replace(/\/+$/, '');
if (publicUrl && !/^https:\/\/[^\s/]+/.test(publicUrl)) fail('QM_PUBLIC_URL must be an https URL, e.g. https://qm.example.com');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

const filled = readFileSync(join(SOURCE, 'manifest.json'), 'utf8')
  .replaceAll('{{MICROSOFT_APP_ID}}', appId.toLowerCase())
  .replaceAll('{{VERSION}}', version)
  .replaceAll('{{PUBLIC_URL}}', `${publicUrl || 'https://localhost'}/`);
const manifest = JSON.parse(filled);
const problems = checkManifest(manifest);
if (problems.length > 0) fail(`the manifest is not valid:\n  ${problems.join('\n  ')}`);

const icons = { [manifest.icons.color]: 192, [manifest.icons.outline]: 32 };
const files = [{ name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) }];
for (const [name, side] of Object.entries(icons)) {
  const data = readFileSync(join(SOURCE, name));
  const size = pngSize(data);
  if (!size || size.width !== side || size.height !== side) fail(`${name} must be a ${side}×${side} PNG (run with --icons to redraw it).`);
  files.push({ name, data });
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, zip(files));
process.stdout.write(`wrote ${out} (app ${appId}, version ${version}${publicUrl ? `, links to ${publicUrl}` : ''})\n`);
if (!publicUrl) process.stdout.write('note: QM_PUBLIC_URL is not set, so the app\'s website, privacy and terms links point to https://localhost/\n');
