// Forms whose rules live in the API: nothing is checked here that the service does not check (novalidate), and the
// problem details it answers are shown next to the field they name (errors[field]) or above the form.

import { ApiError, type Problem } from "./api";
import { announce, h, label as words, uid } from "./dom";

export type Option = string | { value: string; label: string };

/** A field of a form; N narrows the names to a request body's fields, so a name the API lacks fails the build. */
export interface FieldSpec<N extends string = string> {
  name: N;
  label: string;
  kind: "text" | "date" | "number" | "select" | "yesno" | "textarea";
  options?: Option[];
  required?: boolean;
  help?: string;
  step?: string;
  min?: string;
  max?: string;
  value?: string | number | boolean | null;
  /** Values to suggest as the user types (a text field's datalist): employers already recorded, say. */
  suggestions?: string[];
}

export type Values = Record<string, string | number | boolean | null>;

/** What a field sends: nothing when empty (so the API says whether it was required), else a number, yes/no or text. */
export function fieldValue(kind: FieldSpec["kind"], raw: string): string | number | boolean | undefined {
  const value = raw.trim();
  if (value === "") return undefined;
  return kind === "number" ? Number(value) : kind === "yesno" ? value === "true" : value;
}

export interface Placement {
  /** Messages by the form's own field name. */
  fields: Map<string, string[]>;
  /** Messages naming no field of the form, shown above it. */
  unplaced: string[];
  /** The line above the form: which fields to correct, or the problem itself. */
  summary: string;
}

/**
 * Where a problem's messages go: beside the field the API names (errors[field], or field with detail), matched
 * case-insensitively since the API may name a property in another casing; the rest above the form.
 */
export function placeProblem(p: Problem, fallback: string, names: string[]): Placement {
  const byField: Record<string, string[]> = { ...(p.errors ?? {}) };
  if (p.field && !byField[p.field] && p.detail) byField[p.field] = [p.detail];
  const fields = new Map<string, string[]>();
  const unplaced: string[] = [];
  for (const [field, messages] of Object.entries(byField)) {
    const name = names.includes(field) ? field : names.find((n) => n.toLowerCase() === field.toLowerCase());
    if (name) fields.set(name, messages);
    else unplaced.push(...messages);
  }
  const count = Object.keys(byField).length;
  const summary = count === 0 ? p.detail ?? fallback
    : `Please correct the ${count === 1 ? "field" : "fields"} marked below.`;
  return { fields, unplaced, summary };
}

/**
 * An API message in the words of the form: the request field's name ('certifiedOn') becomes the field's label
 * ("Certified on"), and a date picker's field loses the format hint the API adds for hand-written requests.
 */
export function inFieldWords(message: string, name: string, fieldLabel: string, kind: string): string {
  let text = message.split(`'${name}'`).join(fieldLabel);
  if (kind === "date") text = text.replace(/\s*\(YYYY-MM-DD\)/g, "");
  return text;
}

export interface BuiltForm {
  form: HTMLFormElement;
  showProblem(error: unknown): void;
  clearErrors(): void;
}

export function buildForm(spec: { name: string; fields: FieldSpec[]; submit: string; onSubmit: (values: Values) => Promise<void>; extra?: Node[] }): BuiltForm {
  const formId = uid(spec.name);
  const formError = h("div", { class: "form-error", role: "alert", id: `${formId}-error` });
  const controls = new Map<string, { input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement; error: HTMLElement; spec: FieldSpec }>();

  const rows = spec.fields.map((f) => {
    const id = `${formId}-${f.name}`;
    const errorId = `${id}-error`;
    const helpId = f.help ? `${id}-help` : null;
    const describedBy = [helpId, errorId].filter(Boolean).join(" ");
    let input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    const common = { id, name: f.name, "aria-describedby": describedBy, "aria-required": f.required ? "true" : null };
    if (f.kind === "select" || f.kind === "yesno") {
      const options: Option[] = f.kind === "yesno" ? [{ value: "true", label: "Yes" }, { value: "false", label: "No" }] : f.options ?? [];
      input = h("select", common,
        h("option", { value: "" }, f.required ? "Choose…" : "(none)"),
        options.map((o) => typeof o === "string" ? h("option", { value: o }, o) : h("option", { value: o.value }, o.label)));
      if (f.value !== undefined && f.value !== null) input.value = String(f.value);
    } else if (f.kind === "textarea") {
      input = h("textarea", { ...common, rows: 2 });
      if (f.value) input.value = String(f.value);
    } else {
      input = h("input", {
        ...common, type: f.kind, step: f.step ?? (f.kind === "number" ? "any" : null), min: f.min ?? null, max: f.max ?? null,
        inputmode: f.kind === "number" ? "decimal" : null, autocomplete: "off",
      });
      if (f.value !== undefined && f.value !== null) input.value = String(f.value);
    }
    const list = f.kind === "text" && f.suggestions && f.suggestions.length > 0
      ? h("datalist", { id: `${id}-list` }, f.suggestions.map((s) => h("option", { value: s })))
      : null;
    if (list) input.setAttribute("list", list.id);
    const error = h("p", { class: "field-error", id: errorId, "data-field": f.name });
    controls.set(f.name, { input, error, spec: f });
    return h("div", { class: "field" },
      h("label", { for: id }, f.label, f.required ? h("span", { class: "req" }, " (required)") : null),
      input, list,
      f.help ? h("p", { class: "help", id: helpId! }, f.help) : null,
      error);
  });

  const button = h("button", { type: "submit" }, spec.submit);
  const form = h("form", { class: "api-form", novalidate: true, "aria-describedby": `${formId}-error`, "data-form": spec.name },
    formError, h("div", { class: "fields" }, rows), spec.extra ?? [], h("div", { class: "actions" }, button));

  function clearErrors(): void {
    formError.textContent = "";
    for (const { input, error } of controls.values()) {
      error.textContent = "";
      input.removeAttribute("aria-invalid");
    }
  }

  function showProblem(e: unknown): void {
    clearErrors();
    if (!(e instanceof ApiError)) {
      formError.textContent = e instanceof Error ? e.message : String(e);
      return;
    }
    const { fields, unplaced, summary } = placeProblem(e.problem, e.message, [...controls.keys()]);
    let first: HTMLElement | null = null;
    const other = e.problem.specialistId;
    for (const [name, messages] of fields) {
      const control = controls.get(name)!;
      control.error.textContent = messages
        .map((m) => inFieldWords(m, name, control.spec.label, control.spec.kind))
        // The person it names is linked below, not shown as an id.
        .map((m) => (other ? m.split(` (specialist ${other})`).join("") : m)).join(" ");
      if (other && e.problem.field === name)
        control.error.append(" ", h("a", { href: `#/specialists/${other}`, "data-testid": "other-specialist" }, "Open the person registered with it"));
      control.input.setAttribute("aria-invalid", "true");
      first ??= control.input;
    }
    formError.textContent = [summary, ...unplaced].join(" ");
    if (e.problem.rule) formError.setAttribute("data-rule", e.problem.rule);
    announce(formError.textContent);
    (first ?? button).focus();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors();
    const values: Values = {};
    for (const [name, { input, spec: f }] of controls) {
      const value = fieldValue(f.kind, input.value);
      if (value !== undefined) values[name] = value;
    }
    button.disabled = true;
    try {
      await spec.onSubmit(values);
    } catch (e) {
      showProblem(e);
    } finally {
      button.disabled = false;
    }
  });

  return { form, showProblem, clearErrors };
}

export const options = (values: string[]): Option[] => values.map((v) => ({ value: v, label: words(v) }));
