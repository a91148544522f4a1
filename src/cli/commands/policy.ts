import path from 'node:path';
import { stringify } from 'yaml';
import { findPolicyFile, loadPolicy, readPolicyFile } from '../../app/load-policy.js';
import { writeFileAtomic } from '../../fs/write-file-atomic.js';
import { policyJsonSchema } from '../../policy/json-schema.js';
import type { RegisterCommand } from '../context.js';
import { printJson } from '../io.js';

export const registerPolicy: RegisterCommand = (program, context) => {
  const policy = program.command('policy').description('show, check and describe the release policy');

  policy
    .command('show')
    .description('print the effective policy (the built-in policy with your file applied)')
    .option('--json', 'print JSON instead of YAML')
    .action(async (options: { json?: boolean }) => {
      const { policy: effective, source } = await loadPolicy(context.globals());
      if (options.json) return printJson(context.io, effective);
      context.io.out(`# effective policy (source: ${source})\n${stringify(effective, { lineWidth: 0 })}`);
    });

  policy
    .command('check')
    .argument('[file]', 'policy file (default: --policy, else shipgate.yaml)')
    .description('report every problem in a policy file as file:line:col; exit 1 when there are errors')
    .option('--json', 'print the problems as JSON')
    .action(async (file: string | undefined, options: { json?: boolean }) => {
      const { cwd, policyFile } = context.globals();
      const target = findPolicyFile(cwd, file ?? policyFile);
      if (target === undefined) {
        context.io.out('no shipgate.yaml here: the built-in policy is in effect and it is valid');
        return;
      }
      const { display, parsed } = await readPolicyFile(target, cwd);
      const errorCount = parsed.problems.filter((p) => p.severity === 'error').length;
      if (options.json) printJson(context.io, { file: display, valid: errorCount === 0, problems: parsed.problems });
      else {
        for (const p of parsed.problems) context.io.out(`${p.file}:${p.line}:${p.col} ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`);
        const warnings = parsed.problems.length - errorCount;
        const summary = errorCount === 0 ? `${display}: valid` : `${display}: ${errorCount} error${errorCount === 1 ? '' : 's'}`;
        context.io.out(`${summary}${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`);
      }
      if (errorCount > 0) context.exit(1);
    });

  policy
    .command('schema')
    .description('print the JSON Schema of shipgate.yaml (for editors)')
    .option('--write <file>', 'write it to a file instead')
    .action(async (options: { write?: string }) => {
      const text = `${JSON.stringify(policyJsonSchema(), null, 2)}\n`;
      if (options.write === undefined) return context.io.out(text);
      const target = path.resolve(context.globals().cwd, options.write);
      await writeFileAtomic(target, text);
      context.io.out(`wrote ${options.write}`);
    });
};
