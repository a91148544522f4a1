import path from 'node:path';
import { Option } from 'commander';
import { loadPolicy } from '../../app/load-policy.js';
import { writeFileAtomic } from '../../fs/write-file-atomic.js';
import type { RegisterCommand } from '../context.js';

export const registerNotes: RegisterCommand = (program, context) => {
  program
    .command('notes')
    .argument('<component>', 'component or bundle, optionally with a past version: billing@2.1.0')
    .description('release notes in the policy\'s format, for the next release or a past one')
    .addOption(new Option('--format <format>', 'output format').choices(['markdown', 'json', 'html']).default('markdown'))
    .option('--json', 'same as --format json')
    .option('--date <YYYY-MM-DD>', 'release date to print (default: the tag\'s date, or today for the next release)')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (target: string, options: { format: string; json?: boolean; date?: string; output?: string }) => {
      const { policy } = await loadPolicy(context.globals());
      const { showNotes } = await import('../../app/show-notes.js');
      const { renderNotesMarkdown } = await import('../../notes/render-markdown.js');
      const notes = await showNotes({ cwd: context.globals().cwd, policy, target, date: options.date, now: context.io.now() });
      const format = options.json ? 'json' : options.format;
      const markdown = renderNotesMarkdown(policy, notes);
      let text = markdown;
      if (format === 'json') text = `${JSON.stringify(notes, null, 2)}\n`;
      if (format === 'html') {
        const { renderNotesHtml } = await import('../../notes/render-html.js');
        text = renderNotesHtml(markdown, `${notes.component} v${notes.version}`);
      }
      if (options.output === undefined) return context.io.out(text);
      await writeFileAtomic(path.resolve(context.globals().cwd, options.output), text);
      context.io.out(`wrote ${options.output}`);
    });
};
