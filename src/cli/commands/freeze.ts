import { loadPolicy } from '../../app/load-policy.js';
import { checkChange } from '../../freeze/check-change.js';
import { errors } from '../../errors/catalog.js';
import type { RegisterCommand } from '../context.js';
import { formatTable } from '../format-table.js';
import { printJson } from '../io.js';
import { formatLocal, parseCliTime } from '../parse-time.js';

export const registerFreeze: RegisterCommand = (program, context) => {
  const freeze = program.command('freeze').description('the code freeze: which trains are frozen, and whether a change may merge');

  freeze
    .command('status')
    .description('which trains are frozen now and until when, and when the next freezes start')
    .option('--at <time>', 'as of this time (YYYY-MM-DD or ISO date-time; default: now)')
    .option('--train <name...>', 'only these trains')
    .option('--json', 'print JSON')
    .action(async (options: { at?: string; train?: string[]; json?: boolean }) => {
      const { policy } = await loadPolicy(context.globals());
      const at = options.at === undefined ? context.io.now() : parseCliTime(options.at, '--at', policy.timezone, context.io.now());
      const { freezeJson } = await import('../../app/show-calendar.js');
      const shown = freezeJson(policy, at, options.train);
      if (options.json) return printJson(context.io, shown);
      const status = shown.trains;
      const rows = status.map((train) => {
        const event = train.release ?? train.next;
        const zone = event?.timezone ?? policy.timezone;
        if (train.frozen && event) return [train.train, 'FROZEN', `until ${formatLocal(event.freeze.end, zone)}`, `${event.title} ${event.date}`];
        if (event) return [train.train, 'open', `freezes ${formatLocal(event.freeze.start, zone)}`, `${event.title} ${event.date}`];
        return [train.train, 'open', 'no release scheduled', ''];
      });
      context.io.out(formatTable(['Train', 'State', 'When', 'Release'], rows));
    });

  freeze
    .command('check')
    .description('exit 0 when a change may merge now, 1 with the reason when the code freeze forbids it (run it as a required CI check)')
    .option('--message <msg>', 'the pull request title or commit message (Conventional Commits)')
    .option('--type <type>', 'the change type (feat, fix, …) or release type (scheduled, hotfix, emergency)')
    .option('--branch <name>', 'the source branch; hotfix/… branches follow the hotfix rules')
    .option('--path <file...>', 'files the change touches, to check only the trains they belong to')
    .option('--target <branch>', 'the branch it merges into: a release branch takes only what a freeze allows')
    .option('--at <time>', 'as of this time (default: now)')
    .option('--json', 'print JSON')
    .action(async (options: { message?: string; type?: string; branch?: string; path?: string[]; target?: string; at?: string; json?: boolean }) => {
      if (options.message === undefined && options.type === undefined) throw errors.badOption('freeze check needs --message or --type', 'e.g. --message "$PR_TITLE" or --type fix');
      const { policy } = await loadPolicy(context.globals());
      const at = options.at === undefined ? context.io.now() : parseCliTime(options.at, '--at', policy.timezone, context.io.now());
      const verdict = checkChange(policy, {
        at,
        ...(options.message === undefined ? {} : { message: options.message }),
        ...(options.type === undefined ? {} : { type: options.type }),
        ...(options.branch === undefined ? {} : { branch: options.branch }),
        ...(options.path === undefined ? {} : { paths: options.path }),
        ...(options.target === undefined ? {} : { target: options.target }),
      });
      if (options.json) printJson(context.io, verdict);
      else context.io.out(`${verdict.allowed ? 'ok' : 'blocked'}: ${verdict.reason}${verdict.next ? `\nnext: ${verdict.next}` : ''}`);
      if (!verdict.allowed) context.exit(1);
    });
};
