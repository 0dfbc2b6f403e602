// The colours of every chart, and the month the charts count in (kept apart from charts.ts, which starts ECharts, so
// the pure option builders are tested without a browser).

// Okabe-Ito's eight, then a grey and a wine (Paul Tol) for the ninth and tenth series (there are nine reasons for leaving).
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999", "#882255"];

/** Days in a month on average: the curves' day numbers are drawn in months. */
export const MONTH_DAYS = 365.25 / 12;

/** An x axis in months says its unit in the tooltip's heading ("21.7 months", not "21.72"). */
export const IN_MONTHS = { label: { formatter: (p: { value: number | string }) => `${Number(p.value).toFixed(1)} months` } };
