import { ApiError, signIn } from "../api";
import { h } from "../dom";
import { session } from "../session";
import { go } from "../router";

/**
 * Sign in with an API key (made with `make key` or by an admin): exchanged once for the session cookie, then the page
 * that was asked for opens (or the role's start page).
 */
export function signInPage(): HTMLElement {
  const message = sessionStorage.getItem("trajectories.signin-message");
  sessionStorage.removeItem("trajectories.signin-message");
  const input = h("input", { id: "key", name: "key", type: "password", autocomplete: "off", spellcheck: "false", "aria-describedby": "key-help key-error", required: true });
  const error = h("p", { id: "key-error", class: "field-error", role: "alert" }, message ?? "");
  const button = h("button", { type: "submit" }, "Sign in");
  const form = h("form", { class: "card signin", novalidate: true },
    h("div", { class: "field" },
      h("label", { for: "key" }, "API key"),
      input,
      h("p", { id: "key-help", class: "help" }, "Your key starts with trj_. It is sent once; this browser stays signed in, in every tab, until you sign out, close the browser or leave it unused for a while."),
      error),
    button);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) {
      error.textContent = "Enter your API key.";
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    button.disabled = true;
    try {
      await signIn(key);
      const back = session.takeReturn();
      if (back) location.hash = back;
      else go("/");
    } catch (e) {
      error.textContent = e instanceof ApiError && e.status === 401 ? "This key is not valid or has been revoked." : e instanceof Error ? e.message : String(e);
      input.setAttribute("aria-invalid", "true");
      input.focus();
    } finally {
      button.disabled = false;
    }
  });
  return h("section", { class: "narrow" },
    h("h1", {}, "Sign in"),
    h("p", {}, "Trajectories follows the careers of Certified Peer Specialists. Staff record career events; analysts explore retention."),
    form);
}
