// A downloaded chart travels without the page around it: its SVG and PNG carry the figure's title, the query that made
// it (filters, grouping, as-of date) and how its figures were protected, and its file name carries the query, so the
// downloads of two queries never overwrite each other. Pure functions, so they are tested without a browser.

export interface FigureContext {
  title: string;
  /** The query in words, one line each: "State: OR · Credential: Adult peer", "Grouped by: State", "As of 2026-11-30". */
  context: string[];
  /** How the figures were protected, in the service's words (analysts), or nothing (exact answers). */
  note?: string | null;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** Words broken into lines of at most `width` characters (a word longer than a line gets a line of its own). */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

const TITLE = 16;   // px: the title's line height
const LINE = 15;    // px: a context or note line's height
const CHAR = 6.4;   // px: an average character at 12 px system-ui, for breaking lines (generous rather than tight)
const PAD = 12;

/**
 * The chart's SVG (as ECharts renders it, `width` x `height`) under a header with the title and the query, and over a
 * footer with the protection note: one SVG with a white background, the chart nested unchanged.
 */
export function composeSvg(chartSvg: string, width: number, height: number, figure: FigureContext): { svg: string; width: number; height: number } {
  const chars = Math.max(20, Math.floor((width - 2 * PAD) / CHAR));
  const titleLines = wrapText(figure.title, Math.floor(chars * 0.8));
  const contextLines = figure.context.flatMap((c) => wrapText(c, chars));
  const noteLines = figure.note ? wrapText(figure.note, chars) : [];
  const header = PAD + titleLines.length * TITLE + contextLines.length * LINE + PAD / 2;
  const footer = noteLines.length > 0 ? PAD / 2 + noteLines.length * LINE + PAD : PAD;
  const total = Math.ceil(header + height + footer);
  const text = (lines: string[], y0: number, step: number, attrs: string) =>
    lines.map((l, i) => `<text x="${PAD}" y="${y0 + (i + 1) * step - 4}" ${attrs}>${escape(l)}</text>`).join("");
  const font = 'font-family="system-ui, sans-serif"';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}">`
    + `<rect width="100%" height="100%" fill="#ffffff"/>`
    + text(titleLines, PAD, TITLE, `${font} font-size="14" font-weight="bold" fill="#111111"`)
    + text(contextLines, PAD + titleLines.length * TITLE, LINE, `${font} font-size="12" fill="#333333"`)
    + `<g transform="translate(0,${header})">${chartSvg}</g>`
    + text(noteLines, header + height + PAD / 2, LINE, `${font} font-size="11" fill="#444444"`)
    + `</svg>`;
  return { svg, width, height: total };
}

/**
 * A file name, without its extension, for a download of `base` under a query: "peer-work_state-OR_groupBy-state". The
 * query's own order is kept (the page writes it in a fixed order); anything but letters, digits and "-" becomes
 * "-", and a name stays under 150 characters.
 */
export function downloadName(base: string, params: URLSearchParams | string): string {
  const q = typeof params === "string" ? new URLSearchParams(params.startsWith("?") ? params.slice(1) : params) : params;
  const clean = (s: string) => s.replace(/[^A-Za-z0-9-]+/g, "-").replace(/-{2,}/g, "-").replace(/^-+|-+$/g, "");
  const parts = [clean(base), ...[...q].filter(([k, v]) => v !== "" && k !== "format").map(([k, v]) => `${clean(k)}-${clean(v)}`)];
  let name = parts.join("_");
  if (name.length > 140) name = name.slice(0, 140).replace(/[_-]+$/, "");
  return name;
}
