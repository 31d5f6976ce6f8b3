// Turns a CSV or JSON file into a stream of field-named records, each with the line an editor shows.
import { extname } from 'node:path';
import { AppError } from '../errors.js';
import { readCsvBatches, sniffDelimiter } from './csv.js';
import { detectEncoding, readText, type TextEncoding } from './decode.js';
import { readJsonRecords } from './json.js';
import type { ImportContext } from './context.js';
import { type FieldSpec, mapColumns, parseMapOption } from './mapping.js';

/** Field → trimmed cell text; an empty cell is undefined. */
export type FieldValues = Record<string, string | undefined>;
export type SourceRecord = { line: number; values: FieldValues; raw: string };
export type SourceProblem = { problem: true; line: number; reason: string; raw: string };

export type ReadOptions = {
  fields: FieldSpec;
  overrides?: Record<string, string>;
  /** A declared encoding; detected when absent (a UTF-16 file is read as such regardless). */
  encoding?: TextEncoding;
  onBytes?: (n: number) => void;
  /** Headerless CSV (such as OFAC's sdn.csv): the column order to assume. */
  headerless?: readonly string[];
};

/** True for paths the tabular importers read. */
export function isTabularFile(path: string): boolean {
  return ['.csv', '.tsv', '.txt', '.json'].includes(extname(path).toLowerCase());
}

/** Streams the records of a CSV or JSON file with fields named per `opts.fields`. */
export async function* readRecords(path: string, opts: ReadOptions): AsyncGenerator<SourceRecord | SourceProblem> {
  for await (const batch of readRecordBatches(path, opts)) yield* batch;
}

/** Like readRecords, in arrays (one per chunk read): the fast path for large files. */
export async function* readRecordBatches(
  path: string,
  opts: ReadOptions,
): AsyncGenerator<(SourceRecord | SourceProblem)[]> {
  const encoding = await detectEncoding(path, opts.encoding);
  const text = readText(path, { encoding, onBytes: opts.onBytes });
  if (extname(path).toLowerCase() === '.json') {
    let batch: (SourceRecord | SourceProblem)[] = [];
    for await (const rec of jsonRecords(text, opts)) {
      batch.push(rec);
      if (batch.length >= 500) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } else {
    yield* csvRecords(text, opts);
  }
}

/** Whether any text read so far held a NUL character: rows are searched for one only once the file has any. */
type NulWatch = { nul: boolean };

async function* watchNul(chunks: AsyncGenerator<string>, seen: NulWatch): AsyncGenerator<string> {
  for await (const chunk of chunks) {
    if (!seen.nul && chunk.includes('\0')) seen.nul = true;
    yield chunk;
  }
}

/** Why a row cannot be stored as it is: PostgreSQL text cannot hold U+0000, and silently dropping it alters data. */
function nulReason(values: FieldValues): string | undefined {
  for (const [field, v] of Object.entries(values)) {
    if (v?.includes('\0')) return `${field} contains a NUL byte (0x00), which the database cannot store in text`;
  }
  return undefined;
}

async function* csvRecords(chunks: AsyncGenerator<string>, opts: ReadOptions): AsyncGenerator<(SourceRecord | SourceProblem)[]> {
  const seen: NulWatch = { nul: false };
  const text = watchNul(chunks, seen);
  // Peek at the first chunk to choose the delimiter, then put it back in front of the stream.
  const first = await text.next();
  if (first.done) throw new AppError('import:empty', 'The file is empty.');
  const firstLine = first.value.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = sniffDelimiter(firstLine);
  async function* replay() {
    yield first.value as string;
    yield* text;
  }
  let columns: [string, number][] | undefined;
  let headerWidth = 0;
  if (opts.headerless) {
    columns = opts.headerless.map((f, i) => [f, i]);
    headerWidth = opts.headerless.length;
  }
  for await (const items of readCsvBatches(replay(), { delimiter })) {
    const out: (SourceRecord | SourceProblem)[] = [];
    for (const rec of items) {
      if ('problem' in rec) {
        out.push(rec);
        continue;
      }
      if (!columns) {
        columns = [
          ...mapColumns(
            rec.fields.map((h) => h.trim()),
            opts.fields,
            opts.overrides,
          ),
        ];
        headerWidth = rec.fields.length;
        continue;
      }
      if (rec.fields.length > headerWidth && rec.fields.slice(headerWidth).some((f) => f.trim() !== '')) {
        out.push({
          problem: true,
          line: rec.line,
          reason: `${rec.fields.length} fields but the header has ${headerWidth} (an unquoted delimiter in a value?)`,
          raw: rec.raw,
        });
        continue;
      }
      const values: FieldValues = {};
      for (const [field, idx] of columns) {
        // Cells are trimmed, and an empty cell is an absent value: validation treats both alike.
        const v = rec.fields[idx]?.trim();
        values[field] = v === '' ? undefined : v;
      }
      // A record is completed only after the chunk holding its last character was read, so `seen` is current.
      const nul = seen.nul ? nulReason(values) : undefined;
      if (nul !== undefined) {
        out.push({ problem: true, line: rec.line, reason: nul, raw: rec.raw });
        continue;
      }
      out.push({ line: rec.line, values, raw: rec.raw });
    }
    if (out.length > 0) yield out;
  }
  if (!columns) throw new AppError('import:empty', 'The file has no header row.');
}

async function* jsonRecords(text: AsyncGenerator<string>, opts: ReadOptions): AsyncGenerator<SourceRecord | SourceProblem> {
  const mappings = new Map<string, ReadonlyMap<string, number>>();
  for await (const rec of readJsonRecords(text)) {
    if ('problem' in rec) {
      yield rec;
      continue;
    }
    const obj = rec.value as Record<string, unknown>;
    const keys = Object.keys(obj);
    const signature = keys.join('\u0000');
    let columns = mappings.get(signature);
    if (!columns) {
      try {
        columns = mapColumns(keys, opts.fields, opts.overrides);
      } catch (err) {
        yield { problem: true, line: rec.line, reason: (err as Error).message, raw: rec.raw };
        continue;
      }
      if (mappings.size < 1000) mappings.set(signature, columns);
    }
    const values: FieldValues = {};
    for (const [field, idx] of columns) values[field] = jsonScalar(obj[keys[idx]!]);
    // JSON text cannot hold a raw NUL, but a "\u0000" escape decodes to one.
    const nul = nulReason(values);
    if (nul !== undefined) {
      yield { problem: true, line: rec.line, reason: nul, raw: rec.raw };
      continue;
    }
    yield { line: rec.line, values, raw: rec.raw };
  }
}

function jsonScalar(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/**
 * The records of `path` that could be read, with `--map` applied; counts every record in `tally.read` and reports
 * the unreadable ones (unclosed quote, extra fields) as rejected rows of `ctx`.
 */
export async function* readableRecords(
  ctx: Pick<ImportContext, 'options' | 'onBytes' | 'reject'>,
  path: string,
  fields: FieldSpec,
  tally: { read: number },
): AsyncGenerator<SourceRecord> {
  const overrides = parseMapOption(ctx.options.map, fields);
  for await (const rec of readRecords(path, { fields, overrides, encoding: ctx.options.encoding, onBytes: ctx.onBytes })) {
    tally.read++;
    if ('problem' in rec) {
      ctx.reject(rec.line, rec.reason, rec.raw);
      continue;
    }
    yield rec;
  }
}
