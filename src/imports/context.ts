// What every importer gets: the database, the batch, options, and a place to report rejected rows.
import type { Database } from '../db/client.js';
import type { Rejection } from '../db/imports.js';
import type { Logger } from '../log.js';
import type { DateOrder } from './fields.js';

export const IMPORT_KINDS = [
  'spend',
  'suppliers',
  'users',
  'contracts',
  'purchase-orders',
  'receipts',
  'invoices',
  'sanctions',
  'unspsc',
  'signals',
  'bids',
] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export type ImportOptions = {
  /** `--map field=Column,…` as given. */
  map?: string;
  /** Currency for rows that name none. */
  currency?: string;
  dateOrder?: DateOrder;
  encoding?: 'utf-8' | 'latin1';
  /** Bids: the sourcing event they answer (its number or id). */
  event?: string;
  /** A label for the source version (sanctions lists); defaults to one taken from the file name. */
  version?: string;
  /**
   * Spend: load with spend_lines' indexes rebuilt afterwards. 'auto' (the default) does so for a file of 50,000
   * rows or more into a table holding fewer lines than the file.
   */
  bulkLoad?: 'auto' | 'always' | 'never';
  /** Spend: bits of the filter that marks rows possibly repeated within a file (fewer mark more; for tests). */
  repeatFilterBits?: number;
  /** Spend: rows per staged chunk (100,000; for tests). */
  chunkRows?: number;
  /**
   * Spend: staged chunks the load waits for before it moves them, in one statement (1: it takes whatever was
   * staged whenever it is free; for tests).
   */
  groupChunks?: number;
};

export type ImportContext = {
  database: Database;
  batchId: number;
  options: ImportOptions;
  /** What `qm import` was pointed at: a single file, or a folder whose accepted files are imported in turn. */
  target: { path: string; isFolder: boolean };
  log: Logger;
  /** Records a rejected row of the current file. */
  reject(line: number, reason: string, raw?: string): void;
  /** Raw bytes read, for progress. */
  onBytes(n: number): void;
};

/** What one file contributed. `read` counts data rows (or documents), including rejected ones. */
export type FileOutcome = { read: number; imported: number; duplicates: number };

export type Importer = {
  kind: ImportKind;
  /** Which files of a folder this importer takes. */
  accepts(path: string): boolean;
  importFile(ctx: ImportContext, path: string): Promise<FileOutcome>;
};

export type { Rejection };
