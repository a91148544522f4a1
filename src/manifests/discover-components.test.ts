import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isUnderGlob } from '../policy/glob.js';
import { builtinPolicy } from '../policy/parse-policy.js';
import { discoverComponents } from './discover-components.js';

let root: string | undefined;
afterEach(() => root !== undefined && rmSync(root, { recursive: true, force: true }));

describe('discoverComponents', () => {
  it('reads a component glob as the freeze does: `?` is one character', async () => {
    root = mkdtempSync(path.join(tmpdir(), 'shipgate-discover-'));
    for (const name of ['mod1', 'mod22', 'mod?']) {
      mkdirSync(path.join(root, 'modules', name), { recursive: true });
      writeFileSync(path.join(root, 'modules', name, 'package.json'), `{ "name": "${name === 'mod?' ? 'modq' : name}", "version": "1.0.0" }\n`);
    }
    const policy = builtinPolicy();
    policy.components = { module: { ...policy.components.module!, paths: ['modules/mod?'] } };
    const { components } = await discoverComponents(root, policy);
    const found = components.map((component) => component.path);
    expect(found).toEqual(['modules/mod1', 'modules/mod?']);
    // The freeze's test of whether a changed file belongs to the kind agrees, directory by directory.
    for (const dir of ['modules/mod1', 'modules/mod22', 'modules/mod?']) expect(isUnderGlob(`${dir}/index.js`, 'modules/mod?')).toBe(found.includes(dir));
  });
});
