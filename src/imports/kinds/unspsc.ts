// UNSPSC categories: O*NET's flattened reference table (one commodity per row, with its class, family and
// segment), or a plain code,title[,parent_code] list. Upserted into the category tree, so a re-import is a no-op.
import { type CategoryLevel, categoryStageLine, upsertUnspscCategories } from '../../db/categories.js';
import { AppError } from '../../errors.js';
import type { Importer } from '../context.js';
import { type FieldSpec, parseMapOption } from '../mapping.js';
import { type FieldValues, isTabularFile, readRecords } from '../records.js';

/** Fields of the two layouts: O*NET's eight columns, or a generic code/title/parent list. */
export const unspscFields: FieldSpec = {
  commodity_code: { aliases: ['commodity code'] },
  commodity_title: { aliases: ['commodity title', 'commodity name', 'commodity description'] },
  class_code: { aliases: ['class code'] },
  class_title: { aliases: ['class title', 'class name', 'class description'] },
  family_code: { aliases: ['family code'] },
  family_title: { aliases: ['family title', 'family name', 'family description'] },
  segment_code: { aliases: ['segment code'] },
  segment_title: { aliases: ['segment title', 'segment name', 'segment description'] },
  code: { aliases: ['code', 'unspsc', 'unspsc code', 'category code'] },
  title: { aliases: ['title', 'name', 'description', 'english title', 'category', 'category name'] },
  parent_code: { aliases: ['parent code', 'parent_code', 'parent'] },
};

const ONET_FIELDS = [
  'commodity_code',
  'commodity_title',
  'class_code',
  'class_title',
  'family_code',
  'family_title',
  'segment_code',
  'segment_title',
] as const;

type Category = { code: string; level: CategoryLevel; title: string; parentCode?: string };
type Parsed = { ok: true; row: Category; ancestors: Category[] } | { ok: false; reason: string };

/** The level of an 8-digit UNSPSC code, from its trailing zero pairs. */
export function unspscLevel(code: string): CategoryLevel {
  if (code.endsWith('000000')) return 'segment';
  if (code.endsWith('0000')) return 'family';
  if (code.endsWith('00')) return 'class';
  return 'commodity';
}

/** The code one level up (commodity → class → family → segment); undefined for a segment. */
export function unspscParent(code: string): string | undefined {
  switch (unspscLevel(code)) {
    case 'commodity':
      return `${code.slice(0, 6)}00`;
    case 'class':
      return `${code.slice(0, 4)}0000`;
    case 'family':
      return `${code.slice(0, 2)}000000`;
    default:
      return undefined;
  }
}

/** Upserts UNSPSC codes into the category tree; counts file rows, which are commodities in O*NET's layout. */
export const unspscImporter: Importer = {
  kind: 'unspsc',
  accepts: isTabularFile,
  async importFile(ctx, path) {
    const overrides = parseMapOption(ctx.options.map, unspscFields);
    let read = 0;
    let repeats = 0;
    const lines = async function* () {
      // Rows already seen by code, so a repeat is a duplicate and a contradicting repeat a rejection.
      const rows = new Map<string, { line: number; title: string; parentCode?: string }>();
      const ancestors = new Set<string>();
      for await (const rec of readRecords(path, {
        fields: unspscFields,
        overrides,
        encoding: ctx.options.encoding,
        onBytes: ctx.onBytes,
      })) {
        read++;
        if ('problem' in rec) {
          ctx.reject(rec.line, rec.reason, rec.raw);
          continue;
        }
        const onet = ONET_FIELDS.every((f) => f in rec.values);
        if (!onet && !('code' in rec.values)) {
          if (read === 1) {
            throw new AppError(
              'import:mapping',
              'No UNSPSC columns found: expected O*NET\'s "Commodity Code, Commodity Title, Class Code, Class Title, ' +
                'Family Code, Family Title, Segment Code, Segment Title", or "code, title[, parent_code]". ' +
                'Name the columns with --map field=Column.',
            );
          }
          ctx.reject(rec.line, 'no code field', rec.raw);
          continue;
        }
        const parsed = onet ? fromOnet(rec.values) : fromGeneric(rec.values);
        if (!parsed.ok) {
          ctx.reject(rec.line, parsed.reason, rec.raw);
          continue;
        }
        const { row } = parsed;
        const earlier = rows.get(row.code);
        if (earlier) {
          if (earlier.title === row.title && earlier.parentCode === row.parentCode) {
            repeats++;
          } else {
            ctx.reject(rec.line, `code ${row.code} is already on line ${earlier.line} with a different title or parent`, rec.raw);
          }
          continue;
        }
        rows.set(row.code, { line: rec.line, title: row.title, parentCode: row.parentCode });
        yield categoryStageLine({ ...row, counted: true });
        for (const a of parsed.ancestors) {
          if (ancestors.has(a.code)) continue;
          ancestors.add(a.code);
          yield categoryStageLine({ ...a, counted: false });
        }
      }
    };
    const { staged, changed } = await ctx.database.withConnection((conn) => upsertUnspscCategories(conn, lines()));
    return { read, imported: changed, duplicates: staged - changed + repeats };
  },
};

const LABELS: Readonly<Record<CategoryLevel, string>> = {
  segment: 'Segment',
  family: 'Family',
  class: 'Class',
  commodity: 'Commodity',
};

function fromOnet(values: FieldValues): Parsed {
  const levels: CategoryLevel[] = ['commodity', 'class', 'family', 'segment'];
  const cats: Category[] = [];
  for (const level of levels) {
    const code = compactCode(values[`${level}_code`]);
    const title = values[`${level}_title`]?.trim() ?? '';
    if (!code) return { ok: false, reason: `missing ${LABELS[level]} Code` };
    if (!/^\d{8}$/.test(code)) return { ok: false, reason: `${LABELS[level]} Code "${code}" is not an 8-digit UNSPSC code` };
    if (unspscLevel(code) !== level) {
      return { ok: false, reason: `${LABELS[level]} Code ${code} is a ${unspscLevel(code)} code` };
    }
    if (!title) return { ok: false, reason: `missing ${LABELS[level]} Title` };
    const child = cats[cats.length - 1];
    if (child && unspscParent(child.code) !== code) {
      return { ok: false, reason: `${LABELS[level]} Code ${code} is not the ${level} of ${child.level} ${child.code}` };
    }
    cats.push({ code, level, title });
  }
  // Each level's parent is the next one up; the segment has none.
  for (let i = 0; i < cats.length - 1; i++) cats[i]!.parentCode = cats[i + 1]!.code;
  const [row, ...ancestors] = cats;
  return { ok: true, row: row!, ancestors };
}

function fromGeneric(values: FieldValues): Parsed {
  const code = compactCode(values['code']);
  if (!code) return { ok: false, reason: 'missing code' };
  if (!/^\d{8}$/.test(code)) return { ok: false, reason: `code "${code}" is not an 8-digit UNSPSC code` };
  const title = values['title']?.trim();
  if (!title) return { ok: false, reason: 'missing title' };
  const level = unspscLevel(code);
  if (level === 'segment' && code.startsWith('00')) return { ok: false, reason: `code ${code} has no segment` };
  const given = compactCode(values['parent_code']);
  if (given && !/^\d{8}$/.test(given)) {
    return { ok: false, reason: `parent_code "${given}" is not an 8-digit UNSPSC code` };
  }
  return { ok: true, row: { code, level, title, parentCode: given || unspscParent(code) }, ancestors: [] };
}

// Codes are sometimes written with spaces or dashes between the digit pairs ("43 21 15 01").
function compactCode(v: string | undefined): string {
  const t = (v ?? '').trim();
  return /^[\d\s-]+$/.test(t) ? t.replace(/[\s-]/g, '') : t;
}
