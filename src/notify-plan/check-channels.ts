import { didYouMean } from '../policy/did-you-mean.js';
import type { Policy } from '../policy/schema.js';
import { MESSAGE_PLACEHOLDERS, unknownPlaceholders } from './message-template.js';
import { resolveChannel } from './resolve-channel.js';

export interface ChannelCheckProblem {
  readonly path: (string | number)[];
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/**
 * The communication plan's references, which the schema cannot check: each action's channel names a
 * channel of the right kind (with a did-you-mean for a typo), each named channel is exactly one kind,
 * a step sends to a channel once, and templates use only known placeholders.
 */
export function checkChannels(policy: Policy): ChannelCheckProblem[] {
  const problems: ChannelCheckProblem[] = [];
  const error = (path: (string | number)[], message: string) => problems.push({ path, message, severity: 'error' });
  const names = Object.keys(policy.channels);
  for (const [name, config] of Object.entries(policy.channels)) {
    const kinds = (['slack', 'email', 'webhook'] as const).filter((kind) => config[kind] !== undefined);
    if (kinds.length !== 1) error(['channels', name], `channel "${name}" must be exactly one of slack, email or webhook${kinds.length > 1 ? ` (it has ${kinds.join(' and ')})` : ''}`);
  }
  for (const [s, step] of policy.communication.entries()) {
    const seen = new Set<string>();
    for (const [a, action] of step.actions.entries()) {
      const path = ['communication', s, 'actions', a, 'channel'];
      if (seen.has(action.channel)) error(path, `step "${step.id}" sends to ${action.channel} twice; one message per channel`);
      seen.add(action.channel);
      const resolved = resolveChannel(policy, action.channel);
      if ('target' in resolved) continue;
      // A kind problem of the channel itself is reported once, at the channel.
      if (/must be exactly one/.test(resolved.problem.message)) continue;
      const name = action.channel.replace(/^(#|email:|webhook:)/, '');
      const suggestion = /^unknown channel/.test(resolved.problem.message) ? didYouMean(name, names) : undefined;
      const hint = suggestion !== undefined ? `; did you mean "${action.channel.slice(0, action.channel.length - name.length)}${suggestion}"?` : /^unknown channel/.test(resolved.problem.message) ? ` (channels: ${names.join(', ')})` : '';
      error(path, `${resolved.problem.message}${hint}`);
    }
    if (step.template === null) continue;
    for (const field of ['subject', 'text'] as const) {
      for (const unknown of unknownPlaceholders(step.template[field])) {
        const suggestion = didYouMean(unknown, MESSAGE_PLACEHOLDERS);
        error(['communication', s, 'template', field], `unknown placeholder {${unknown}}${suggestion === undefined ? ` (known: ${MESSAGE_PLACEHOLDERS.join(', ')})` : `; did you mean {${suggestion}}?`}`);
      }
    }
  }
  const github = policy.freeze.github;
  if (github !== null && !safeApiUrl(github.apiUrl)) {
    error(['freeze', 'github', 'apiUrl'], `"${github.apiUrl}": the token is sent there, so it must be an https URL (or http on loopback, for a local stand-in)`);
  }
  return problems;
}

function safeApiUrl(text: string): boolean {
  try {
    const url = new URL(text);
    if (url.username !== '' || url.password !== '') return false;
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}
