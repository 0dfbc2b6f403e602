// Apache ECharts, drawn as SVG (crisp, inspectable, downloadable as is) with the Okabe-Ito palette, which stays
// distinguishable with the common colour-vision deficiencies; stacked areas also get ECharts' decal patterns.

import * as echarts from "echarts/core";
import { BarChart, CustomChart, HeatmapChart, LineChart, SankeyChart, ScatterChart } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent, VisualMapComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";
import { saveBlob } from "./api";
import { ChartRegistry } from "./chart-registry";
import { h } from "./dom";

echarts.use([LineChart, BarChart, CustomChart, HeatmapChart, SankeyChart, ScatterChart, GridComponent, LegendComponent, TooltipComponent, TitleComponent, VisualMapComponent, AriaComponent, MarkLineComponent, SVGRenderer]);

// Okabe-Ito's eight, then a grey and a wine (Paul Tol) for the ninth and tenth series (there are nine reasons for leaving).
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999", "#882255"];

export type Option = echarts.EChartsCoreOption;

export interface Chart {
  element: HTMLElement;
  chart: echarts.ECharts;
  set(option: Option): void;
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
 * The figure is labelled for assistive technology; ECharts' aria module adds a generated description of the data.
 * Put the figure in the page in the same task that made it (as every page does): a figure still outside the page at
 * the frame after a change to the document is taken as thrown away, and its chart is disposed.
 */
export function chartFigure(opts: { id: string; title: string; caption?: string; csv?: () => Promise<void>; height?: number; protection?: string | null }): Chart {
  const box = h("div", { class: `chart${opts.height && opts.height > 400 ? " tall" : ""}`, id: opts.id, "data-testid": opts.id });
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
  const file = opts.id;
  if (opts.csv) downloads.appendChild(h("button", { type: "button", class: "small", onclick: () => void opts.csv!().catch((e) => alert(String(e))) }, "CSV"));
  downloads.appendChild(h("button", { type: "button", class: "small", onclick: () => saveBlob(new Blob([chart.renderToSVGString()], { type: "image/svg+xml" }), `${file}.svg`) }, "SVG"));
  downloads.appendChild(h("button", { type: "button", class: "small", onclick: () => void png(chart, `${file}.png`) }, "PNG"));
  return {
    element,
    chart,
    set(option: Option) {
      if (chart.isDisposed()) return; // drawn late (reasons draws at the next frame) for a figure already thrown away
      chart.setOption({
        ...(opts.protection ? { title: { text: "", subtext: opts.protection, left: 8, bottom: 0, subtextStyle: { fontSize: 10, lineHeight: 13, color: "#444", width: 900, overflow: "break" } } } : {}),
        color: PALETTE,
        animation: false,
        aria: { enabled: true, label: { description: undefined } },
        textStyle: { fontFamily: "system-ui, sans-serif" },
        ...option,
      }, { notMerge: true });
      chart.resize();
    },
  };
}

/** PNG at twice the size on screen: the SVG drawn onto a canvas (blob: images are allowed by the page's policy). */
async function png(chart: echarts.ECharts, fileName: string): Promise<void> {
  const svg = chart.renderToSVGString();
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => { img.onload = () => resolve(); img.onerror = () => reject(new Error("could not draw the chart")); img.src = url; });
    const canvas = document.createElement("canvas");
    canvas.width = chart.getWidth() * 2;
    canvas.height = chart.getHeight() * 2;
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

export const MONTH_DAYS = 365.25 / 12;
