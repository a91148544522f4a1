import type { Policy } from '../policy/schema.js';
import { capitalize } from './build-notes.js';
import type { Deprecation, NoteItem, ReleaseNotes } from './types.js';

type Templates = Policy['notes']['templates'];

/** The notes as Markdown in the policy's layout; `depth` demotes headings (a bundle's members, a CHANGELOG). */
export function renderNotesMarkdown(policy: Policy, notes: ReleaseNotes, depth = 0): string {
  const t = policy.notes.templates;
  const heading = (level: number, text: string) => `${'#'.repeat(Math.min(6, level + depth))} ${text}`;
  const title = fill(notes.members.length > 0 && depth > 0 ? t.member : t.title, { name: notes.component, Name: capitalize(notes.component), version: notes.version }).replace(/^#+\s*/, '');
  const blocks: string[] = [heading(1, title), fill(t.date, { date: notes.date })];
  if (notes.billOfMaterials.length > 0) {
    blocks.push(heading(2, 'Bill of Materials'), ['| Component | Kind | Version |', '|-----------|------|---------|', ...notes.billOfMaterials.map((m) => `| ${escapeInline(m.name)} | ${m.kind} | ${m.version ?? '-'} |`)].join('\n'));
  }
  if (notes.members.length > 0 && isEmpty(notes)) {
    for (const member of notes.members) blocks.push(renderNotesMarkdown(policy, { ...member, members: [] }, depth + 1).trimEnd());
    return `${blocks.join('\n\n')}\n`;
  }
  for (const section of policy.notes.sections) {
    const body = sectionBody(section.id, notes, t);
    blocks.push(heading(2, section.title), body === '' ? section.empty : body);
  }
  for (const member of notes.members) blocks.push(renderNotesMarkdown(policy, { ...member, members: [] }, depth + 1).trimEnd());
  return `${blocks.join('\n\n')}\n`;
}

function sectionBody(id: string, notes: ReleaseNotes, t: Templates): string {
  const items = (list: readonly NoteItem[], template: string) => list.map((entry) => renderItem(entry, template, t)).join('\n');
  switch (id) {
    case 'highlights':
      return notes.highlights.map((text) => `- ${escapeInline(text)}`).join('\n');
    case 'features':
      // Features carry a second line, so a blank line between them, as in the policy's example.
      return notes.features.map((entry) => renderItem(entry, t.feature, t)).join('\n\n');
    case 'fixes':
      return items(notes.fixes, t.item);
    case 'performance':
      return items(notes.performance, t.item);
    case 'breaking':
      return [...notes.breaking.map((text) => `- ${escapeInline(text)}`), ...notes.removed.map((d) => fill(t.removed, deprecationValues(d)))].join('\n');
    case 'deprecations':
      return notes.deprecations.map((d) => fill(t.deprecation, deprecationValues(d))).join('\n');
    case 'migration':
      return notes.migration ?? '';
    case 'dependencies':
      return notes.dependencies.join('\n');
    case 'known-issues':
      return notes.knownIssues ?? '';
    default:
      return '';
  }
}

function renderItem(entry: NoteItem, template: string, t: Templates): string {
  const pr = entry.pr === null ? '' : entry.prUrl === null ? ` (#${entry.pr})` : fill(t.pr, { number: String(entry.pr), url: entry.prUrl });
  return fill(template, { title: escapeInline(entry.title), pr, body: entry.body === null ? '' : escapeInline(entry.body) });
}

function deprecationValues(d: Deprecation): Record<string, string> {
  return {
    what: escapeInline(d.what),
    replacement: d.replacement === null ? '' : ` - Use ${escapeInline(d.replacement)} instead`,
    removal: d.removal === null ? 'the next MAJOR version' : `v${d.removal}${d.removalDate ? ` (${escapeInline(d.removalDate)})` : ''}`,
    since: d.since,
  };
}

/** Fills {placeholders}; a template line left empty by a missing value is dropped. */
export function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template
    .split('\n')
    .map((line) => ({ line: line.replace(/\{(\w+)\}/g, (all, key: string) => (Object.hasOwn(values, key) ? values[key] : undefined) ?? all), hadValue: /\{\w+\}/.test(line) }))
    .filter(({ line, hadValue }) => !(hadValue && line.trim() === ''))
    .map(({ line }) => line)
    .join('\n');
}

/**
 * Commit text shown as written: Markdown's inline markers and HTML are escaped, code spans with
 * balanced backticks are kept (people write `GET /api` on purpose), and a line cannot start a heading
 * or a list.
 */
export function escapeInline(text: string): string {
  const ticks = (text.match(/`/g) ?? []).length;
  const escaped = text.replace(/[\\*_[\]<>|~]/g, '\\$&').replace(/`/g, ticks % 2 === 0 ? '`' : '\\`');
  return escaped.replace(/^(\s*)([#+\-=]|\d+[.)])/gm, '$1\\$2');
}

function isEmpty(notes: ReleaseNotes): boolean {
  return notes.features.length + notes.fixes.length + notes.performance.length + notes.breaking.length === 0;
}
