import { describe, expect, it } from 'vitest';
import { builtinPolicy, parsePolicyText, type PolicyProblem } from './parse-policy.js';
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
