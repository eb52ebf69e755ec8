import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { PlotSpec } from '../claims/plotSpec.ts';
import { plotToVegaLite } from './plotToVegaLite.ts';

/** Renders a plot to an SVG string with vega-lite and vega's headless SVG renderer (no canvas or browser needed). */
export async function renderSvg(plot: PlotSpec): Promise<string> {
  // biome-ignore lint/suspicious/noExplicitAny: vega-lite's TopLevelSpec type is too deep to restate; compile validates.
  const compiled = compile(plotToVegaLite(plot) as any).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
