import type { PolicyInput } from './schema.js';

/**
 * The built-in policy: shared/policy/RELEASE-POLICY.md (v1.0, 2026-02-11), every rule of it, as data.
 * Where the document is silent a choice was made and is marked "policy is silent".
 */
export const defaultPolicy = {
  version: 1,
  organization: '7D Solutions Platform',
  timezone: 'America/Los_Angeles',

  releaseTypes: {
    scheduled: {
      description: 'Scheduled release on its train: accumulated features and fixes.',
      when: ['On the train date'],
      onDemand: false,
      allowedBumps: ['major', 'minor', 'patch'],
      respectsFreeze: true,
      requiresApprovals: true,
      requiresSoak: true,
      branch: 'release/v{version}',
      postMortem: null,
    },
    hotfix: {
      description: 'On-demand, immediate; skips the normal release cycle; PATCH version bump.',
      when: ['Critical bugs', 'Security vulnerabilities', 'Data corruption issues'],
      onDemand: true,
      allowedBumps: ['patch'],
      respectsFreeze: false,
      requiresApprovals: true,
      requiresSoak: false,
      branch: 'hotfix/v{version}',
      postMortem: null,
    },
    emergency: {
      description: 'Bypasses normal approvals and deploys immediately; a post-mortem is required.',
      when: ['Production down', 'Security breach', 'Data loss risk'],
      onDemand: true,
      allowedBumps: ['major', 'minor', 'patch'],
      respectsFreeze: false,
      requiresApprovals: false,
      requiresSoak: false,
      branch: 'hotfix/v{version}',
      // policy is silent on the deadline: five days is a common post-mortem SLA.
      postMortem: { required: true, due: '5d' },
    },
  },

  components: {
    module: {
      description: 'npm package; bumped with `npm version`.',
      paths: ['modules/*'],
      manifest: 'package.json',
      tag: '{name}/v{version}',
      commitMessage: 'Release {name} v{version}',
      bundles: [],
      train: 'module',
    },
    platform: {
      description: 'Rust crate; version edited in Cargo.toml.',
      paths: ['platform/*'],
      manifest: 'Cargo.toml',
      tag: 'platform-{name}-v{version}',
      commitMessage: 'Release {name} v{version}',
      bundles: [],
      train: 'platform',
    },
    product: {
      description: 'Product that bundles module versions.',
      paths: ['products/*'],
      manifest: 'package.json',
      tag: '{name}/v{version}',
      commitMessage: 'Release {name} v{version}',
      bundles: ['module'],
      train: 'product',
    },
  },

  bundles: {
    platform: {
      description: 'The monthly platform release: the versions of the platform crates it ships.',
      tag: 'platform/v{version}',
      members: ['platform'],
      train: 'platform',
    },
  },

  trains: {
    module: {
      title: 'Module',
      description: 'Every 2 weeks (biweekly), Tuesday 10 AM PT.',
      carries: ['module'],
      // policy is silent on the anchor: the first Tuesday of 2026.
      cadence: { rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', start: '2026-01-06T10:00' },
      timezone: null,
      contains: 'Accumulated features and fixes',
    },
    platform: {
      title: 'Platform',
      description: 'Monthly, first Tuesday of the month.',
      carries: ['platform'],
      // policy is silent on the hour: 10 AM PT like the module train.
      cadence: { rrule: 'FREQ=MONTHLY;BYDAY=1TU', start: '2026-01-06T10:00' },
      timezone: null,
      contains: 'Platform improvements, security updates',
    },
    product: {
      title: 'Product',
      description: 'Monthly, second Tuesday of the month.',
      carries: ['product'],
      cadence: { rrule: 'FREQ=MONTHLY;BYDAY=2TU', start: '2026-01-13T10:00' },
      timezone: null,
      contains: 'New features, module updates',
    },
  },

  blackouts: [],

  freeze: {
    before: '2d',
    until: 'release',
    allow: ['fix'],
    rules: ['No new features merged', 'Only bug fixes allowed', 'Final testing begins'],
    // policy is silent on how the branch is locked: on GitHub, only where the policy names the repository.
    github: null,
  },

  communication: [
    {
      id: 'pre-release-notice',
      at: '-7d',
      title: '7 days before',
      actions: [
        { channel: '#engineering', message: 'Post the upcoming release' },
        { channel: 'email:stakeholders', message: 'Email stakeholders' },
        { channel: 'calendar', message: 'Update the release calendar' },
      ],
      template: {
        subject: '{component} v{version} ships on {date}',
        text: '{component} v{version} ({bump}) rides the {train} release on {date} at {time} ({timezone}).\nThe code freeze starts {freezeStart}.',
      },
    },
    {
      id: 'code-freeze-reminder',
      at: '-2d',
      title: '2 days before (code freeze)',
      actions: [
        { channel: '#engineering', message: 'Code freeze reminder' },
        { channel: 'calendar', message: 'Lock the release branch' },
      ],
      template: {
        subject: 'Code freeze: {component} v{version}',
        text: 'The code freeze for the {train} release starts {freezeStart} and lasts until {freezeEnd}: only bug fixes merge.\n{component} v{version} ships on {date} at {time} ({timezone}).',
      },
    },
    {
      id: 'release-day',
      at: 'release',
      title: 'During release',
      actions: [
        { channel: '#releases', message: 'Status updates' },
        { channel: 'status-page', message: 'Monitor dashboards' },
      ],
      template: {
        subject: 'Releasing {component} v{version}',
        text: '{component} v{version} is being released now ({date} {time}, {timezone}).\n\n{notes}',
      },
      notes: true,
    },
    {
      id: 'post-release',
      at: 'after-release',
      title: 'Post-release',
      actions: [
        { channel: '#engineering', message: 'Success announcement' },
        { channel: 'notes', message: 'Release notes published' },
        { channel: 'email:customers', message: 'Customer notification (if applicable)' },
      ],
      template: {
        subject: '{component} v{version} is released',
        text: '{component} v{version} is released.\n\n{notes}',
      },
      notes: true,
    },
  ],

  // policy is silent on where messages go: none are sent until the policy names its channels.
  channels: {},

  // policy is silent on how messages are sent: the SMTP server from the environment, 10 s a send, 8 tries.
  notify: {
    email: { from: 'shipgate <releases@localhost>', smtpUrlEnv: 'SHIPGATE_SMTP_URL' },
    timeoutSeconds: 10,
    maxAttempts: 8,
  },

  versioning: {
    scheme: 'semver-2.0.0',
    zeroMajorBreakingBumps: 'minor',
    // The policy maps features to MINOR and fixes, security patches and performance to PATCH.
    commitTypes: { feat: 'minor', fix: 'patch', perf: 'patch', security: 'patch', revert: 'patch' },
    // policy is silent: like semantic-release and release-please, other messages are reported and ignored.
    nonConventional: 'ignore',
    prerelease: 'rc',
    // policy is silent: as changesets does, a dependent whose range the new version leaves gets a PATCH.
    dependents: 'patch',
    // policy is silent: semantic-release's first release.
    initialVersion: '1.0.0',
    major: {
      meaning: ['Breaking API changes', 'Incompatible changes'],
      noticeDays: 30,
      requires: [
        { id: 'rfc', title: 'RFC document' },
        { id: 'migration-guide', title: 'Migration guide' },
        { id: 'notice', title: '30-day notice' },
        { id: 'tech-lead-approval', title: 'Approval from tech lead' },
      ],
    },
    minor: {
      meaning: ['New backward-compatible features', 'New optional API endpoints', 'Deprecations'],
      noticeDays: 7,
      requires: [
        { id: 'pr-approval', title: 'PR approval' },
        { id: 'docs', title: 'Updated documentation' },
        { id: 'notice', title: '7-day notice' },
      ],
    },
    patch: {
      meaning: ['Bug fixes', 'Security patches', 'Performance improvements'],
      noticeDays: 0,
      requires: [{ id: 'pr-approval', title: 'Standard PR approval' }],
    },
  },

  checklist: [
    { id: 'tests', title: 'All tests passing', evidence: { kind: 'junit', paths: ['reports/junit/**/*.xml'] } },
    { id: 'contract-tests', title: 'Contract tests passing', evidence: { kind: 'junit', paths: ['reports/contract/**/*.xml'] } },
    { id: 'performance-tests', title: 'Performance tests passing', evidence: { kind: 'junit', paths: ['reports/performance/**/*.xml'] } },
    { id: 'security-scan', title: 'Security scan passing', evidence: { kind: 'sarif', paths: ['reports/**/*.sarif'], failOn: 'error' } },
    { id: 'docs', title: 'Documentation updated', evidence: { kind: 'changed-files', paths: ['docs/**', '**/*.md'] } },
    { id: 'changelog', title: 'CHANGELOG.md updated', evidence: { kind: 'changed-files', paths: ['CHANGELOG.md'] } },
    { id: 'migration-guide', title: 'Migration guide written (if breaking)', evidence: { kind: 'file', paths: ['MIGRATION.md', 'docs/migration/v{major}.md'] }, when: 'breaking' },
  ],

  approvals: {
    patch: [
      { id: 'owner-approval', title: '1 approval from module owner', kind: 'approval', role: 'module-owner', count: 1 },
      { id: 'ci', title: 'CI passing', kind: 'check', evidence: 'tests' },
      { id: 'smoke-tests', title: 'Smoke tests passing', kind: 'check', evidence: 'smoke-tests' },
    ],
    minor: [
      { id: 'team-approvals', title: '2 approvals from module team', kind: 'approval', role: 'module-team', count: 2 },
      { id: 'tech-lead-sign-off', title: 'Tech lead sign-off', kind: 'approval', role: 'tech-lead', count: 1 },
      { id: 'full-test-suite', title: 'Full test suite passing', kind: 'check', evidence: 'tests' },
      { id: 'contract-tests', title: 'Contract tests passing', kind: 'check', evidence: 'contract-tests' },
    ],
    major: [
      { id: 'architecture-review', title: 'Architecture review', kind: 'review', role: 'architecture-review', count: 1 },
      { id: 'tech-lead-approval', title: 'Tech lead approval', kind: 'approval', role: 'tech-lead', count: 1 },
      { id: 'product-approval', title: 'Product team approval', kind: 'approval', role: 'product-team', count: 1 },
      { id: 'notice-period', title: '30-day notice period completed', kind: 'notice' },
      { id: 'migration-guide-review', title: 'Migration guide reviewed', kind: 'review', role: 'tech-lead', count: 1, evidence: 'migration-guide' },
    ],
  },

  roles: {
    'module-owner': { description: 'Owner of the component, from CODEOWNERS', fromCodeowners: true },
    'module-team': { description: 'Engineers of the component team', fromCodeowners: true },
    'tech-lead': { description: 'Tech leads', members: [] },
    'product-team': { description: 'Product team', members: [] },
    'architecture-review': { description: 'Architecture reviewers', members: [] },
  },

  branches: {
    main: { name: 'main', protected: true, alwaysDeployable: true },
    release: 'release/v{version}',
    hotfix: 'hotfix/v{version}',
  },

  artifacts: {
    image: 'ghcr.io/7d-solutions/{name}',
    tags: ['{version}', '{major}', 'latest'],
  },

  environments: {
    staging: { after: null, soak: null, namespace: 'staging', strategy: 'rolling', smokeTests: 'tools/ci/smoke-tests.sh staging' },
    production: {
      after: 'staging',
      soak: '24h',
      namespace: 'production',
      strategy: 'rolling',
      smokeTests: 'tools/ci/smoke-tests.sh production',
    },
  },

  postRelease: [
    // The first three are what the deploy's analysis measured; the rest are people's sign-offs.
    { id: 'deployment-health', title: 'Verify deployment health', evidence: 'deployment-health' },
    { id: 'error-rates', title: 'Monitor error rates', evidence: 'analysis' },
    { id: 'performance', title: 'Check performance metrics', evidence: 'analysis' },
    'Update release notes',
    'Announce in #engineering',
    'Update customer documentation',
  ],

  rollback: {
    automatic: {
      errorRate: { above: 0.05 },
      latency: { aboveBaselineFactor: 2 },
      // policy says "failed health checks": one failure is the strictest reading.
      healthChecks: { failures: 1 },
    },
    // policy is silent on who rolls back by hand: null is the waiver roles, the tech leads.
    manual: { allowed: true, roles: null },
  },

  migrations: {
    paths: ['migrations', 'db/migrations'],
    rules: {},
    forwardOnly: true,
    requireDown: true,
    neverDropColumns: true,
    addColumnsNullableFirst: true,
    deprecationMarker: 'deprecated',
  },

  notes: {
    sections: [
      { id: 'highlights', title: 'Highlights', empty: 'None' },
      { id: 'features', title: 'Features', empty: 'None' },
      { id: 'fixes', title: 'Fixes', empty: 'None' },
      { id: 'performance', title: 'Performance', empty: 'None' },
      { id: 'breaking', title: 'Breaking Changes', empty: 'None' },
      { id: 'deprecations', title: 'Deprecations', empty: 'None' },
      { id: 'migration', title: 'Migration Guide', empty: 'No migration required.' },
      { id: 'dependencies', title: 'Dependencies', empty: 'None' },
      { id: 'known-issues', title: 'Known Issues', empty: 'None' },
    ],
    prLink: null,
    highlights: 3,
    migrationGuide: ['MIGRATION.md', 'docs/migration/v{major}.md'],
    knownIssues: ['KNOWN-ISSUES.md'],
    dependencies: {},
    // The wording of the policy's example notes (Billing v2.1.0).
    templates: {
      title: '# {Name} v{version}',
      date: '**Release Date:** {date}',
      feature: '- **{title}**{pr}\n  {body}',
      item: '- {title}{pr}',
      pr: ' ([#{number}]({url}))',
      deprecation: '- {what}{replacement}\n  Will be removed in {removal}',
      removed: '- Removed {what} (deprecated since v{since})',
      requires: '- Requires {name} v{version}+',
      compatible: '- Compatible with {name} {kind} v{version}+',
      member: '## {Name} v{version}',
    },
  },

  metrics: {
    leadTime: { commitToDeploy: '24h', featureToProduction: '2w' },
    deploymentFrequency: { patch: 'daily', minor: 'biweekly' },
    changeFailureRate: { below: 0.05 },
    mttr: { below: '1h' },
    // policy is silent on these: production's deploys, GitHub's "incident" label, the last 90 days (as Four Keys' dashboard looks back 3 months).
    environment: null,
    incidentLabel: 'incident',
    window: '90d',
  },

  store: { sqlite: '.shipgate/shipgate.db' },

  // policy is silent on identity: the git identity, no impersonation.
  identity: { allowAs: false, handles: {}, requireServer: false },

  // policy is silent on the server: fetch every 5 minutes, plan the timeline a month ahead, hourly.
  server: { fetchInterval: '5m', timelineWindow: '30d', timelineInterval: '1h' },

  gates: {
    // policy is silent on where smoke-test results land: JUnit XML under reports/smoke/.
    smokeTests: { paths: ['reports/smoke/**/*.xml'] },
    rfc: { paths: ['RFC.md', 'docs/rfc/{name}-v{major}.md'] },
    codeowners: ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'],
    // policy is silent on waivers: tech leads sign off releases, so they may waive a gate.
    waivers: { roles: ['tech-lead'] },
  },
} satisfies PolicyInput;
