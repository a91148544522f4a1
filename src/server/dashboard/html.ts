import { escapeHtml } from '../../notes/render-html.js';

/** Markup that is already safe: made by `html` (or the notes renderer, which escapes every piece of text). */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Value = SafeHtml | string | number | boolean | null | undefined | readonly Value[];

/**
 * The only way the dashboard makes markup: every interpolated value is HTML-escaped unless it is
 * SafeHtml, so a commit message, a user name or a reason can never become markup. Arrays are joined;
 * null, undefined and false render nothing.
 */
export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** Trusted markup from a renderer that escapes its own text (the notes). */
export function trusted(text: string): SafeHtml {
  return new SafeHtml(text);
}
