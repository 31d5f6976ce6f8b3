// Questions about where things stand, rather than about money spent: what is waiting for my approval, the status
// of approval #12, what the monitors found (open invoice exceptions), whether invoice X has been paid, where a
// purchase order is, which suppliers are on hold. Pure text work, read before the spend questions so "which
// suppliers are on hold?" is never taken for spend in a category called "on hold".

export type StatusIntent = 'approvals_list' | 'approval_status' | 'findings_list' | 'invoice_status' | 'po_status' | 'suppliers_by_status';

export type ApprovalScope = 'waiting_for_me' | 'requested_by_me' | 'all';
export type ApprovalState = 'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled';
export type FindingsMonitor = 'three-way-match' | 'spend-anomalies' | 'renewal-deadlines' | 'supplier-risk';
export type SupplierState = 'active' | 'on_hold' | 'blocked' | 'inactive';

/** What a status question asks about. */
export type StatusAsk = {
  approvalScope?: ApprovalScope;
  approvalStatus?: ApprovalState;
  approvalNumber?: number;
  monitor?: FindingsMonitor;
  /** An invoice or purchase order number as written ("DL-90377", "PO-1003"). */
  document?: string;
  supplierStatus?: SupplierState;
};

// A document reference: letters, digits and separators, with at least one digit ("DL-90377", "INV/2026/004").
const REF = '([A-Za-z]{0,6}[-/#_.]?\\d[\\w\\-/.]{0,40}|[A-Za-z][\\w\\-/.]{0,40}\\d[\\w\\-/.]*)';

/** The status question `text` asks, or undefined when it asks something else. */
export function readStatusQuestion(text: string): { intent: StatusIntent; ask: StatusAsk } | undefined {
  const t = text.trim();
  const lower = t.toLowerCase();

  const approvalNo = /\b(?:approval|approval request|request)\s*(?:#|no\.?\s*|number\s*)?\s*(\d{1,9})\b/i.exec(t) ?? (/\bapprov/i.test(t) ? /#(\d{1,9})\b/.exec(t) : null);
  if (approvalNo) return { intent: 'approval_status', ask: { approvalNumber: Number(approvalNo[1]) } };

  if (/\bapprov|\bsign[- ]off\b/i.test(lower) && !/\b(?:can|could|should|may) (?:we|i) (?:buy|purchase|order)\b/i.test(lower)) {
    const mine = /\b(?:my|me|i)\b/i.test(lower);
    const requested = /\b(?:i|me|my)\b.{0,40}\b(?:request|requested|asked|raised|submitted)\b|\bmy requests\b/i.test(lower);
    const waiting = /\b(?:waiting|awaiting|pending|need|needs|queue|inbox|to approve|to decide|should i approve)\b/i.test(lower);
    const status = (['pending', 'approved', 'rejected', 'expired', 'cancelled'] as const).find((s) => new RegExp(`\\b${s}\\b`, 'i').test(lower));
    if (mine && requested) return { intent: 'approvals_list', ask: { approvalScope: 'requested_by_me', ...(status ? { approvalStatus: status } : {}) } };
    if (mine && waiting) return { intent: 'approvals_list', ask: { approvalScope: 'waiting_for_me' } };
    if (/\bapprovals\b|\bapproval requests\b|\bwaiting (?:for|on) approval\b/i.test(lower)) {
      return { intent: 'approvals_list', ask: { approvalScope: 'all', ...(status ? { approvalStatus: status } : waiting ? { approvalStatus: 'pending' } : {}) } };
    }
  }

  if (/\binvoice exceptions?\b|\bexceptions? (?:on|in|with) (?:our )?invoices\b|\b(?:three|3)[- ]way match/i.test(lower)) {
    return { intent: 'findings_list', ask: { monitor: 'three-way-match' } };
  }
  if (/\bmonitors?\b|\bfindings?\b|\balerts?\b|\bflagged\b/i.test(lower)) {
    const monitor: FindingsMonitor | undefined = /renewal|deadline|notice/i.test(lower)
      ? 'renewal-deadlines'
      : /risk|sanction/i.test(lower)
        ? 'supplier-risk'
        : /anomal|duplicate|split/i.test(lower)
          ? 'spend-anomalies'
          : /invoice/i.test(lower)
            ? 'three-way-match'
            : undefined;
    return { intent: 'findings_list', ask: monitor ? { monitor } : {} };
  }

  const po = /\b(PO[-#_/]?\d[\w\-/]*)\b/i.exec(t) ?? new RegExp(`\\b(?:purchase order|p\\.?o\\.?)\\s*(?:no\\.?\\s*|number\\s*|#\\s*)?${REF}`, 'i').exec(t);
  if (po && /\bstatus|\bstand|\bwhere\b|\breceived|\binvoiced|\bdelivered|\bopen\b|\bclosed\b|\bwhat about\b|\?|\bshow\b/i.test(lower)) {
    return { intent: 'po_status', ask: { document: po[1]!.replace(/[?.!,]+$/, '') } };
  }
  const invoice = new RegExp(`\\binvoice\\s*(?:no\\.?\\s*|number\\s*|#\\s*)?${REF}`, 'i').exec(t);
  if (invoice && /\bpaid\b|\bpay\b|\bstatus\b|\bstand|\bsettled\b|\boutstanding\b|\bdue\b|\bheld\b|\bwhere\b/i.test(lower)) {
    return { intent: 'invoice_status', ask: { document: invoice[1]!.replace(/[?.!,]+$/, '') } };
  }

  const supplierState: SupplierState | undefined = /\bon[- ]hold\b/i.test(lower)
    ? 'on_hold'
    : /\bblocked\b/i.test(lower)
      ? 'blocked'
      : /\binactive\b/i.test(lower)
        ? 'inactive'
        : undefined;
  if (supplierState && /\b(?:suppliers?|vendors?)\b/i.test(lower)) return { intent: 'suppliers_by_status', ask: { supplierStatus: supplierState } };
  return undefined;
}
