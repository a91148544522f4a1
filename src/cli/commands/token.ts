import type { RegisterCommand } from '../context.js';
import { formatTable } from '../format-table.js';
import { printJson } from '../io.js';
import { DB_OPTION, withStore } from '../with-store.js';

export const registerToken: RegisterCommand = (program, context) => {
  const token = program.command('token').description('API tokens for `shipgate serve`: each acts as one person (create prints it once; only a hash is kept)');

  token
    .command('create')
    .description('create a token for a person; it is printed once and never again')
    .requiredOption('--user <email>', 'the person it acts as (the email the policy and CODEOWNERS know)')
    .option('--name <name>', 'what it is for (a laptop, a CI job)')
    .option('--expires <duration>', 'how long it is valid: 90d, 12h, 2w, or "never"', '90d')
    .option('--scope <scope>', 'full (whatever the person may do), or calendar: only reads the calendar feed, given in its URL (?token=) by a calendar app that subscribes', 'full')
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (options: { user: string; name?: string; expires: string; scope: string; db?: string; json?: boolean }) => {
      const { createApiToken } = await import('../../app/api-tokens.js');
      const created = await withStore(context, options, ({ store }) => createApiToken(store, { user: options.user, name: options.name, expires: options.expires === 'never' ? null : options.expires, scope: options.scope }));
      if (options.json) return printJson(context.io, { token: created.token, ...created.record });
      const feed = created.record.scope === 'calendar' ? `\nsubscribe to <server>/api/v1/calendar.ics?token=${created.token}; it reads nothing else` : '';
      context.io.out(`${created.token}\ntoken ${created.record.id} for ${created.record.user}, ${created.record.expiresAt === null ? 'valid until revoked' : `valid until ${created.record.expiresAt}`}; it is not shown again${feed}`);
    });

  token
    .command('list')
    .description('the tokens: id, person, name, expiry, revocation (never the token)')
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (options: { db?: string; json?: boolean }) => {
      const { listApiTokens } = await import('../../app/api-tokens.js');
      const tokens = await withStore(context, options, ({ store }) => listApiTokens(store));
      if (options.json) return printJson(context.io, tokens);
      if (tokens.length === 0) return context.io.out('no tokens');
      const rows = tokens.map((t) => [t.id, t.user, t.name ?? '', t.scope, t.createdAt, t.expiresAt ?? 'never', t.revokedAt ?? '']);
      context.io.out(formatTable(['ID', 'User', 'Name', 'Scope', 'Created', 'Expires', 'Revoked'], rows));
    });

  token
    .command('revoke')
    .description('revoke a token: a server refuses it within 5 s (it remembers an accepted token that long)')
    .argument('<id>', 'the token id (from `token list`)')
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (id: string, options: { db?: string; json?: boolean }) => {
      const { revokeApiToken } = await import('../../app/api-tokens.js');
      const revoked = await withStore(context, options, ({ store }) => revokeApiToken(store, id));
      if (options.json) return printJson(context.io, revoked);
      context.io.out(`revoked token ${revoked.id} of ${revoked.user}`);
    });
};
