// Evidence packs: the ledger's events for a period as JSON Lines that anyone can verify offline.
//
//   line 1   {"type":"header","format":"quartermaster-audit/1","from","to","exportedAt","algorithm","selection",
//             "firstSeq","lastSeq","firstPrevHash"}
//   then     one line per event: the stored AuditEvent plus "type":"event", in seq order
//   last     {"type":"footer","events":N,"headHash","anchor"} (+ "ledgerBroken" when the ledger did not verify)
//
// The events are every event from the first to the last (by seq) whose `at` lies in [from, to), including any
// in between whose `at` falls outside (a clock behind, an event dated by its source): a pack is always one
// unbroken stretch of the chain. firstPrevHash is the hash the first event links to, so the stretch can be
// verified without the rest of the ledger; comparing headHash with the live ledger's event #lastSeq ties the
// pack to it. Packs are written and read as streams, page by page.
//
// Before writing, the whole ledger is verified in the same snapshot. The footer's `anchor` is then the ledger's
// head at export time, {seq, hash, at} as `qm audit anchor` writes it (at = exportedAt), so a pack kept outside the
// database also anchors the ledger; it is null for an empty ledger. When the ledger does not verify, the pack is
// still written (it is evidence of what the database holds) but its anchor is null and `ledgerBroken` names the
// first broken event, and verifying the pack fails. (The footer is not covered by any hash: it is the exporter's
// statement, checked for consistency with the events, nothing more.)
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { auditEventsBetweenSeqs, auditSeqRange } from '../db/audit.js';
import type { Database } from '../db/client.js';
import { AppError } from '../errors.js';
import { anchorOf, anchorProblem, type LedgerAnchor } from './anchor.js';
import { HASH_ALGORITHM } from './hash.js';
import type { AuditEvent } from './types.js';
import type { BrokenEntry } from './anchor.js';
import { ChainVerifier, firstLinkTo, type VerifyResult, verifyLedgerIn } from './verify.js';

export const PACK_FORMAT = 'quartermaster-audit/1';

export type PackHeader = {
  type: 'header';
  format: typeof PACK_FORMAT;
  /** The period, [from, to), as ISO timestamps. */
  from: string;
  to: string;
  exportedAt: string;
  algorithm: string;
  selection: string;
  /** First and last seq in the pack; null when it holds no events. */
  firstSeq: number | null;
  lastSeq: number | null;
  /** The hash the first event links to; null when the pack holds no events. */
  firstPrevHash: string | null;
};

export type PackFooter = {
  type: 'footer';
  events: number;
  headHash: string | null;
  /** The whole ledger's head when the pack was written; null when it was empty or did not verify (absent in older packs). */
  anchor?: LedgerAnchor | null;
  /** The ledger's first broken event, when the ledger did not verify. */
  ledgerBroken?: BrokenEntry;
};

export type PackSummary = {
  events: number;
  firstSeq: number | null;
  lastSeq: number | null;
  headHash: string | null;
  /** The footer's anchor. */
  anchor: LedgerAnchor | null;
  /** The verification of the whole ledger, done before writing; the pack is written either way. */
  ledger: VerifyResult;
};

const SELECTION =
  'every event from the first to the last, by seq, whose at lies in [from, to), including any in between dated ' +
  'outside it, so that the pack is one unbroken stretch of the chain';

/** Something lines can be written to with backpressure (a file stream, process.stdout). */
export type LineSink = NodeJS.WritableStream;

/**
 * Verifies the ledger, then writes the evidence pack for [from, to) to `out`, page by page (never the whole ledger
 * in memory), all inside one consistent snapshot. Does not end `out`. A broken ledger is not an error: the pack is
 * written, and the summary's `ledger` says where the chain breaks.
 */
export async function writePack(
  database: Database,
  range: { from: Date; to: Date },
  out: LineSink,
  opts: { pageSize?: number; now?: Date } = {},
): Promise<PackSummary> {
  if (!(range.from < range.to)) throw new AppError('audit:usage', 'the export period is empty: --from must be before --to');
  const pageSize = opts.pageSize ?? 1000;
  return database.transaction(async (tx) => {
    await tx.query('set transaction isolation level repeatable read');
    const exportedAt = opts.now ?? new Date();
    const ledger = await verifyLedgerIn(tx, { pageSize });
    const anchor = ledger.ok && ledger.head ? anchorOf(ledger.head, exportedAt) : null;
    const seqs = await auditSeqRange(tx, range.from, range.to);
    const first = seqs ? (await auditEventsBetweenSeqs(tx, seqs.first - 1, seqs.first, 1))[0] : undefined;
    const header: PackHeader = {
      type: 'header',
      format: PACK_FORMAT,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      exportedAt: exportedAt.toISOString(),
      algorithm: HASH_ALGORITHM,
      selection: SELECTION,
      firstSeq: seqs?.first ?? null,
      lastSeq: seqs?.last ?? null,
      firstPrevHash: first?.prevHash ?? null,
    };
    await writeText(out, `${JSON.stringify(header)}\n`);
    let events = 0;
    let headHash: string | null = null;
    if (seqs) {
      let after = seqs.first - 1;
      for (;;) {
        const page = await auditEventsBetweenSeqs(tx, after, seqs.last, pageSize);
        if (page.length === 0) break;
        await writeText(out, page.map((e) => `${JSON.stringify({ type: 'event', ...e })}\n`).join(''));
        events += page.length;
        const last = page[page.length - 1]!;
        headHash = last.hash;
        after = last.seq;
        if (page.length < pageSize) break;
      }
    }
    const footer: PackFooter = { type: 'footer', events, headHash, anchor, ...(ledger.ok ? {} : { ledgerBroken: ledger.broken }) };
    await writeText(out, `${JSON.stringify(footer)}\n`);
    return { events, firstSeq: seqs?.first ?? null, lastSeq: seqs?.last ?? null, headHash, anchor, ledger };
  });
}

async function writeText(out: LineSink, text: string): Promise<void> {
  if (out.write(text)) return;
  await once(out as unknown as NodeJS.EventEmitter, 'drain'); // rejects if the stream errors meanwhile
}

export type PackVerifyResult = VerifyResult & { header: PackHeader };

/**
 * Verifies an evidence pack from its lines: the header, every event's chain link and hash (the first linking to
 * the header's firstPrevHash), that the events run from firstSeq to lastSeq, and the footer's count and head.
 * A malformed header is an AppError; anything wrong from the first event on is reported as the broken entry.
 */
export async function verifyPack(lines: AsyncIterable<string> | Iterable<string>, source = 'the evidence pack'): Promise<PackVerifyResult> {
  let header: PackHeader | undefined;
  let verifier: ChainVerifier | undefined;
  let footer: PackFooter | undefined;
  let lineNo = 0;
  const fail = (broken: BrokenEntry): PackVerifyResult => ({ ...verifier!.result(broken), header: header! });
  const missing = (reason: string): BrokenEntry => ({
    seq: verifier!.nextSeq ?? header!.firstSeq ?? 0,
    at: null,
    action: null,
    reason,
  });
  for await (const raw of lines) {
    lineNo++;
    const line = raw.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (!header) throw new AppError('audit:pack', `${source}: line ${lineNo} is not JSON; expected a ${PACK_FORMAT} header`);
      return fail(missing(`line ${lineNo} is not valid JSON`));
    }
    const type = (value as { type?: unknown } | null)?.type;
    if (!header) {
      header = parseHeader(value, source);
      verifier = new ChainVerifier(firstLinkTo(header.firstPrevHash ?? undefined));
      continue;
    }
    if (footer) return fail(missing(`line ${lineNo} follows the footer`));
    if (type === 'event') {
      const broken = verifier!.check(value);
      if (broken) return fail(broken);
      if (header.lastSeq !== null && (value as AuditEvent).seq > header.lastSeq) {
        return fail({ ...missing(`event #${(value as AuditEvent).seq} lies beyond the header's lastSeq #${header.lastSeq}`), seq: (value as AuditEvent).seq });
      }
    } else if (type === 'footer') {
      footer = value as PackFooter;
    } else {
      return fail(missing(`line ${lineNo} is neither an event nor the footer`));
    }
  }
  if (!header) throw new AppError('audit:pack', `${source} is empty`);
  const v = verifier!;
  if (header.firstSeq !== null && v.events > 0 && v.head!.seq - v.events + 1 !== header.firstSeq) {
    return fail({ ...missing(`the pack starts at event #${v.head!.seq - v.events + 1}, the header says #${header.firstSeq}`), seq: header.firstSeq });
  }
  if (!footer) return fail(missing(`the pack ends after ${v.head ? `event #${v.head.seq}` : 'its header'} without a footer: it is truncated`));
  if (header.lastSeq !== null && v.head?.seq !== header.lastSeq) {
    return fail(missing(`the pack ends at ${v.head ? `event #${v.head.seq}` : 'its header'}, the header says #${header.lastSeq}`));
  }
  if (footer.events !== v.events || (footer.headHash ?? null) !== (v.head?.hash ?? null)) {
    return fail(missing(`the footer states ${footer.events} events ending in ${footer.headHash ?? 'none'}, the pack holds ${v.events}`));
  }
  if (footer.ledgerBroken !== undefined) {
    // Read as the untrusted JSON it is.
    const lb = (footer.ledgerBroken ?? {}) as Partial<BrokenEntry>;
    const seq = typeof lb.seq === 'number' ? lb.seq : undefined;
    const why = typeof lb.reason === 'string' ? `: ${lb.reason}` : '';
    const broken = missing(`the footer records that the ledger this pack was exported from was broken${seq ? ` at event #${seq}` : ''}${why}`);
    return fail(seq ? { ...broken, seq } : broken);
  }
  const a = footer.anchor;
  if (a !== undefined && a !== null) {
    const problem = anchorProblem(a);
    if (problem) return fail(missing(`the footer's anchor is malformed: ${problem}`));
    if (v.head && (a.seq < v.head.seq || (a.seq === v.head.seq && a.hash !== v.head.hash))) {
      return fail(missing(`the footer's anchor (#${a.seq} ${a.hash.slice(0, 12)}) contradicts the pack's last event #${v.head.seq} ${v.head.hash.slice(0, 12)}`));
    }
  }
  return { ...v.result(), header };
}

/** Verifies the evidence pack in file `path`, reading it as a stream. */
export async function verifyPackFile(path: string): Promise<PackVerifyResult> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  try {
    await opened;
  } catch (err) {
    throw new AppError('audit:pack', `Cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    return await verifyPack(lines, path);
  } finally {
    lines.close();
    stream.destroy();
  }
}

function parseHeader(value: unknown, source: string): PackHeader {
  const h = value as Partial<PackHeader> | null;
  const bad = (why: string) => new AppError('audit:pack', `${source}: the first line is not a valid ${PACK_FORMAT} header (${why})`);
  if (!h || typeof h !== 'object' || h.type !== 'header') throw bad('no "type":"header"');
  if (h.format !== PACK_FORMAT) throw bad(`format ${JSON.stringify(h.format)}`);
  if (h.firstPrevHash !== null && (typeof h.firstPrevHash !== 'string' || !/^[0-9a-f]{64}$/.test(h.firstPrevHash))) {
    throw bad('firstPrevHash is not 64 hex digits');
  }
  const seqOrNull = (v: unknown) => v === null || v === undefined || (typeof v === 'number' && Number.isSafeInteger(v));
  if (!seqOrNull(h.firstSeq) || !seqOrNull(h.lastSeq)) throw bad('firstSeq/lastSeq are not whole numbers');
  return { ...h, firstSeq: h.firstSeq ?? null, lastSeq: h.lastSeq ?? null } as PackHeader;
}
