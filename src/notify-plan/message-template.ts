import { fill } from '../notes/render-markdown.js';
import type { Notice } from '../policy/schema.js';

/** What a step's template may say, in braces as notes.templates do. */
export const MESSAGE_PLACEHOLDERS = [
  'release',
  'component',
  'version',
  'tag',
  'type',
  'bump',
  'train',
  'date',
  'time',
  'timezone',
  'freezeStart',
  'freezeEnd',
  'step',
  'message',
  'organization',
  'notes',
] as const;

export type MessageValues = Readonly<Record<(typeof MESSAGE_PLACEHOLDERS)[number], string>>;

/** A step without a template of its own says what its action says, about the release. */
const PLAIN = { subject: '{step}: {component} v{version}', text: '{message}: {component} v{version}, {train} release on {date} at {time} ({timezone}).\n\n{notes}' };

export interface MessageText {
  readonly subject: string;
  readonly text: string;
}

/** The step's message for one action. Pure; a line whose placeholders all came out empty is dropped. */
export function renderMessage(step: Pick<Notice, 'template'>, values: MessageValues): MessageText {
  const template = step.template ?? PLAIN;
  // A subject is one line: a placeholder that holds several (the notes) must not break a mail header.
  const subject = fill(template.subject, values).replace(/\s*\n\s*/g, ' ').trim();
  const text = fill(template.text, values).replace(/\n{3,}/g, '\n\n').trim();
  return { subject, text };
}

/** The placeholders in a template that are not MESSAGE_PLACEHOLDERS. */
export function unknownPlaceholders(template: string): string[] {
  const known: readonly string[] = MESSAGE_PLACEHOLDERS;
  return [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string).filter((name) => !known.includes(name));
}
