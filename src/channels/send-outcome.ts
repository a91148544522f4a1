/**
 * How one send ended. `uncertain`: the request had reached the receiver when it failed (a timeout
 * waiting for the answer, the connection dropped), so the message may have arrived.
 */
export type SendOutcome = { readonly ok: true; readonly detail: string | null } | { readonly ok: false; readonly uncertain: boolean; readonly detail: string };

/**
 * The text with every secret replaced: an error from a library may quote a URL or a reply that
 * carries one, and what a send says ends up in the job row, the release's history and logs.
 * Percent-encoded forms are replaced too (a URL's password is kept encoded in its text).
 */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  const forms = secrets.flatMap((secret) => [secret, encodeURIComponent(secret)]).filter((form) => form.length >= 4);
  // Longest first: a URL holding a password is replaced whole before its password is.
  for (const form of [...new Set(forms)].sort((a, b) => b.length - a.length)) result = result.split(form).join('***');
  return result;
}

/** The secret parts of a URL: the whole of it, its password, and a path that carries a token (Slack's). */
export function urlSecrets(text: string): string[] {
  const secrets = [text];
  try {
    const url = new URL(text);
    if (url.password !== '') secrets.push(decodeURIComponent(url.password), url.password);
    if (url.pathname.length > 1) secrets.push(url.pathname + url.search);
  } catch {
    // Not a URL: the whole text is the secret.
  }
  return secrets;
}
