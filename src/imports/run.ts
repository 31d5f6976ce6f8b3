// Runs one import: a file or every accepted file of a folder, under one batch, with a report of every row.
import { appendAuditIn } from '../audit/ledger.js';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Database } from '../db/client.js';
import { createImportBatch, finishImportBatch, type Rejection } from '../db/imports.js';
import { AppError } from '../errors.js';
import { type Logger, silentLogger } from '../log.js';
import type { ImportContext, ImportKind, ImportOptions } from './context.js';
import { importers } from './registry.js';

export type ImportReport = {
  kind: ImportKind;
  read: number;
  imported: number;
  duplicates: number;
  rejected: Rejection[];
  batchId: number;
  files: string[];
};

export type RunImportDeps = {
  database: Database;
  log?: Logger;
  /** Called with (bytes done, bytes total) as files are read. */
  onProgress?: (done: number, total: number) => void;
};

/** Imports `target` (a file or a folder) as `kind`; throws AppError `import:*` when nothing could be imported. */
export async function runImport(
  deps: RunImportDeps,
  kind: ImportKind,
  target: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const importer = importers[kind];
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new AppError('import:not-found', `No such file or folder: ${target}`);
  const files = info.isDirectory()
    ? (await readdir(target))
        .sort()
        .map((f) => join(target, f))
        .filter((f) => importer.accepts(f))
    : [target];
  if (files.length === 0) throw new AppError('import:empty', `No files ${kind} can import in ${target}`);
  let total = 0;
  for (const f of files) total += (await stat(f)).size;

  const { database } = deps;
  const log = deps.log ?? silentLogger;
  const batchId = await createImportBatch(database, kind, target, { ...options });
  const report: ImportReport = { kind, read: 0, imported: 0, duplicates: 0, rejected: [], batchId, files };
  let done = 0;
  let current: string | undefined;
  try {
    for (const file of files) {
      current = file;
      const label = files.length > 1 ? basename(file) : undefined;
      const ctx: ImportContext = {
        database,
        batchId,
        options,
        target: { path: target, isFolder: info.isDirectory() },
        log,
        reject: (line, reason, raw) => report.rejected.push({ line, reason, raw, file: label }),
        onBytes: (n) => {
          done += n;
          deps.onProgress?.(done, total);
        },
      };
      const outcome = await importer.importFile(ctx, file);
      report.read += outcome.read;
      report.imported += outcome.imported;
      report.duplicates += outcome.duplicates;
    }
  } catch (err) {
    await finishImportBatch(database, batchId, { ...report, error: (err as Error).message }).catch(() => {});
    // In a folder, say which file stopped the import (unless the message already starts with its name).
    const name = info.isDirectory() && current !== undefined ? basename(current) : undefined;
    const where = name !== undefined && !(err as Error).message.startsWith(name) ? `${name}: ` : '';
    if (err instanceof AppError) throw where === '' ? err : new AppError(err.code, `${where}${err.message}`, { cause: err });
    throw new AppError('import:fatal', `${where}Import failed: ${(err as Error).message}`, { cause: err });
  }
  // Importers may find some problems only after a file is staged; report in file and line order regardless.
  report.rejected.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || a.line - b.line);
  await finishImportBatch(database, batchId, report);
  await database.transaction((tx) =>
    appendAuditIn(tx, [
      {
        actorType: 'system',
        actor: 'importer',
        action: 'import',
        subjectType: 'import_batch',
        subjectId: String(batchId),
        rationale: `Imported ${report.imported} of ${report.read} ${kind} records (${report.duplicates} already present, ${report.rejected.length} rejected) from ${files.map((f) => basename(f)).join(', ')}.`,
        data: { kind, read: report.read, imported: report.imported, duplicates: report.duplicates, rejected: report.rejected.length, files: files.map((f) => basename(f)) },
      },
    ]),
  );
  return report;
}
