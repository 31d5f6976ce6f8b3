// The one door to the HiGHS solver (WebAssembly): a model in CPLEX LP format in, status, objective, variable values
// and (for linear programmes) reduced costs out. MIPs run with the relative gap at 0 so an "Optimal" answer is a
// proven optimum rather than a good-enough one.
type Highs = { solve(model: string, options?: Record<string, string | number | boolean>): HighsSolution };
type HighsSolution = { Status: string; ObjectiveValue?: number; Columns?: Record<string, { Primal?: number; Dual?: number }> };

let loaded: Promise<Highs> | undefined;

async function highs(): Promise<Highs> {
  loaded ??= import('highs').then(async (m) => (await (m.default as unknown as () => Promise<Highs>)()) as Highs);
  return loaded;
}

export type MipSolution = { status: string; objective: number | undefined; values: Record<string, number> };
export type LpSolution = MipSolution & { reducedCosts: Record<string, number> };

/**
 * Solves a mixed-integer programme written in CPLEX LP format; `absGap` below one unit proves an integral optimum.
 * `subMipHeuristics: false` turns off RINS and RENS, which on the capped-award models found nothing the search did
 * not and took most of the time.
 */
export async function solveMip(model: string, absGap = 0, opts: { subMipHeuristics?: boolean; relGap?: number } = {}): Promise<MipSolution> {
  const solver = await highs();
  const heuristics: Record<string, boolean> = opts.subMipHeuristics === false ? { mip_heuristic_run_rins: false, mip_heuristic_run_rens: false } : {};
  const r = solver.solve(model, { mip_rel_gap: opts.relGap ?? 0, mip_abs_gap: absGap, output_flag: false, ...heuristics });
  const values: Record<string, number> = {};
  for (const [k, c] of Object.entries(r.Columns ?? {})) values[k] = c.Primal ?? 0;
  return { status: r.Status, objective: r.ObjectiveValue, values };
}

/** Solves a linear programme (no integer section) and returns each column's reduced cost with its value. */
export async function solveLp(model: string): Promise<LpSolution> {
  const solver = await highs();
  const r = solver.solve(model, { output_flag: false });
  const values: Record<string, number> = {};
  const reducedCosts: Record<string, number> = {};
  for (const [k, c] of Object.entries(r.Columns ?? {})) {
    values[k] = c.Primal ?? 0;
    reducedCosts[k] = c.Dual ?? 0;
  }
  return { status: r.Status, objective: r.ObjectiveValue, values, reducedCosts };
}
