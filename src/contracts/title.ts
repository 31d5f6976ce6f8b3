// A contract document's title, taken from its heading or, failing that, its file name.
import { basename, extname } from 'node:path';

/** A document's title: its first short heading-like line, else an all-caps agreement heading, else the file name. */
export function documentTitle(text: string, path: string): string {
  // Only the top of the document: a signature block further down is not a title.
  const lines = text
    .slice(0, 2000)
    .split('\n')
    .map((l) => l.replace(/^#+\s*/, '').replace(/\*\*|__/g, '').replace(/\s+/g, ' ').trim())
    .filter((l) => l !== '')
    .slice(0, 15);
  for (const line of lines) {
    if (line.length > 150 || !/[A-Za-z]{3}/.test(line)) continue;
    // Filing labels and legends that precede the real heading of many contracts.
    if (/^(?:exhibit|schedule|annex|appendix|attachment|addendum)\s*[\w.()-]{0,12}$/i.test(line)) continue;
    if (/^(?:execution (?:copy|version)|confidential|draft|final|source:|\[\*\]|page \d)/i.test(line)) continue;
    if (/^(?:\(?\d+(?:\.\d+)*[.)]?|\([a-z]\))\s/i.test(line)) continue;
    // A sentence (the preamble itself) is not a heading.
    if (/\b(?:is|are|was|made|dated|between|entered|hereby)\b/i.test(line)) continue;
    return line.replace(/[.:]$/, '');
  }
  // An all-caps heading naming the kind of document, taken whole ("FIRST AMENDMENT TO SUPPLY AGREEMENT").
  const heading =
    /(?:\b[A-Z][A-Z&'-]*\b\s+){0,6}\b(?:AGREEMENT|CONTRACT|AMENDMENT|ADDENDUM|STATEMENT OF WORK|TERMS AND CONDITIONS|MEMORANDUM OF UNDERSTANDING)\b(?:\s+\b[A-Z][A-Z&'-]*\b){0,8}/.exec(
      text.slice(0, 3000),
    );
  if (heading) {
    const words = heading[0].trim().split(/\s+/);
    let end = words.length;
    while (end > 0 && !/^(?:AGREEMENT|CONTRACT|AMENDMENT|ADDENDUM|WORK|CONDITIONS|UNDERSTANDING)$/.test(words[end - 1]!)) end--;
    const start = /^(?:THIS|THE)$/.test(words[0]!) ? 1 : 0;
    if (end - start >= 2) return words.slice(start, end).join(' ');
  }
  return basename(path, extname(path)).replace(/_+/g, ' ').trim();
}
