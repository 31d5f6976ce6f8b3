// Vega-Lite specifications rendered on the server: to SVG text (for the web, with an accessible title and
// description) or to PNG (for chat uploads and MCP image content). No browser, no canvas.
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vl from 'vega-lite';

/** What a screen reader announces for a chart: a short title and a longer description of what it shows. */
export type ChartLabel = { id: string; title: string; description: string };

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The specification as SVG text; with `label`, the <svg> is an image named by its <title> and <desc>. */
export async function renderSvg(spec: vl.TopLevelSpec, label?: ChartLabel): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  if (!label) return svg;
  const id = label.id.replace(/[^A-Za-z0-9_-]/g, '-');
  return svg.replace(
    /^<svg /,
    `<svg role="img" aria-labelledby="${id}-title ${id}-desc" `,
  ).replace(/^(<svg[^>]*>)/, `$1<title id="${id}-title">${escapeXml(label.title)}</title><desc id="${id}-desc">${escapeXml(label.description)}</desc>`);
}

/** The specification as a PNG image `width` pixels wide. */
export async function renderPng(spec: vl.TopLevelSpec, width: number): Promise<Buffer> {
  return new Resvg(await renderSvg(spec), { fitTo: { mode: 'width', value: width } }).render().asPng();
}
