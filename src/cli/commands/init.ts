import { existsSync } from 'node:fs';
import path from 'node:path';
import { errors } from '../../errors/catalog.js';
import { writeFileAtomic } from '../../fs/write-file-atomic.js';
import { STARTER_POLICY } from '../../policy/starter-policy.js';
import type { RegisterCommand } from '../context.js';

export const registerInit: RegisterCommand = (program, context) => {
  program
    .command('init')
    .description('write a commented starter shipgate.yaml')
    .option('--force', 'overwrite an existing file')
    .action(async (options: { force?: boolean }) => {
      const { cwd, policyFile } = context.globals();
      const target = path.resolve(cwd, policyFile ?? 'shipgate.yaml');
      const display = path.relative(cwd, target) || target;
      if (existsSync(target) && !options.force) throw errors.badOption(`${display} already exists`, 'pass --force to overwrite it');
      await writeFileAtomic(target, STARTER_POLICY);
      context.io.out(`wrote ${display}; check it with \`shipgate policy check\`, see the effective policy with \`shipgate policy show\``);
    });
};
