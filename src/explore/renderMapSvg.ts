import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { ExploreMap } from './exploreClaim.ts';
import { mapToVegaLite } from './mapToVegaLite.ts';

/** Renders a regime map to SVG with vega-lite and vega's headless renderer (as `src/report/renderSvg.ts` does plots). */
export async function renderMapSvg(map: ExploreMap): Promise<string> {
  // biome-ignore lint/suspicious/noExplicitAny: vega-lite's TopLevelSpec type is too deep to restate; compile validates.
  const compiled = compile(mapToVegaLite(map) as any).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
