// A small element builder. No innerHTML anywhere: every text is a text node, so names and notes from the API can
// never become markup. No style attributes either: the content security policy forbids inline styles.

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value as EventListener);
    else if (key === "value" && "value" in el) (el as HTMLInputElement).value = String(value);
    else if (key === "checked" && el instanceof HTMLInputElement) el.checked = Boolean(value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function replace(el: Element, ...children: Child[]): void {
  clear(el);
  append(el, children);
}

/** Tells screen-reader users what just happened (the polite live region in index.html). */
export function announce(message: string): void {
  const status = document.getElementById("status");
  if (status) status.textContent = message;
}

let noticeTimer: ReturnType<typeof setTimeout> | undefined;
/** A save everyone should see: said to screen readers and shown on screen for a few seconds. */
export function confirmSaved(message: string): void {
  announce(message);
  const notice = document.getElementById("notice");
  if (!notice) return;
  notice.textContent = `✓ ${message}`;
  notice.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { notice.hidden = true; }, 6000);
}

/**
 * A table that reflows on a phone (styles.css, table.reflow): each row becomes a block and each cell says its
 * column's name, so nothing (a status, a Correct button) sits off the screen. The names come from the header row.
 */
export function reflow<T extends HTMLTableElement>(table: T): T {
  table.classList.add("reflow");
  const names = [...table.querySelectorAll("thead th")].map((th) => th.textContent ?? "");
  for (const row of table.querySelectorAll("tbody tr")) {
    [...row.children].forEach((cell, i) => {
      if (names[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", names[i]);
    });
  }
  return table;
}

/**
 * A "Filters" button that shows and hides a filter form on a phone (styles.css): the filters would otherwise fill
 * the first screen. On wider screens the button is hidden and the form always shown.
 */
export function filtersToggle(form: HTMLFormElement, id: string): HTMLButtonElement {
  form.id = id;
  form.classList.add("collapsible");
  const button = h("button", { type: "button", class: "small filters-toggle", "aria-expanded": "false", "aria-controls": id }, "Filters");
  button.addEventListener("click", () => {
    const open = form.classList.toggle("open");
    button.setAttribute("aria-expanded", String(open));
  });
  return button;
}

let ids = 0;
export function uid(prefix: string): string {
  ids += 1;
  return `${prefix}-${ids}`;
}

export function fmtDate(value: string | null | undefined): string {
  return value ? value.slice(0, 10) : "";
}

export function fmtDateTime(value: string | null | undefined): string {
  if (!value) return "";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString().replace("T", " ").slice(0, 16) + " UTC";
}

/**
 * A number of an API answer. The OpenAPI document types every number as `number | string`: the service reads numbers
 * sent as strings (System.Text.Json's web defaults, AllowReadingFromString) and the document describes that reading
 * for its answers too. The service writes numbers; a string, which the document allows, is read as the number it
 * spells.
 */
export function num(value: number | string): number;
export function num(value: number | string | null | undefined): number | null;
export function num(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  return typeof value === "number" ? value : Number(value);
}

export function fmtNumber(value: number | string | null | undefined, digits = 0): string {
  const n = num(value);
  return n === null ? "" : n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function fmtPercent(value: number | string | null | undefined, digits = 1): string {
  const n = num(value);
  return n === null ? "" : `${(n * 100).toFixed(digits)}%`;
}

/** "employed-peer" -> "Employed peer". */
export function label(word: string): string {
  const spaced = word.replace(/-/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
