// The demand agent: spend forecasts, led by the figure and its likely range, then the method and how well it did
// when back-tested on the series' own past; and whether a contract's value runs out before it ends. It reads
// through the demand MCP server only.
import type { DemandToolOutputs } from '../mcp-servers/demand/tools/index.js';
import { METHOD_LABELS, type MethodName } from '../src/forecast/methods.js';
import { approxMoney } from '../src/forecast/money-text.js';
import { monthLabel } from '../src/domain/months.js';
import { DEFAULT_HORIZON } from '../src/orchestrator/plan/forecast-intent.js';
import type { Plan } from '../src/orchestrator/plan/plan.js';
import { type Agent, type AgentOutput, emptyOutput, type Finding } from './agent.js';
import { burnHeadline } from '../mcp-servers/demand/tools/contract-burn.js';
import type { ReplyImage } from '../src/orchestrator/types.js';
import { type ToolClient, type ToolImage, typed } from './tool-client.js';

type Forecast = DemandToolOutputs['forecast_spend'];
type Series = Forecast['series'][number];

const demandTools = (tools: ToolClient) => typed<DemandToolOutputs>(tools);

function span(f: Forecast): string {
  if (!f.horizon) return '';
  const { from, to, months } = f.horizon;
  return months === 1 ? monthLabel(from) : `${monthLabel(from)} to ${monthLabel(to)}`;
}

/** The back-test in words: how the chosen method's error compares with the two naive baselines. */
function accuracyInWords(s: Series): string {
  const bt = s.backtest;
  if (!bt) return s.method === 'stopped' ? '' : 'Too little history to back-test; this is the average of recent months.';
  const name = METHOD_LABELS[s.method as MethodName];
  const base = [
    bt.baselines.seasonal_naive.mase !== null ? `${bt.baselines.seasonal_naive.mase} repeating last year` : '',
    bt.baselines.mean12.mase !== null ? `${bt.baselines.mean12.mase} for the 12-month average` : '',
  ].filter((x) => x !== '');
  const vs = base.length > 0 ? ` (against ${base.join(' and ')}; lower is better)` : '';
  const tested = `the best of ${Object.keys(bt.methods).length} methods when each forecast this horizon from ${bt.origins} earlier months`;
  if (bt.mase === null) return `Method: ${name}, ${tested}; the history does not vary, and it missed by ${bt.smape}% on a typical month (sMAPE).`;
  return `Method: ${name}, ${tested}: scaled error ${bt.mase}${vs}; it missed by ${bt.smape}% on a typical month (sMAPE).`;
}

/** "likely between £1.0m and £1.4m", or why there is no range. */
function rangeWords(s: Series): string {
  const [lo, hi] = [approxMoney(Number(s.total.lo80), s.currency), approxMoney(Number(s.total.hi80), s.currency)];
  return lo === hi ? 'with no variation in its history to set a range' : `likely between ${lo} and ${hi}`;
}

function seriesSentence(s: Series, when: string): string {
  if (s.method === 'stopped') return `${s.label}: nothing forecast for ${when}, ${s.flags[0] ?? 'no recent spend'}.`;
  return `${s.label}, ${when}: ${approxMoney(Number(s.total.forecast), s.currency)}, ${rangeWords(s)}.`;
}

function findingsOf(f: Forecast): Finding[] {
  return f.series.flatMap((s) =>
    s.flags
      .filter((x) => /not forecast to continue|level changed|too few to back-test|spend resumed/.test(x))
      .map((x) => ({ severity: 'warning' as const, text: `${s.label}: ${x}.` })),
  );
}

/** The forecast_spend chart (of its first series) as the reply's picture, with words for who cannot see it. */
function chartOf(f: Forecast, images: ToolImage[] | undefined): ReplyImage[] {
  const png = images?.find((i) => i.mimeType === 'image/png');
  const first = f.series[0];
  if (!png || !first || first.method === 'stopped') return [];
  const when = span(f);
  return [
    {
      mimeType: 'image/png',
      data: png.data,
      title: `${first.label}: spend and forecast${when ? `, ${when}` : ''}`,
      alt: `Line chart of ${first.label} monthly spend in ${first.currency} with the forecast for ${when || 'the coming months'} dashed and its 80% range shaded: ${seriesSentence(first, when)}`,
    },
  ];
}

function answer(f: Forecast, scope: string, images?: ToolImage[]): AgentOutput {
  const when = span(f);
  const shown = f.series.slice(0, 5);
  const out: AgentOutput = {
    ...emptyOutput(
      `Forecast ${scope} from monthly spend up to ${f.history_to ? monthLabel(f.history_to) : 'the last complete month'}; each series by the method with the lowest back-test error at this horizon, ranges from those errors (80%).`,
    ),
    data: { forecast: f },
    findings: findingsOf(f),
  };
  const chart = chartOf(f, images);
  if (chart.length > 0) out.images = chart;
  if (shown.length === 0) {
    out.headline = `There is no spend ${scope} to forecast from.`;
    return out;
  }
  const lead = shown.map((s) => seriesSentence(s, when)).join(' ');
  const how = shown.length === 1 ? accuracyInWords(shown[0]!) : '';
  out.headline = `${lead}${how ? ` ${how}` : ''}`;
  out.facts = shown.flatMap((s) => [
    { label: `${s.label} (${s.currency})`, value: `${approxMoney(Number(s.total.forecast), s.currency)} (80%: ${approxMoney(Number(s.total.lo80), s.currency)} – ${approxMoney(Number(s.total.hi80), s.currency)})` },
    ...(s.backtest ? [{ label: 'Method', value: `${METHOD_LABELS[s.method as MethodName]}, MASE ${s.backtest.mase ?? 'n/a'}` }] : []),
  ]);
  const first = shown[0]!;
  out.table = {
    columns: ['Month', 'Forecast', 'Low (80%)', 'High (80%)'],
    rows: first.points.map((p) => [
      monthLabel(p.period),
      approxMoney(Number(p.forecast), first.currency),
      approxMoney(Number(p.lo80), first.currency),
      approxMoney(Number(p.hi80), first.currency),
    ]),
  };
  out.sources = [{ title: `forecast_spend (${f.group_by}${f.matched ? `: ${f.matched.names.slice(0, 3).join(', ')}` : ''})`, ref: 'mcp://demand/forecast_spend' }];
  return out;
}

/** A growth rate needs a year of history to compare with. */
const GROWTH_HISTORY = 12;

/** Growth of a forecast over the same number of the series' latest months (null without a year of positive spend). */
function growth(s: Series, months: number): number | null {
  if (s.history.months < GROWTH_HISTORY) return null;
  const recent = (Number(s.history.last12) * Math.min(months, 12)) / 12;
  return recent > 0 ? (Number(s.total.forecast) - recent) / recent : null;
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${Math.round(x * 100)}%`;

/** "Which categories are growing fastest?": each series' forecast against its last 12 months, fastest first. */
async function fastestGrowing(plan: Plan, tools: ToolClient, groupBy: 'category' | 'supplier' | 'department'): Promise<AgentOutput> {
  const horizon = Math.min(12, plan.reading.forecast?.horizonMonths ?? 12);
  const r = await demandTools(tools).call('forecast_spend', { group_by: groupBy, horizon_months: horizon, limit: 20 });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  const plural = groupBy === 'category' ? 'categories' : `${groupBy}s`;
  const ranked = r.data.series
    .filter((s) => s.method !== 'stopped')
    .flatMap((s) => {
      const g = growth(s, horizon);
      return g === null ? [] : [{ s, g }];
    })
    .sort((a, b) => b.g - a.g);
  const out: AgentOutput = {
    ...emptyOutput(
      `Forecast the ${r.data.series.length} ${plural} with the most spend over their last 12 months, ${horizon} months ahead (each by its back-tested method), and compared each forecast with the same length of its latest history.`,
    ),
    data: { forecast: r.data, growth: ranked.map(({ s, g }) => ({ key: s.key, label: s.label, currency: s.currency, growth: Math.round(g * 1000) / 1000 })) },
    findings: findingsOf(r.data).filter((f) => !/not forecast to continue/.test(f.text)),
  };
  const left = r.data.series.length - ranked.length;
  if (left > 0) out.rationale += ` ${left} of them ${left === 1 ? 'has' : 'have'} under a year of history (or stopped) and ${left === 1 ? 'is' : 'are'} not ranked.`;
  if (ranked.length === 0) {
    out.headline = `No ${plural} have a year of recent spend to compare a forecast with.`;
    return out;
  }
  const when = span(r.data);
  const top = ranked.slice(0, 3).map(({ s, g }) => `${s.label} (${pct(g)}: ${approxMoney(Number(s.total.forecast), s.currency)}, ${rangeWords(s)})`);
  out.headline = `Fastest growing ${plural}, ${when} against the same months before: ${top.join('; ')}.`;
  out.table = {
    columns: [groupBy[0]!.toUpperCase() + groupBy.slice(1), 'Last months', 'Forecast', 'Growth', 'Range (80%)', 'Method'],
    rows: ranked.map(({ s, g }) => [
      s.label,
      approxMoney((Number(s.history.last12) * horizon) / 12, s.currency),
      approxMoney(Number(s.total.forecast), s.currency),
      pct(g),
      `${approxMoney(Number(s.total.lo80), s.currency)} – ${approxMoney(Number(s.total.hi80), s.currency)}`,
      METHOD_LABELS[s.method as MethodName],
    ]),
  };
  out.sources = [{ title: `forecast_spend (${groupBy})`, ref: 'mcp://demand/forecast_spend' }];
  return out;
}

/** "How many laptops will we need next quarter?": units ordered, per item and unit, forecast like spend. */
async function quantities(tools: ToolClient, phrase: string, horizon: number): Promise<AgentOutput> {
  // "laptops" names the items whose description has "laptop": try the phrase, then its singular.
  const singular = phrase.replace(/(?<=[a-z]{3})(?:es|s)$/i, '');
  let r = await demandTools(tools).call('forecast_demand', { group_by: 'item', key: phrase, horizon_months: horizon });
  if (r.isError && singular !== phrase) r = await demandTools(tools).call('forecast_demand', { group_by: 'item', key: singular, horizon_months: horizon });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  const f = r.data;
  const when = f.horizon ? (f.horizon.months === 1 ? monthLabel(f.horizon.from) : `${monthLabel(f.horizon.from)} to ${monthLabel(f.horizon.to)}`) : '';
  const lines = f.series.slice(0, 5).map((s) =>
    s.method === 'stopped'
      ? `${s.label}: none expected for ${when} (${s.flags[0]}).`
      : `${s.label}, ${when}: ${s.total.forecast} ${s.unit}, ${s.total.lo80 === s.total.hi80 ? 'with no variation in its history to set a range' : `likely between ${s.total.lo80} and ${s.total.hi80}`}.`,
  );
  const one = f.series.length === 1 ? f.series[0] : undefined;
  const how = one?.backtest
    ? ` Method: ${METHOD_LABELS[one.method as MethodName]}, back-tested from ${one.backtest.origins} earlier months: scaled error ${one.backtest.mase ?? 'n/a'}.`
    : one && one.method !== 'stopped'
      ? ' Too little order history to back-test; this is the average of recent months.'
      : '';
  return {
    ...emptyOutput(`Forecast units ordered per item (purchase order lines by order date) up to ${f.history_to ? monthLabel(f.history_to) : 'the last complete month'}, each by its back-tested method, ranges from those errors (80%).`),
    headline: `${lines.join(' ')}${how}`,
    data: { demand: f },
    findings: f.series.flatMap((s) => s.flags.filter((x) => /not forecast to continue|too few to back-test/.test(x)).map((x) => ({ severity: 'info' as const, text: `${s.label}: ${x}.` }))),
    ...(f.series[0]
      ? { table: { columns: ['Month', 'Forecast', 'Low (80%)', 'High (80%)'], rows: f.series[0].points.map((p) => [monthLabel(p.period), p.forecast, p.lo80, p.hi80]) } }
      : {}),
    sources: [{ title: 'forecast_demand (item)', ref: 'mcp://demand/forecast_demand' }],
  };
}

async function forecast(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const rank = plan.reading.forecast?.rank;
  if (rank) return fastestGrowing(plan, tools, rank.groupBy);
  const horizon = plan.reading.forecast?.horizonMonths ?? DEFAULT_HORIZON;
  const subject = plan.reading.forecast?.subject;
  // The chart of the first series comes with the answer, for channels that show pictures.
  const call = (args: Record<string, unknown>) => demandTools(tools).call('forecast_spend', { horizon_months: horizon, chart: 'png', ...args });
  const supplier = plan.suppliers[0];
  if (supplier) {
    const r = await call({ group_by: 'supplier', key: supplier.id });
    return r.isError ? { ...emptyOutput(r.text), headline: r.text } : answer(r.data, `for ${supplier.name}`, r.images);
  }
  const unknown = plan.unresolved[0];
  if (unknown && !subject) {
    const closest = unknown.closest.length > 0 ? ` Closest supplier names: ${unknown.closest.join(', ')}.` : '';
    const text = `I couldn't find a supplier called "${unknown.phrase}" to forecast.${closest}`;
    return { ...emptyOutput(text), headline: text };
  }
  if (subject?.kind === 'item') return quantities(tools, subject.phrase, horizon);
  if (subject) {
    // A phrase may name a category or a department ("IT"): try the kind the question suggests, then the other.
    const kinds = subject.kind === 'department' ? (['department', 'category'] as const) : (['category', 'department'] as const);
    let last = '';
    for (const kind of kinds) {
      const r = await call({ group_by: kind, key: subject.phrase });
      if (!r.isError) return answer(r.data, `for ${subject.phrase}`, r.images);
      last = r.text;
    }
    return { ...emptyOutput(last), headline: last };
  }
  const r = await call({ group_by: 'total' });
  return r.isError ? { ...emptyOutput(r.text), headline: r.text } : answer(r.data, 'for all spend', r.images);
}

async function burn(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const ref = plan.reading.forecast?.contract ?? plan.suppliers[0]?.id ?? plan.unresolved[0]?.phrase;
  if (!ref) {
    const text = 'Which contract? Name its supplier or its number (e.g. "Will the Refinitiv contract run out before it ends?").';
    return { ...emptyOutput(text), headline: text };
  }
  const r = await demandTools(tools).call('contract_burn', { contract: ref });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  const b = r.data;
  const c = b.contract;
  const out: AgentOutput = {
    ...emptyOutput(
      `Paid to ${c.supplier ?? 'the supplier'} in ${c.currency} since ${c.start_date ?? 'the contract started'}, open orders against the contract, and the supplier's monthly spend forecast (${b.method}) to ${c.end_date}, against the contract value.`,
    ),
    headline: burnHeadline(b),
    data: { burn: b },
    facts: [
      { label: 'Contract value', value: approxMoney(Number(c.value), c.currency) },
      { label: 'Paid', value: approxMoney(Number(b.spent), c.currency) },
      ...(Number(b.committed) !== 0 ? [{ label: 'On open orders', value: approxMoney(Number(b.committed), c.currency) }] : []),
      { label: 'Remaining', value: approxMoney(Number(b.remaining), c.currency) },
      ...(c.notice_deadline ? [{ label: 'Notice deadline', value: c.notice_deadline }] : []),
    ],
    table: {
      columns: ['Month', 'Projected spend', 'Running total', 'Running total (80% high)'],
      rows: b.projection.map((p) => [monthLabel(p.period), approxMoney(Number(p.spend), c.currency), approxMoney(Number(p.cumulative), c.currency), approxMoney(Number(p.cumulative_hi80), c.currency)]),
    },
    sources: [{ title: `contract_burn (${c.number ?? c.title})`, ref: 'mcp://demand/contract_burn' }],
  };
  if (b.status === 'exceeded' || b.status === 'runs_out_before_end') out.findings = [{ severity: 'warning', text: burnHeadline(b) }];
  return out;
}

export const demandAgent: Agent = {
  name: 'demand',
  server: 'demand',
  instructions:
    'You forecast spend: in total, or for a supplier, category or department, 1-24 months ahead of the last complete month of the data, and say whether a contract\'s value runs out before it ends. Lead with the figure and its 80% range, then the method and its back-test error against the naive baselines, and say when a history is short, stopped or changed level.',
  handles: { spend_forecast: forecast, contract_burn: burn },
};
