import type { RegisterCommand } from '../context.js';
import { printJson } from '../io.js';
import { serverClient } from '../server-target.js';
import { AS_OPTION, DB_OPTION, withGoverningStore } from '../with-store.js';

export const registerNotice: RegisterCommand = (program, context) => {
  program
    .command('notice')
    .description('record that a release was announced; the MAJOR 30-day and MINOR 7-day notice periods count from it')
    .argument('<release>', 'component@version')
    .option('--comment <text>', 'where it was announced (a link to the post, the email)')
    .option(...AS_OPTION)
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (ref: string, options: { comment?: string; as?: string; db?: string; json?: boolean }) => {
      const client = await serverClient(context, options);
      const { recordNotice, noticeJson } = await import('../../app/record-notice.js');
      const result = client
        ? await (await import('../../client/releases-api.js')).noticeRemote(client, ref, { comment: options.comment })
        : noticeJson(
            await withGoverningStore(context, options, 'record', async ({ store, policy, governing, cwd, caller }) =>
              recordNotice({ store, policy, codeowners: governing.codeowners, cwd, ref, comment: options.comment, actor: await caller() }),
            ),
          );
      if (options.json) return printJson(context.io, result);
      const period = result.days > 0 ? `; the ${result.days}-day notice period ends ${result.ends ?? ''}` : '';
      context.io.out(`notice recorded for ${result.release.id}${result.first ? period : ' (an earlier notice already started the period)'}`);
    });
};
