// Forms whose rules live in the API: nothing is checked here that the service does not check (novalidate), and the
// problem details it answers are shown next to the field they name (errors[field]) or above the form.

import { ApiError } from "./api";
import { announce, h, label as words, uid } from "./dom";

export type Option = string | { value: string; label: string };

export interface FieldSpec {
  name: string;
  label: string;
  kind: "text" | "date" | "number" | "select" | "yesno" | "textarea";
  options?: Option[];
  required?: boolean;
  help?: string;
  step?: string;
  min?: string;
  max?: string;
  value?: string | number | boolean | null;
}

export type Values = Record<string, string | number | boolean | null>;

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
    const error = h("p", { class: "field-error", id: errorId, "data-field": f.name });
    controls.set(f.name, { input, error, spec: f });
    return h("div", { class: "field" },
      h("label", { for: id }, f.label, f.required ? h("span", { class: "req" }, " (required)") : null),
      input,
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
    const p = e.problem;
    const byField: Record<string, string[]> = { ...(p.errors ?? {}) };
    if (p.field && !byField[p.field] && p.detail) byField[p.field] = [p.detail];
    let first: HTMLElement | null = null;
    const unplaced: string[] = [];
    for (const [field, messages] of Object.entries(byField)) {
      const control = controls.get(field) ?? [...controls.entries()].find(([k]) => k.toLowerCase() === field.toLowerCase())?.[1];
      if (!control) { unplaced.push(...messages); continue; }
      control.error.textContent = messages.join(" ");
      control.input.setAttribute("aria-invalid", "true");
      first ??= control.input;
    }
    const summary = Object.keys(byField).length > 0 ? `Please correct the ${Object.keys(byField).length === 1 ? "field" : "fields"} marked below.` : p.detail ?? e.message;
    formError.textContent = [summary, ...unplaced].join(" ");
    if (p.rule) formError.setAttribute("data-rule", p.rule);
    announce(formError.textContent);
    (first ?? button).focus();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors();
    const values: Values = {};
    for (const [name, { input, spec: f }] of controls) {
      const raw = input.value.trim();
      if (raw === "") continue; // absent, so the API says whether it was required
      values[name] = f.kind === "number" ? Number(raw) : f.kind === "yesno" ? raw === "true" : raw;
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
