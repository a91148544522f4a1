import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectOneLineError, runCli, tempDir } from './helpers/run-cli.js';

const workspace = tempDir();
afterAll(() => workspace.cleanup());
const write = (name: string, text: string) => writeFileSync(path.join(workspace.dir, name), text);
const cli = (...args: string[]) => runCli(args, { cwd: workspace.dir });

describe('shipgate init and policy', () => {
  it('init writes a valid commented starter file and will not overwrite it', () => {
    const first = cli('init');
    expect(first.code).toBe(0);
    const text = readFileSync(path.join(workspace.dir, 'shipgate.yaml'), 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=/);
    expect(cli('policy', 'check').stdout).toMatch(/shipgate.yaml: valid/);
    const again = cli('init');
    expect(again.code).toBe(2);
    expect(expectOneLineError(again)).toMatch(/shipgate.yaml already exists \(pass --force/);
    expect(readFileSync(path.join(workspace.dir, 'shipgate.yaml'), 'utf8')).toBe(text);
  });

  it('policy show prints the effective policy, with the file applied', () => {
    write('custom.yaml', 'version: 1\nfreeze:\n  before: 3d\n');
    const run = cli('--policy', 'custom.yaml', 'policy', 'show', '--json');
    const policy = JSON.parse(run.stdout);
    expect(policy.freeze.before).toBe('3d');
    expect(policy.freeze.allow).toEqual(['fix']);
    expect(policy.trains.module.cadence.rrule).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU');
    expect(cli('policy', 'show').stdout).toMatch(/^# effective policy \(source: shipgate.yaml\)\nversion: 1\n/);
  });

  it('a user file changes what every command does', () => {
    write('weekly.yaml', 'trains:\n  module:\n    cadence: { rrule: "FREQ=WEEKLY;BYDAY=TH", start: "2026-01-01T15:00" }\n    timezone: Europe/Berlin\n');
    const run = cli('--policy', 'weekly.yaml', 'calendar', '--from', '2026-03-01', '--to', '2026-03-14', '--train', 'module', '--json');
    const dates = JSON.parse(run.stdout).events.map((e: { at: string }) => e.at);
    expect(dates).toEqual(['2026-03-05T15:00:00+01:00', '2026-03-12T15:00:00+01:00']);
  });

  it('policy check lists every problem as file:line:col and exits 1', () => {
    write('broken.yaml', 'version: 1\nfreeze:\n  befor: 2d\ntimezone: Moon/Base\n');
    const run = cli('policy', 'check', 'broken.yaml');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('broken.yaml:3:3 unknown key "befor"; did you mean "before"?\n');
    expect(run.stdout).toContain('broken.yaml:4:11 unknown time zone "Moon/Base"');
    expect(run.stdout).toMatch(/broken.yaml: 2 errors/);
  });

  it('policy check exits 2 for an unreadable file; other commands refuse a broken policy with its first problem', () => {
    const missing = cli('policy', 'check', 'nope.yaml');
    expect(missing.code).toBe(2);
    expect(expectOneLineError(missing)).toBe('shipgate: cannot read nope.yaml: no such file (check the path and its permissions)');
    const directory = cli('policy', 'check', '/tmp');
    expect(expectOneLineError(directory)).toBe('shipgate: cannot read /tmp: it is a directory, not a file (check the path and its permissions)');
    write('syntax.yaml', 'trains: [\n');
    const run = cli('--policy', 'syntax.yaml', 'calendar');
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toMatch(/^shipgate: syntax.yaml:2:1: /);
  });

  it('policy schema prints the committed JSON Schema', () => {
    const run = cli('policy', 'schema');
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(readFileSync(path.resolve('schema/shipgate.schema.json'), 'utf8')));
  });
});

describe('shipgate freeze', () => {
  // 2026-02-16 12:00 PST: inside the module freeze before the 2026-02-17 release.
  const at = '2026-02-16T12:00';

  it('status shows the frozen train and when it reopens', () => {
    const run = runCli(['freeze', 'status', '--at', at]);
    expect(run.stdout).toMatch(/module\s+FROZEN\s+until Tue 2026-02-17 10:00 PST\s+Module Release 2026-02-17/);
    expect(run.stdout).toMatch(/platform\s+open\s+freezes Sun 2026-03-01 10:00 PST/);
  });

  it('check exits 1 for a feature in a freeze, 0 for a fix, 0 for a hotfix branch', () => {
    const blocked = runCli(['freeze', 'check', '--message', 'feat: new report', '--at', at]);
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toMatch(/^blocked: code freeze on module/);
    expect(blocked.stdout).toMatch(/\nnext: /);
    expect(runCli(['freeze', 'check', '--message', 'fix: crash', '--at', at]).code).toBe(0);
    expect(runCli(['freeze', 'check', '--message', 'feat: x', '--branch', 'hotfix/v2.0.1', '--at', at]).code).toBe(0);
    expect(runCli(['freeze', 'check', '--type', 'feat', '--at', '2026-02-18T12:00']).code).toBe(0);
  });

  it('check --target: a release branch takes only fixes, out of any freeze too (the locked release branch)', () => {
    const outside = '2026-02-18T12:00';
    const blocked = runCli(['freeze', 'check', '--message', 'feat: new report', '--target', 'release/v2.1.0', '--at', outside]);
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toMatch(/^blocked: code freeze on the release branch release\/v2\.1\.0: feat: changes may not merge/);
    expect(blocked.stdout).toMatch(/\nnext: a release branch takes only fix: changes: merge this into main for a later release/);
    expect(runCli(['freeze', 'check', '--message', 'fix: crash', '--target', 'release/v2.1.0', '--at', outside]).code).toBe(0);
    // Into main, out of the freeze, a feature merges.
    expect(runCli(['freeze', 'check', '--message', 'feat: new report', '--target', 'main', '--at', outside]).code).toBe(0);
  });

  it('check --json is machine-readable', () => {
    const run = runCli(['freeze', 'check', '--type', 'feat', '--path', 'modules/billing/index.ts', '--at', at, '--json']);
    expect(JSON.parse(run.stdout)).toMatchObject({ allowed: false, changeType: 'feat', releaseType: 'scheduled' });
  });
});

describe('help and version', () => {
  it('prints the package version', () => {
    const run = runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(JSON.parse(readFileSync(path.resolve('package.json'), 'utf8')).version);
  });

  it('lists the commands and exits 0', () => {
    const run = runCli(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['init', 'policy', 'calendar', 'freeze']) expect(run.stdout).toMatch(new RegExp(`\\n  ${command}\\b`));
    expect(existsSync('bin/shipgate.js')).toBe(true);
  });
});
