import type { DemoHistory } from './demo-history.js';
import type { DemoPerson } from './demo-people.js';

/**
 * The history as a `git fast-import` stream: one process writes every commit and tag, which takes a
 * fraction of the time of a `git commit` per commit. Pure.
 */
export function fastImportStream(history: DemoHistory, branch = 'main'): string {
  const out: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text, 'utf8')}\n${text}\n`;
  const who = (person: DemoPerson, at: Date) => `${person.name} <${person.email}> ${Math.floor(at.getTime() / 1000)} +0000`;
  history.commits.forEach((commit, index) => {
    out.push(`commit refs/heads/${branch}\nmark :${index + 1}\nauthor ${who(commit.author, commit.at)}\ncommitter ${who(commit.author, commit.at)}\n${data(commit.message)}`);
    if (index > 0) out.push(`from :${index}\n`);
    for (const [file, content] of Object.entries(commit.files)) out.push(`M 100644 inline ${file}\n${data(content)}`);
    out.push('\n');
  });
  const tagger = history.commits[0]?.author;
  for (const tag of history.tags) {
    if (tagger === undefined) break;
    out.push(`tag ${tag.name}\nfrom :${tag.commit + 1}\ntagger ${who(tagger, tag.at)}\n${data(tag.message)}`);
  }
  return out.join('');
}
