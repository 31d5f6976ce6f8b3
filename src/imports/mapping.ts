// Header auto-mapping: finds which column holds each field from common names, with `--map` overrides.
import { AppError } from '../errors.js';

/** A field an importer understands: the header spellings that mean it, and whether a row needs it. */
export type FieldSpec = Readonly<Record<string, { aliases: readonly string[]; required?: boolean }>>;

/** field → column index in the header. */
export type ColumnMap = ReadonlyMap<string, number>;

/** Folds a header for comparison: "Amount (GBP)" → "amountgbp", "Supplier_Name" → "suppliername". */
export function foldHeader(h: string): string {
  return h
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Parses `--map field=Column,field2=Column 2` into a record, rejecting unknown fields. */
export function parseMapOption(spec: string | undefined, fields: FieldSpec): Record<string, string> {
  const out: Record<string, string> = {};
  if (!spec) return out;
  for (const part of spec.split(',')) {
    if (!part.trim()) continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw new AppError('import:usage', `--map expects field=Column pairs, got "${part}"`);
    const field = part.slice(0, eq).trim();
    if (!(field in fields)) {
      throw new AppError('import:usage', `--map: unknown field "${field}"; known fields: ${Object.keys(fields).join(', ')}`);
    }
    out[field] = part.slice(eq + 1).trim();
  }
  return out;
}

/**
 * Maps header columns to fields. Overrides win; otherwise the first column whose folded name equals one of a
 * field's aliases. Throws a fatal error naming what is missing when a required field has no column.
 */
export function mapColumns(header: readonly string[], fields: FieldSpec, overrides: Record<string, string> = {}): ColumnMap {
  const folded = header.map(foldHeader);
  const map = new Map<string, number>();
  const taken = new Set<number>();
  for (const [field, column] of Object.entries(overrides)) {
    const want = foldHeader(column);
    const idx = header.findIndex((h) => h.trim() === column.trim());
    const at = idx >= 0 ? idx : folded.indexOf(want);
    if (at < 0) {
      throw new AppError(
        'import:mapping',
        `--map ${field}=${column}: no column "${column}" in the header (columns: ${header.join(', ')})`,
      );
    }
    map.set(field, at);
    taken.add(at);
  }
  // Aliases are tried in order across all fields so that a more specific alias ("supplier name") claims its
  // column before a generic one ("name") of another field can.
  for (const [field, spec] of Object.entries(fields)) {
    if (map.has(field)) continue;
    // The field's own name ("po_number") always works as a header too.
    for (const alias of [field, ...spec.aliases]) {
      const at = folded.findIndex((h, i) => h === foldHeader(alias) && !taken.has(i));
      if (at >= 0) {
        map.set(field, at);
        taken.add(at);
        break;
      }
    }
  }
  const missing = Object.entries(fields)
    .filter(([field, spec]) => spec.required && !map.has(field))
    .map(([field, spec]) => `${field} (looked for: ${spec.aliases.slice(0, 6).join(', ')})`);
  if (missing.length > 0) {
    throw new AppError(
      'import:mapping',
      `No column found for ${missing.join('; ')}. Header: ${header.join(', ')}. ` +
        'Name the column with --map field=Column.',
    );
  }
  return map;
}
