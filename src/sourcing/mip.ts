// The one door to the HiGHS solver (WebAssembly): a model in CPLEX LP format in, status and variable values out,
// with the relative MIP gap at 0 so an "Optimal" answer is a proven optimum rather than a good-enough one.
type Highs = { solve(model: string, options?: Record<string, string | number | boolean>): HighsSolution };
type HighsSolution = { Status: string; ObjectiveValue?: number; Columns?: Record<string, { Primal?: number }> };

let loaded: Promise<Highs> | undefined;

async function highs(): Promise<Highs> {
  loaded ??= import('highs').then(async (m) => (await (m.default as unknown as () => Promise<Highs>)()) as Highs);
  return loaded;
}

export type MipSolution = { status: string; objective: number | undefined; values: Record<string, number> };

/** Solves a mixed-integer programme written in CPLEX LP format. */
export async function solveMip(model: string, absGap = 0): Promise<MipSolution> {
  const solver = await highs();
  const r = solver.solve(model, { mip_rel_gap: 0, mip_abs_gap: absGap, output_flag: false });
  const values: Record<string, number> = {};
  for (const [k, c] of Object.entries(r.Columns ?? {})) values[k] = c.Primal ?? 0;
  return { status: r.Status, objective: r.ObjectiveValue, values };
}
