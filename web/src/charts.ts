// Apache ECharts, drawn as SVG (crisp, inspectable, downloadable as is) with the Okabe-Ito palette, which stays
// distinguishable with the common colour-vision deficiencies; stacked areas also get ECharts' decal patterns.

import * as echarts from "echarts/core";
import { BarChart, CustomChart, HeatmapChart, LineChart, SankeyChart, ScatterChart } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent, VisualMapComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";
import { saveBlob } from "./api";
import { ChartRegistry } from "./chart-registry";
import { h } from "./dom";
import { composeSvg } from "./export";
import { MONTH_DAYS, PALETTE } from "./palette";

echarts.use([LineChart, BarChart, CustomChart, HeatmapChart, SankeyChart, ScatterChart, GridComponent, LegendComponent, TooltipComponent, TitleComponent, VisualMapComponent, AriaComponent, MarkLineComponent, SVGRenderer]);

export { MONTH_DAYS, PALETTE };

export type Option = echarts.EChartsCoreOption;

export interface Chart {
  element: HTMLElement;
  chart: echarts.ECharts;
  set(option: Option, description?: string): void;
}

// A figure leaves the page when a page draws its results again or the route changes (main.ts replaces #main): any
// removal from the document schedules a sweep for the next frame, by which time a figure just made is in the page.
let sweep = 0;
const removals = new MutationObserver((changes) => {
  if (sweep || !changes.some((c) => c.removedNodes.length > 0)) return;
  sweep = requestAnimationFrame(() => {
    sweep = 0;
    charts.sweep();
  });
});
const charts = new ChartRegistry({
  start: () => removals.observe(document.body, { childList: true, subtree: true }),
  stop: () => {
    removals.disconnect();
    cancelAnimationFrame(sweep);
    sweep = 0;
  },
});

/**
 * A chart in a figure with a caption and its downloads: the API's CSV for the same query, and the drawing as SVG or PNG.
 * The figure is labelled for assistive technology, and `set` takes the chart's description in words for screen readers.
 * Put the figure in the page in the same task that made it (as every page does): a figure still outside the page at
 * the frame after a change to the document is taken as thrown away, and its chart is disposed.
 */
export function chartFigure(opts: {
  id: string; title: string; caption?: string; csv?: () => Promise<void>; height?: number; protection?: string | null;
  /** The query in words, written above the chart in its downloads (query-words.ts describeQuery). */
  context?: string[];
  /** The downloads' file name without its extension, query included (export.ts downloadName); the id otherwise. */
  file?: string;
}): Chart {
  const box = h("div", { class: `chart${opts.height && opts.height > 400 ? " tall" : ""}`, id: opts.id, "data-testid": opts.id });
  // A height beyond the tall class's (a curve with its number-at-risk table under it) is set on the box itself.
  if (opts.height && opts.height > 460) box.style.height = `${opts.height}px`;
  const downloads = h("div", { class: "downloads", role: "group", "aria-label": `Download ${opts.title}` });
  const element = h("figure", { class: "figure", "aria-labelledby": `${opts.id}-title` },
    h("figcaption", {}, h("h3", { id: `${opts.id}-title` }, opts.title), opts.caption ? h("p", { class: "help" }, opts.caption) : null),
    box,
    // How the figures were protected, under the chart and inside its SVG and PNG downloads (below).
    opts.protection ? h("p", { class: "help protection", "data-testid": `${opts.id}-protection` }, opts.protection) : null,
    downloads);
  const chart = echarts.init(box, undefined, { renderer: "svg" });
  // The box has no size until the figure is in the page, and it changes with the window: redraw at each new size.
  const resized = new ResizeObserver(() => chart.resize());
  resized.observe(box);
  charts.add({
    attached: () => box.isConnected,
    dispose: () => {
      resized.disconnect();
      chart.dispose();
    },
  });
  const file = opts.file ?? opts.id;
  const figure = { title: opts.title, context: opts.context ?? [], note: opts.protection };
  const drawing = () => composeSvg(chart.renderToSVGString(), chart.getWidth(), chart.getHeight(), figure);
  if (opts.csv) downloads.appendChild(h("button", { type: "button", class: "small", onclick: () => void opts.csv!().catch((e) => alert(String(e))) }, "CSV"));
  downloads.appendChild(h("button", { type: "button", class: "small", onclick: () => saveBlob(new Blob([drawing().svg], { type: "image/svg+xml" }), `${file}.svg`) }, "SVG"));
  downloads.appendChild(h("button", { type: "button", class: "small", onclick: () => void png(drawing(), `${file}.png`) }, "PNG"));
  return {
    element,
    chart,
    set(option: Option, description?: string) {
      if (chart.isDisposed()) return; // drawn late (reasons draws at the next frame) for a figure already thrown away
      const { aria, ...rest } = option as { aria?: Record<string, unknown> };
      chart.setOption({
        color: PALETTE,
        animation: false,
        textStyle: { fontFamily: "system-ui, sans-serif" },
        ...rest,
        // What a screen reader hears: the chart in words (its medians, its readings at the marks), not ECharts'
        // generated list of every value.
        aria: { ...aria, enabled: true, label: { description: description ?? `${opts.title}. The figures are in the table below.` } },
      }, { notMerge: true });
      chart.resize();
    },
  };
}

/** PNG at twice the size on screen: the SVG drawn onto a canvas (blob: images are allowed by the page's policy). */
async function png(drawing: { svg: string; width: number; height: number }, fileName: string): Promise<void> {
  const svg = drawing.svg;
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => { img.onload = () => resolve(); img.onerror = () => reject(new Error("could not draw the chart")); img.src = url; });
    const canvas = document.createElement("canvas");
    canvas.width = drawing.width * 2;
    canvas.height = drawing.height * 2;
    const ctx = canvas.getContext("2d")!;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
    if (blob) saveBlob(blob, fileName);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Tooltips drawn inside the SVG (richText): ECharts' HTML tooltips carry inline styles, which the CSP refuses. */
export const tooltip = (extra: Record<string, unknown> = {}) => ({ trigger: "axis", renderMode: "richText", ...extra });

