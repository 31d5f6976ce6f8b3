// Sanctions lists: OFAC's headerless sdn.csv, or any CSV/JSON with a header. Every import of a new file is a new
// list version (screening needs to say which version it checked); importing the same bytes again adds nothing.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { loadSanctionsList, type StagedSanctionsName, sanctionsEntryLine, sanctionsNameLine } from '../../db/sanctions.js';
import { normalizeSupplierName } from '../../domain/supplier-name.js';
import type { Importer } from '../context.js';
import { readCsv } from '../csv.js';
import { detectEncoding, readText, type TextEncoding } from '../decode.js';
import { type FieldSpec, parseMapOption } from '../mapping.js';
import { type FieldValues, isTabularFile, readRecords } from '../records.js';

/** The columns of OFAC's sdn.csv, which has no header row. */
export const OFAC_SDN_COLUMNS = [
  'ent_num',
  'SDN_Name',
  'SDN_Type',
  'Program',
  'Title',
  'Call_Sign',
  'Vess_type',
  'Tonnage',
  'GRT',
  'Vess_flag',
  'Vess_owner',
  'Remarks',
] as const;

const OFAC_FIELDS: FieldSpec = Object.fromEntries(OFAC_SDN_COLUMNS.map((c) => [c, { aliases: [c] }]));

/** Fields of a generic sanctions file with a header row. */
export const sanctionsFields: FieldSpec = {
  entry_id: {
    required: true,
    aliases: ['entry id', 'entry_id', 'id', 'ent_num', 'entity id', 'entity number', 'uid', 'unique id', 'reference',
      'ref', 'list id'],
  },
  name: {
    required: true,
    aliases: ['name', 'sdn_name', 'full name', 'entity name', 'primary name', 'party name', 'target name', 'name 6'],
  },
  type: { aliases: ['type', 'entry type', 'sdn_type', 'entity type', 'party type', 'subject type', 'group type'] },
  programs: {
    aliases: ['programs', 'program', 'programmes', 'programme', 'regime', 'regimes', 'sanctions program',
      'sanctions programs'],
  },
  title: { aliases: ['title', 'position'] },
  remarks: { aliases: ['remarks', 'notes', 'comments', 'other information'] },
  aliases: { aliases: ['aliases', 'alias', 'aka', 'akas', 'also known as', 'alternative names', 'other names'] },
};

export type SanctionsEntryType = 'individual' | 'entity' | 'vessel' | 'aircraft';

// OFAC writes `-0-` for an empty SDN_Type, which means an entity; generic files use everyday words.
const ENTRY_TYPES: Readonly<Record<string, SanctionsEntryType>> = {
  individual: 'individual',
  person: 'individual',
  'natural person': 'individual',
  entity: 'entity',
  organisation: 'entity',
  organization: 'entity',
  company: 'entity',
  enterprise: 'entity',
  'legal person': 'entity',
  vessel: 'vessel',
  ship: 'vessel',
  aircraft: 'aircraft',
};

/** An alias written into a Remarks text. */
export type RemarkAlias = { kind: 'aka' | 'fka' | 'nka'; name: string; strength: 'strong' | 'weak' };

const ALIAS_MARKER = /\b([afn])\.k\.a\.?\s*(['"‘’“”])/gi;
const CLOSING_QUOTES: Readonly<Record<string, string>> = {
  "'": "'’",
  '’': "'’",
  '‘': "'’",
  '"': '"”',
  '“': '"”',
  '”': '"”',
};
// What may follow an alias's closing quote: an optional (weak)/(strong) mark, then the end of the remark item.
const AFTER_ALIAS = /\s*(?:\((weak|strong)\))?\s*(?:\.(?=[\s;)]|$)|(?=[;)]|$))/iy;
const NEXT_ALIAS = /;\s*[afn]\.k\.a\./i;

/**
 * Parses `a.k.a. 'X'; f.k.a. "Y"; n.k.a. 'Z'` out of a remark. Names may contain apostrophes ('ABU-'UMAR'), so an
 * alias ends only at a quote that ends the remark item. In OFAC's delimited files the aliases in Remarks are its
 * weak AKAs (strong ones live in alt.csv), so they are weak unless marked `(strong)`. An alias cut off by OFAC's
 * 1,000-character Remarks limit has no closing quote and is skipped rather than stored half-written.
 */
export function parseRemarkAliases(remarks: string): RemarkAlias[] {
  const out: RemarkAlias[] = [];
  const marker = new RegExp(ALIAS_MARKER.source, 'gi');
  for (let m = marker.exec(remarks); m; m = marker.exec(remarks)) {
    const start = marker.lastIndex;
    const closers = CLOSING_QUOTES[m[2]!]!;
    let end = -1;
    let mark: string | undefined;
    for (let i = start; i < remarks.length; i++) {
      if (!closers.includes(remarks[i]!)) continue;
      AFTER_ALIAS.lastIndex = i + 1;
      const after = AFTER_ALIAS.exec(remarks);
      if (after) {
        end = i;
        mark = after[1];
        break;
      }
    }
    if (end < 0) continue;
    const raw = remarks.slice(start, end);
    // Running into the next alias means this one never closed: skip it and read on from the next marker.
    if (NEXT_ALIAS.test(raw)) continue;
    marker.lastIndex = end + 1;
    const name = collapse(unwrapQuotes(raw));
    if (!name) continue;
    const kind = `${m[1]!.toLowerCase()}ka` as RemarkAlias['kind'];
    out.push({ kind, name, strength: mark?.toLowerCase() === 'strong' ? 'strong' : 'weak' });
  }
  return out;
}

/** Reorders an individual's "LAST, First[, Suffix]" into "First LAST[ Suffix]"; undefined when there is no comma. */
export function reorderPersonName(name: string): string | undefined {
  const comma = name.indexOf(',');
  if (comma < 0) return undefined;
  const last = name.slice(0, comma).trim();
  let given = name.slice(comma + 1).trim();
  let suffix = '';
  const second = given.indexOf(',');
  if (second >= 0) {
    suffix = given.slice(second + 1).trim();
    given = given.slice(0, second).trim();
  }
  if (!last || !given) return undefined;
  return collapse([given, last, suffix].join(' '));
}

/** Splits a program cell — OFAC's `SDGT] [IRGC` (outer brackets already gone), `[SDGT] [IRGC]` or `SDGT; IRGC`. */
export function splitPrograms(raw: string | undefined): string[] {
  if (!raw) return [];
  const parts = listCell(raw) ?? raw.split(/\]\s*\[|[;,|]/);
  const out: string[] = [];
  for (const p of parts) {
    const code = collapse(p.replace(/[[\]]/g, ''));
    if (code && code !== '-0-' && !out.includes(code)) out.push(code);
  }
  return out;
}

type Entry = {
  entryId: string;
  name: string;
  entryType: SanctionsEntryType;
  programs: string[];
  title?: string;
  remarks?: string;
  aliases: RemarkAlias[];
};
type Parsed = { ok: true; value: Entry } | { ok: false; reason: string };

/** Imports a sanctions list file as a new list version with its entries and every name they go by. */
export const sanctionsImporter: Importer = {
  kind: 'sanctions',
  accepts: isTabularFile,
  async importFile(ctx, path) {
    const encoding = await detectEncoding(path, ctx.options.encoding);
    const json = extname(path).toLowerCase() === '.json';
    const [sha256, info, first] = await Promise.all([
      sha256File(path),
      stat(path),
      json ? undefined : firstCsvFields(path, encoding),
    ]);
    const ofac = first !== undefined && first.length === OFAC_SDN_COLUMNS.length && /^\d+$/.test(first[0]!.trim());
    const list = {
      source: ofac ? 'OFAC SDN' : sourceFromFileName(path),
      version: ctx.options.version?.trim() || dateInFileName(path) || info.mtime.toISOString().slice(0, 10),
      sha256,
    };
    const overrides = ofac ? {} : parseMapOption(ctx.options.map, sanctionsFields);
    let read = 0;
    let valid = 0;
    const lines = async function* () {
      const firstLine = new Map<string, number>();
      const records = readRecords(path, {
        fields: ofac ? OFAC_FIELDS : sanctionsFields,
        headerless: ofac ? OFAC_SDN_COLUMNS : undefined,
        overrides,
        encoding,
        onBytes: ctx.onBytes,
      });
      for await (const rec of records) {
        read++;
        if ('problem' in rec) {
          ctx.reject(rec.line, rec.reason, rec.raw);
          continue;
        }
        const parsed = ofac ? fromOfac(rec.values) : fromGeneric(rec.values);
        if (!parsed.ok) {
          ctx.reject(rec.line, parsed.reason, rec.raw);
          continue;
        }
        const e = parsed.value;
        const earlier = firstLine.get(e.entryId);
        if (earlier !== undefined) {
          ctx.reject(rec.line, `entry ${e.entryId} is already listed on line ${earlier}`, rec.raw);
          continue;
        }
        firstLine.set(e.entryId, rec.line);
        valid++;
        yield sanctionsEntryLine({ ...e, line: rec.line, normalizedName: normalizeSupplierName(e.name) });
        for (const n of entryNames(e)) yield sanctionsNameLine(n);
      }
    };
    const loaded = await ctx.database.withConnection((conn) => loadSanctionsList(conn, list, lines()));
    if (loaded) {
      ctx.log.info('sanctions list imported', { ...list, entries: loaded.entries, names: loaded.names });
      return { read, imported: loaded.entries, duplicates: 0 };
    }
    // The same bytes were imported before: still read the file, so the counts and rejections describe it.
    for await (const _ of lines());
    ctx.log.info('sanctions list already imported', { source: list.source, sha256 });
    return { read, imported: 0, duplicates: valid };
  },
};

function fromOfac(values: FieldValues): Parsed {
  const cell = (c: (typeof OFAC_SDN_COLUMNS)[number]) => ofacCell(values[c]);
  const entryId = cell('ent_num');
  if (!entryId) return { ok: false, reason: 'missing ent_num' };
  if (!/^\d+$/.test(entryId)) return { ok: false, reason: `ent_num "${entryId}" is not a whole number` };
  const name = cell('SDN_Name');
  if (!name) return { ok: false, reason: 'missing SDN_Name' };
  const width = OFAC_SDN_COLUMNS.filter((c) => values[c] !== undefined).length;
  if (width < OFAC_SDN_COLUMNS.length) {
    return { ok: false, reason: `${width} fields where OFAC's sdn.csv has ${OFAC_SDN_COLUMNS.length}` };
  }
  const rawType = cell('SDN_Type');
  const entryType = rawType ? ENTRY_TYPES[rawType.toLowerCase()] : 'entity';
  if (!entryType) return { ok: false, reason: `unknown SDN_Type "${rawType}"` };
  const remarks = cell('Remarks');
  return {
    ok: true,
    value: {
      entryId,
      name,
      entryType,
      programs: splitPrograms(cell('Program')),
      title: cell('Title'),
      remarks,
      aliases: remarks ? parseRemarkAliases(remarks) : [],
    },
  };
}

function fromGeneric(values: FieldValues): Parsed {
  const cell = (f: string) => ofacCell(values[f]);
  const entryId = cell('entry_id');
  if (!entryId) return { ok: false, reason: 'missing entry_id' };
  const name = cell('name');
  if (!name) return { ok: false, reason: 'missing name' };
  const rawType = cell('type');
  const entryType = rawType ? ENTRY_TYPES[rawType.toLowerCase()] : 'entity';
  if (!entryType) {
    return { ok: false, reason: `unknown type "${rawType}" (expected individual, entity, vessel or aircraft)` };
  }
  const remarks = cell('remarks');
  const listed = cell('aliases');
  const aliases: RemarkAlias[] = (listed ? (listCell(listed) ?? listed.split(';')) : [])
    .map((a) => collapse(a))
    .filter((a) => a !== '')
    .map((a) => ({ kind: 'aka' as const, name: a, strength: 'strong' as const }));
  return {
    ok: true,
    value: {
      entryId,
      name,
      entryType,
      programs: splitPrograms(cell('programs')),
      title: cell('title'),
      remarks,
      aliases: [...aliases, ...(remarks ? parseRemarkAliases(remarks) : [])],
    },
  };
}

// Every name of an entry, once each; individuals also under "First LAST" so screening tolerates word order.
function entryNames(e: Entry): StagedSanctionsName[] {
  const out: StagedSanctionsName[] = [];
  const seen = new Set<string>();
  const add = (name: string, kind: StagedSanctionsName['kind'], strength: StagedSanctionsName['strength']) => {
    const key = `${kind}\u0000${name}`;
    if (seen.has(key)) return;
    const normalizedName = normalizeSupplierName(name);
    // A name with no Latin letters or digits has nothing to screen against, except the entry's own name.
    if (!normalizedName && !(kind === 'primary' && out.length === 0)) return;
    seen.add(key);
    out.push({ entryId: e.entryId, name, normalizedName, kind, strength });
  };
  const withReordered = (name: string, kind: StagedSanctionsName['kind'], strength: StagedSanctionsName['strength']) => {
    add(name, kind, strength);
    if (e.entryType !== 'individual') return;
    const reordered = reorderPersonName(name);
    if (reordered) add(reordered, kind, strength);
  };
  withReordered(e.name, 'primary', 'strong');
  for (const a of e.aliases) withReordered(a.name, a.kind, a.strength);
  return out;
}

// OFAC pads every empty cell as `-0- `; records already arrive trimmed.
function ofacCell(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' || t === '-0-' ? undefined : t;
}

// A JSON file's array cell arrives JSON-encoded; anything else is a delimited string.
function listCell(raw: string): string[] | undefined {
  if (!raw.startsWith('[') || !raw.endsWith(']')) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.map((x) => String(x)) : undefined;
  } catch {
    return undefined;
  }
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function unwrapQuotes(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && /^['"‘’“”]/.test(t) && /['"‘’“”]$/.test(t)) return t.slice(1, -1);
  return t;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

// Only the first record is needed to recognise OFAC's layout; leaving the loop closes the file.
async function firstCsvFields(path: string, encoding: TextEncoding): Promise<string[] | undefined> {
  for await (const rec of readCsv(readText(path, { encoding }), { delimiter: ',' })) {
    if (!('problem' in rec)) return rec.fields;
  }
  return undefined;
}

const NAME_DATE = /(?<!\d)((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)/;

// A publication date in the file name, such as ofac_sdn_2024-04-26.csv or sdn_20240426.csv.
function dateInFileName(path: string): string | undefined {
  const m = NAME_DATE.exec(basename(path));
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

// A generic list is named after its file, without extension or date: eu_consolidated_2024-05-01.csv → eu_consolidated.
function sourceFromFileName(path: string): string {
  const stem = basename(path, extname(path));
  return stem.replace(NAME_DATE, '').replace(/^[\s_.-]+|[\s_.-]+$/g, '') || stem;
}
