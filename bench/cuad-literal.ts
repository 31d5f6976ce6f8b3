// CUAD stores each label's spans as a Python literal ("['a', \"b's\"]"); both contract benches read it the same way.

/** The quoted strings of a Python literal as CUAD stores it, in order (backslash escapes such as \n and \t undone). */
export function pythonStrings(literal: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < literal.length) {
    const q = literal[i];
    if (q !== "'" && q !== '"') {
      i++;
      continue;
    }
    let s = '';
    i++;
    while (i < literal.length && literal[i] !== q) {
      if (literal[i] === '\\' && i + 1 < literal.length) {
        const e = literal[i + 1]!;
        s += e === 'n' ? '\n' : e === 't' ? '\t' : e;
        i += 2;
      } else {
        s += literal[i++];
      }
    }
    out.push(s);
    i++;
  }
  return out;
}
