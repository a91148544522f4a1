import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { builtinPolicy, parsePolicyText, type PolicyProblem } from './parse-policy.js';
import { rollbackRoles } from '../gates/rollback-roles.js';
import { STARTER_POLICY } from './starter-policy.js';

describe('the built-in policy holds every rule of RELEASE-POLICY.md', () => {
  const policy = builtinPolicy();

  it('has the three release types with what each skips and owes', () => {
    expect(policy.releaseTypes.hotfix.allowedBumps).toEqual(['patch']);
    expect(policy.releaseTypes.hotfix.when).toEqual(['Critical bugs', 'Security vulnerabilities', 'Data corruption issues']);
    expect(policy.releaseTypes.hotfix.respectsFreeze).toBe(false);
    expect(policy.releaseTypes.emergency.requiresApprovals).toBe(false);
    expect(policy.releaseTypes.emergency.postMortem?.required).toBe(true);
    expect(policy.releaseTypes.emergency.when).toEqual(['Production down', 'Security breach', 'Data loss risk']);
    expect(policy.releaseTypes.scheduled.requiresApprovals).toBe(true);
  });

  it('has the component kinds with their manifests and tag formats', () => {
    expect(policy.components.module).toMatchObject({ paths: ['modules/*'], manifest: 'package.json', tag: '{name}/v{version}' });
    expect(policy.components.platform).toMatchObject({ paths: ['platform/*'], manifest: 'Cargo.toml', tag: 'platform-{name}-v{version}' });
    expect(policy.components.product).toMatchObject({ tag: '{name}/v{version}', bundles: ['module'] });
    expect(policy.bundles.platform).toMatchObject({ tag: 'platform/v{version}', members: ['platform'] });
  });

  it('has the trains, the freeze and the communication plan', () => {
    expect(policy.timezone).toBe('America/Los_Angeles');
    expect(policy.trains.module?.cadence.rrule).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU');
    expect(policy.trains.module?.cadence.start.slice(11)).toBe('10:00');
    expect(policy.trains.platform?.cadence.rrule).toBe('FREQ=MONTHLY;BYDAY=1TU');
    expect(policy.trains.product?.cadence.rrule).toBe('FREQ=MONTHLY;BYDAY=2TU');
    expect(policy.freeze).toMatchObject({ before: '2d', allow: ['fix'] });
    expect(policy.communication.map((n) => n.at)).toEqual(['-7d', '-2d', 'release', 'after-release']);
    expect(policy.communication[0]?.actions.map((a) => a.channel)).toEqual(['#engineering', 'email:stakeholders', 'calendar']);
  });

  it('has the versioning requirements, checklist and approval matrix', () => {
    expect([policy.versioning.major.noticeDays, policy.versioning.minor.noticeDays, policy.versioning.patch.noticeDays]).toEqual([30, 7, 0]);
    expect(policy.versioning.major.requires.map((r) => r.title)).toEqual(['RFC document', 'Migration guide', '30-day notice', 'Approval from tech lead']);
    expect(policy.checklist.map((c) => c.title)).toEqual([
      'All tests passing', 'Contract tests passing', 'Performance tests passing', 'Security scan passing',
      'Documentation updated', 'CHANGELOG.md updated', 'Migration guide written (if breaking)',
    ]);
    expect(policy.checklist.at(-1)?.when).toBe('breaking');
    expect(policy.approvals.patch.map((r) => r.title)).toEqual(['1 approval from module owner', 'CI passing', 'Smoke tests passing']);
    expect(policy.approvals.minor.find((r) => r.role === 'module-team')?.count).toBe(2);
    expect(policy.approvals.major.map((r) => r.title)).toEqual([
      'Architecture review', 'Tech lead approval', 'Product team approval', '30-day notice period completed', 'Migration guide reviewed',
    ]);
  });

  it('has environments, rollback triggers, migration rules, note sections and metric targets', () => {
    expect(policy.environments.production).toMatchObject({ after: 'staging', soak: '24h' });
    expect(policy.rollback.automatic).toEqual({ errorRate: { above: 0.05 }, latency: { aboveBaselineFactor: 2 }, healthChecks: { failures: 1 } });
    expect(policy.migrations).toMatchObject({ forwardOnly: true, neverDropColumns: true, addColumnsNullableFirst: true });
    expect(policy.notes.sections.map((s) => s.title)).toEqual([
      'Highlights', 'Features', 'Fixes', 'Performance', 'Breaking Changes', 'Deprecations', 'Migration Guide', 'Dependencies', 'Known Issues',
    ]);
    expect(policy.notes.sections.find((s) => s.id === 'migration')?.empty).toBe('No migration required.');
    expect(policy.metrics).toEqual({
      leadTime: { commitToDeploy: '24h', featureToProduction: '2w' },
      deploymentFrequency: { patch: 'daily', minor: 'biweekly' },
      changeFailureRate: { below: 0.05 },
      mttr: { below: '1h' },
      environment: null,
      incidentLabel: 'incident',
      window: '90d',
    });
    expect(policy.artifacts.tags).toEqual(['{version}', '{major}', 'latest']);
    expect(policy.branches).toMatchObject({ release: 'release/v{version}', hotfix: 'hotfix/v{version}' });
  });
});

const errorsOf = (problems: readonly PolicyProblem[]) => problems.filter((p) => p.severity === 'error');

describe('parsePolicyText', () => {
  it('warns that approver roles are empty until the team lists its people', () => {
    const warnings = parsePolicyText('version: 1\n', 'p.yaml').problems;
    expect(warnings.map((w) => [w.severity, w.path])).toEqual([
      ['warning', 'roles.tech-lead.members'], ['warning', 'roles.product-team.members'], ['warning', 'roles.architecture-review.members'],
    ]);
    const filled = parsePolicyText('roles:\n  tech-lead: { members: [a] }\n  product-team: { members: [b] }\n  architecture-review: { members: [c] }\n', 'p.yaml');
    expect(filled.problems).toEqual([]);
  });

  it('overrides only what the file says', () => {
    const { policy, problems } = parsePolicyText('version: 1\ntrains:\n  module:\n    cadence: { rrule: "FREQ=WEEKLY;BYDAY=WE", start: "2026-01-07T09:30" }\n', 'shipgate.yaml');
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(policy?.trains.module?.cadence.rrule).toBe('FREQ=WEEKLY;BYDAY=WE');
    expect(policy?.trains.module?.title).toBe('Module');
    expect(policy?.trains.platform?.cadence.rrule).toBe('FREQ=MONTHLY;BYDAY=1TU');
  });

  it('reads versioning.dependents and versioning.initialVersion, defaulting to patch and 1.0.0, and rejects what they cannot be', () => {
    expect([builtinPolicy().versioning.dependents, builtinPolicy().versioning.initialVersion]).toEqual(['patch', '1.0.0']);
    expect(parsePolicyText('versioning:\n  dependents: none\n  initialVersion: 0.1.0\n', 'p.yaml').policy?.versioning).toMatchObject({ dependents: 'none', initialVersion: '0.1.0' });
    const { problems } = parsePolicyText('versioning:\n  dependents: minor\n  initialVersion: "1.0"\n', 'p.yaml');
    expect(errorsOf(problems).map((p) => `${p.line}:${p.col} ${p.message.split(':')[0]}`)).toEqual(['2:15 versioning.dependents', '3:19 versioning.initialVersion']);
  });

  it('refuses a glob that uses negation or extended globs at its position, and accepts braces', () => {
    const text = 'components:\n  module:\n    paths: ["!modules/legacy", "modules/@(a|b)"]\ngates:\n  rfc: { paths: ["docs/rfc/**/*.{md,txt}"] }\n';
    const { problems } = parsePolicyText(text, 'p.yaml');
    expect(errorsOf(problems).map((p) => `${p.line}:${p.col} ${p.message}`)).toEqual([
      '3:13 "!modules/legacy": a leading "!" (negation) is not supported; list what to include instead',
      '3:32 "modules/@(a|b)": extended globs such as @(a|b) are not supported; use {a,b}',
    ]);
  });

  it('reports an unknown key at its line and column with a did-you-mean', () => {
    const { policy, problems } = parsePolicyText('version: 1\nfreeze:\n  befor: 3d\n', 'p.yaml');
    expect(policy).toBeUndefined();
    expect(errorsOf(problems)).toEqual([expect.objectContaining({ file: 'p.yaml', line: 3, col: 3, message: 'unknown key "befor"; did you mean "before"?' })]);
  });

  it('reports every problem at once, schema and semantic, in file order', () => {
    const text = [
      'version: 1',
      'timezone: Mars/Olympus',
      'trains:',
      '  module:',
      '    cadence: { rrule: "FREQ=FORTNIGHTLY", start: "2026-02-30T10:00" }',
      'rollback:',
      '  automatic:',
      '    errorRate: { above: 5 }',
      'blackouts:',
      '  - { name: x, from: "2026-12-01", to: "2026-11-01", trains: [nope] }',
    ].join('\n');
    // Columns counted by hand on the lines above (1-based, at the start of each offending value).
    const { problems } = parsePolicyText(text, 'p.yaml');
    expect(errorsOf(problems).map((p) => `${p.line}:${p.col} ${p.message}`)).toEqual([
      '2:11 unknown time zone "Mars/Olympus" (use an IANA name such as America/Los_Angeles)',
      '5:23 invalid RRULE: FREQ=FORTNIGHTLY is not supported (DAILY, WEEKLY, MONTHLY or YEARLY)',
      '5:50 "2026-02-30T10:00" is not a real date and time',
      expect.stringMatching(/^8:25 rollback\.automatic\.errorRate\.above: Too big/),
      '10:40 the blackout ends (2026-11-01) before it starts (2026-12-01)',
      '10:63 unknown train "nope" (trains: module, platform, product)',
    ]);
  });

  it('reports an unknown migration rule id with a did-you-mean', () => {
    const { problems } = parsePolicyText('migrations:\n  rules:\n    ban-drop-colum: off\n', 'p.yaml');
    expect(errorsOf(problems)).toEqual([expect.objectContaining({ line: 3, col: 21, message: 'unknown migration rule "ban-drop-colum" (did you mean "ban-drop-column"?)' })]);
  });

  it('reads rollback.manual.roles, by default the waiver roles, and reports one that is not a role', () => {
    expect(errorsOf(parsePolicyText('rollback:\n  manual:\n    roles: [release-manager]\n', 'p.yaml').problems).map((p) => `${p.line}:${p.col} ${p.message}`)).toEqual([expect.stringMatching(/^3:13 unknown role "release-manager" \(roles: module-owner, /)]);
    const { policy } = parsePolicyText('gates:\n  waivers:\n    roles: [product-team]\n', 'p.yaml');
    expect(policy && rollbackRoles(policy)).toEqual(['product-team']);
    expect(rollbackRoles(builtinPolicy())).toEqual(['tech-lead']);
  });

  it('reports a waiver role that is not a role', () => {
    const { problems } = parsePolicyText('gates:\n  waivers:\n    roles: [tech-lead, release-captain]\n', 'p.yaml');
    expect(errorsOf(problems).map((p) => `${p.line}:${p.col} ${p.message}`)).toEqual([expect.stringMatching(/^3:24 unknown role "release-captain" \(roles: module-owner, /)]);
  });

  it('reports YAML syntax errors at their position', () => {
    const { problems } = parsePolicyText('version: 1\ntrains: [\n', 'p.yaml');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 3, col: 1 });
  });

  it('rejects a file that is not a mapping, and a new train missing its cadence', () => {
    expect(parsePolicyText('- a\n- b\n', 'p.yaml').problems[0]?.message).toMatch(/must be a mapping/);
    const { problems } = parsePolicyText('trains:\n  nightly:\n    title: Nightly\n    carries: [module]\n', 'p.yaml');
    expect(problems.map((p) => p.message)).toContain('trains.nightly.cadence: missing required key (expected object)');
  });

  it('accepts the starter file shipgate init writes', () => {
    expect(parsePolicyText(STARTER_POLICY, 'shipgate.yaml').problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});

describe('parsePolicyText on hostile or careless files: a problem at its position, never an exception', () => {
  const located = (text: string) => errorsOf(parsePolicyText(text, 'p.yaml').problems).map((p) => `${p.line}:${p.col} ${p.message}`);

  it('reports an alias with no anchor, and an alias inside the node it names', () => {
    expect(located('version: 1\nx: *nope\n')).toEqual(['2:4 unresolved alias *nope: no anchor &nope is set before it']);
    expect(located('version: 1\nroles: &a\n  x: *a\n')).toEqual(['3:6 alias *a is inside the node it names, which would make it infinite']);
  });

  it('refuses an alias bomb at the alias that makes it too big, and quickly', () => {
    const lines = ['version: 1', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [index, name] of [...'bcdefghi'].entries()) lines.push(`${name}: &${name} [${Array(9).fill(`*${String.fromCharCode(97 + index)}`).join(',')}]`);
    const started = Date.now();
    const problems = located(lines.join('\n'));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(problems).toEqual(['7:8 aliases expand the document to more than 100000 nodes (an alias bomb?)']);
    // An anchor reused a few hundred times is fine: only the expanded size counts.
    const reuse = ['version: 1', 'roles:', '  r: &who { description: d }', ...Array.from({ length: 300 }, (_, i) => `  r${i}: *who`)];
    expect(located(reuse.join('\n'))).toEqual([]);
  });

  it('refuses a "__proto__" key anywhere, while a role named "constructor" is an ordinary role', () => {
    expect(located('version: 1\nroles:\n  __proto__:\n    description: x\n')).toEqual([
      '3:3 the key "__proto__" is not allowed (it would replace the object\'s prototype instead of naming an entry)',
    ]);
    expect(located('migrations:\n  rules: { "__proto__": off }\n')).toEqual([expect.stringMatching(/^2:12 the key "__proto__" is not allowed/)]);
    const { policy, problems } = parsePolicyText('roles:\n  constructor: { description: c, members: [a] }\n', 'p.yaml');
    expect(errorsOf(problems)).toEqual([]);
    expect(Object.hasOwn(policy?.roles ?? {}, 'constructor')).toBe(true);
  });

  it('does not take a prototype key such as "constructor" or "toString" for a defined role or train', () => {
    expect(located('approvals:\n  patch:\n    - { id: owner, title: t, kind: approval, role: constructor }\n')).toEqual([
      expect.stringMatching(/^3:52 unknown role "constructor" \(roles: /),
    ]);
    expect(located('components:\n  module:\n    train: tostring\n')).toEqual([expect.stringMatching(/^3:12 unknown train "tostring"/)]);
  });

  it('reports a duplicate key at its second occurrence', () => {
    expect(located('version: 1\nfreeze:\n  before: 2d\n  before: 3d\n')).toEqual(['4:3 Map keys must be unique: "before" appears twice']);
  });

  it('refuses a list or mapping used as a key, which JavaScript objects cannot hold', () => {
    expect(located('version: 1\n? [a, b]\n: c\n')).toEqual(['2:3 a key must be a plain value, not a list or mapping']);
  });

  it('refuses nesting deeper than any policy needs', () => {
    expect(located(`version: 1\nx: ${'['.repeat(100)}${']'.repeat(100)}\n`)).toEqual([expect.stringMatching(/^2:\d+ nested more than 64 levels deep/)]);
  });

  it('bounds every duration, number and year the policy takes, at its position', () => {
    const text = [
      'freeze: { before: 99999999999999999999w }',
      'environments:',
      '  production: { soak: 9000h }',
      'communication:',
      '  - { id: early, at: -53w, title: t, actions: [{ channel: "#x", message: m }] }',
      'versioning:',
      '  major: { noticeDays: 100000000 }',
      'rollback:',
      '  automatic: { latency: { aboveBaselineFactor: 1e300 }, healthChecks: { failures: 1e12 } }',
      'notes: { highlights: 5000000000 }',
      'approvals:',
      '  patch:',
      '    - { id: owner, title: t, kind: approval, role: module-owner, count: 100000 }',
      'blackouts:',
      '  - { name: far, from: "9999-12-01", to: "9999-12-31" }',
      'trains:',
      '  module: { cadence: { rrule: "FREQ=WEEKLY", start: "0001-01-01T10:00" } }',
    ].join('\n');
    expect(located(text)).toEqual([
      '1:19 freeze.before: at most 366d (a year)',
      '3:23 environments.production.soak: at most 366d (a year)',
      '5:22 communication[0].at: at most 366d (a year) before the release',
      '7:24 versioning.major.noticeDays: Too big: expected number to be <=366',
      expect.stringMatching(/^9:48 rollback\.automatic\.latency\.aboveBaselineFactor: Too big/),
      expect.stringMatching(/^9:83 rollback\.automatic\.healthChecks\.failures: Too big/),
      expect.stringMatching(/^10:22 notes\.highlights: Too big/),
      expect.stringMatching(/^13:73 approvals\.patch\[0\]\.count: Too big/),
      '15:24 "9999-12-01": 9999 is outside the years shipgate plans for (1900 to 2199)',
      '15:42 "9999-12-31": 9999 is outside the years shipgate plans for (1900 to 2199)',
      '17:53 "0001-01-01T10:00": 1 is outside the years shipgate plans for (1900 to 2199)',
    ]);
    expect(located('freeze: { before: 366d }\nmetrics: { leadTime: { featureToProduction: 52w } }\n')).toEqual([]);
  });

  it('lists at most a dozen names in a message, however many there are', () => {
    const trains = Array.from({ length: 50 }, (_, i) => `  t${i}: { title: T, carries: [module], cadence: { rrule: "FREQ=WEEKLY", start: "2026-01-06T10:00" } }`);
    const [message] = located(['trains:', ...trains, 'components:', '  module: { train: nope }'].join('\n'));
    expect(message).toMatch(/unknown train "nope" \(trains: module, platform, product, t0, t1, .*, t8, and 41 more\)$/);
  });

  it('reports 40,000 problems in about the time it takes to read the YAML (linear, not quadratic)', () => {
    const text = ['version: 1', 'freeze:', ...Array.from({ length: 40_000 }, (_, i) => `  k${i}: 1`)].join('\n');
    const timed = (run: () => unknown) => {
      const started = performance.now();
      run();
      return performance.now() - started;
    };
    const reading = Math.min(timed(() => parseDocument(text, { uniqueKeys: false })), timed(() => parseDocument(text, { uniqueKeys: false })));
    let problems: readonly PolicyProblem[] = [];
    const checking = timed(() => (problems = parsePolicyText(text, 'big.yaml').problems));
    expect(errorsOf(problems)).toHaveLength(40_000);
    expect(errorsOf(problems)[0]).toMatchObject({ line: 3, col: 3, message: 'unknown key "k0"; expected one of: before, until, allow, rules, github' });
    // A ratio, so that a loaded machine slows both sides alike; quadratic code took ~90 times as long.
    expect(checking / reading).toBeLessThan(6);
  }, 120_000);
});
