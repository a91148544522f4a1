import { html, type SafeHtml } from './html.js';

export function renderSignIn(options: { next: string; error: string | null }): SafeHtml {
  return html`${options.error === null ? null : html`<div class="flash error" role="alert"><p>${options.error}</p></div>`}
<p>Paste an API token. Create one on the server with <code>shipgate token create --user you@example.com</code>; the dashboard acts as that person, with their roles.</p>
<form class="sign-in" method="post" action="/sign-in">
<input type="hidden" name="next" value="${options.next}">
<label for="token">API token</label>
<input id="token" name="token" type="password" autocomplete="off" required spellcheck="false">
<button type="submit">Sign in</button>
</form>`;
}
