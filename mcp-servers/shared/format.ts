// Formatting for tool texts: short tables. Money is written by src/domain/money.ts (formatMoney), like every
// other figure people read, so a tool's text and an agent's answer spell an amount the same way.

/** A plain-text table (header row + rows), columns padded to their widest cell. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
