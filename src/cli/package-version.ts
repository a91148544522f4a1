import { readFileSync } from 'node:fs';

/** shipgate's own version, for --version and the reports that name their tool. */
export function packageVersion(): string {
  // This file sits two levels below package.json in src/ and dist/, and so does every chunk of the CLI
  // bundle (dist/bundle): a command's file deeper down would resolve the path differently in each.
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
