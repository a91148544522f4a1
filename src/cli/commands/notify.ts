import type { RegisterCommand } from '../context.js';
import { printJson } from '../io.js';
import { formatLocal } from '../parse-time.js';
import { DB_OPTION, withStore } from '../with-store.js';

export const registerNotify: RegisterCommand = (program, context) => {
  const notify = program.command('notify').description('the messages the communication plan sends about a release');

  notify
    .command('preview')
    .description('every message that will go out about a release: when, to whom, what it says, and how far it got (no secrets)')
    .argument('<release>', 'component@version, or a component for its newest open release')
    .option('--no-notes', 'do not read the release notes from the repository (messages that carry them show where to find them)')
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (ref: string, options: { notes: boolean; db?: string; json?: boolean }) => {
      const preview = await withStore(context, options, async ({ store, policy, cwd, now }) => {
        const { previewNotify } = await import('../../app/preview-notify.js');
        const { notesFromRepository } = await import('../../app/message-notes.js');
        return { policy, result: await previewNotify({ store, policy, ref, now, ...(options.notes ? { notes: notesFromRepository({ cwd, policy, now: () => now }) } : {}) }) };
      });
      const { result, policy } = preview;
      if (options.json) return printJson(context.io, result);
      if (result.note !== null) return context.io.out(result.note);
      const sent = result.messages.filter((message) => !['not sent', 'skipped'].includes(message.state)).length;
      const lines = [`${result.release}: ${result.train ?? ''} train, ${result.date ?? ''}; ${result.messages.length} actions, ${sent} of them messages shipgate sends`];
      for (const message of result.messages) {
        const zone = policy.trains[result.train ?? '']?.timezone ?? policy.timezone;
        lines.push('', `${formatLocal(message.at, zone)}  ${message.title} (${message.step})  ${message.channel}  ${message.state}${message.why ? `: ${message.why}` : ''}`);
        lines.push(`  to: ${message.to.join(', ')}`);
        if (message.via === 'calendar' || message.via === 'none') continue;
        lines.push(`  subject: ${message.subject}`, ...message.text.split('\n').map((line) => `  | ${line}`));
      }
      context.io.out(lines.join('\n'));
    });
};
