import { z } from 'zod';
import { MAX_DURATION, withinMaxDuration } from './duration-limit.js';
import { BUMPS, type Bump, type ReleaseType } from './release-kinds.js';

/**
 * The policy file's one source of truth. The JSON Schema in schema/ is generated from it, and the
 * built-in policy (default-policy.ts) is checked against it by the tests.
 *
 * A user file is deep-merged over the built-in policy before it is parsed here, so every field below
 * is required in the merged result; `.default()` is used only for things a user adds (a new train,
 * a new checklist item) where repeating every field would be noise.
 */

/** `30s`, `30m`, `24h`, `2d`, `2w`: short durations, as people write them in a policy. */
export const durationSchema = z
  .string()
  .regex(/^\d+(\.\d+)?(s|m|h|d|w)$/, 'a duration like "30s", "30m", "24h", "2d" or "2w"')
  .refine(withinMaxDuration, `at most ${MAX_DURATION.text} (a year)`);

/** SemVer 2.0.0's own regular expression (semver.org), without a leading "v". */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

const idSchema = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lowercase id such as "tech-lead"');
const bumpSchema = z.enum(BUMPS);
const levelSchema = z.enum(['error', 'warning', 'off']);
const localDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const localDateTimeSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, 'a local date-time YYYY-MM-DDTHH:MM');

export const releaseTypeSchema = z.strictObject({
  description: z.string(),
  /** When this type is used, as the policy lists it. */
  when: z.array(z.string()).default([]),
  /** Whether it rides a train (scheduled) or happens on demand. */
  onDemand: z.boolean(),
  /** Bump levels this type may carry. Hotfixes are PATCH only. */
  allowedBumps: z.array(bumpSchema).min(1),
  /** Whether the code freeze applies to changes of this type. */
  respectsFreeze: z.boolean(),
  /** Whether the approval matrix applies; emergencies bypass it. */
  requiresApprovals: z.boolean(),
  /** Whether the staging soak applies before production. */
  requiresSoak: z.boolean(),
  /** Branch the release is cut on, e.g. hotfix/v{version} from the production tag. */
  branch: z.string().nullable(),
  postMortem: z.strictObject({ required: z.boolean(), due: durationSchema }).nullable(),
});

const manifestSchema = z.enum(['package.json', 'Cargo.toml']);

export const componentKindSchema = z.strictObject({
  description: z.string(),
  /** Globs (one `*` per segment) of component directories. */
  paths: z.array(z.string()).min(1),
  /** The manifest that names the component and holds its version; null for manifest-less products. */
  manifest: manifestSchema.nullable(),
  /** Tag template: {name} and {version}. */
  tag: z.string().includes('{version}', { message: 'a tag template must contain {version}' }),
  /** The release commit message: {name}, {version}. */
  commitMessage: z.string(),
  /** Kinds whose versions a release of this kind carries (a product bundles modules). */
  bundles: z.array(idSchema).default([]),
  train: idSchema,
});

export const bundleSchema = z.strictObject({
  description: z.string(),
  tag: z.string().includes('{version}', { message: 'a tag template must contain {version}' }),
  members: z.array(idSchema).min(1),
  train: idSchema,
});

export const cadenceSchema = z.strictObject({
  /** RFC 5545 recurrence rule, e.g. FREQ=WEEKLY;INTERVAL=2;BYDAY=TU. */
  rrule: z.string(),
  /** The first occurrence, wall-clock in the train's time zone (RFC 5545 DTSTART). */
  start: localDateTimeSchema,
});

export const trainSchema = z.strictObject({
  title: z.string(),
  description: z.string().default(''),
  enabled: z.boolean().default(true),
  /** What rides this train: component kinds and bundles. */
  carries: z.array(idSchema).min(1),
  cadence: cadenceSchema,
  /** IANA zone the cadence's wall-clock times are in; defaults to the policy's. */
  timezone: z.string().nullable().default(null),
  contains: z.string().default(''),
});

export const blackoutSchema = z.strictObject({
  name: z.string(),
  from: localDateSchema,
  /** Inclusive last day of the blackout. */
  to: localDateSchema,
  trains: z.array(idSchema).nullable().default(null),
  /** skip: drop releases inside; next/previous: move them to the first allowed day after/before. */
  action: z.enum(['skip', 'next', 'previous']).default('skip'),
});

/** An environment variable's name: secrets (webhook URLs, tokens, passwords) are named, never written, in a policy. */
export const envNameSchema = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name such as SLACK_ENGINEERING_URL');

const emailAddressSchema = z.string().regex(/^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/, 'an email address such as releases@example.com');

/** Where the release branch is locked during the freeze: GitHub branch protection, with a token from the environment. */
export const githubLockSchema = z.strictObject({
  /** owner/name on GitHub. */
  repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'a repository as owner/name'),
  tokenEnv: envNameSchema,
  /** The REST API's root; https, or http on loopback (a local stand-in). */
  apiUrl: z.string().default('https://api.github.com'),
});

export const freezeSchema = z.strictObject({
  /** How long before a release the freeze starts, on the wall clock (2d = same time two days earlier). */
  before: durationSchema,
  /** When it ends: the release cut (staging deploy) or the production deploy. */
  until: z.enum(['release', 'production']),
  /** Conventional Commit types that may merge during a freeze. */
  allow: z.array(z.string()).min(1),
  rules: z.array(z.string()),
  /** Where set, the release branch is locked on GitHub from the freeze's start until its end. */
  github: githubLockSchema.nullable().default(null),
});

/**
 * A named place messages go, which the communication steps' channels refer to: `#engineering` is the
 * channel named engineering, `email:stakeholders` the one named stakeholders. Exactly one of its kinds.
 */
export const channelConfigSchema = z.strictObject({
  /** A Slack incoming webhook; the variable holds its URL (the URL is the secret). */
  slack: z.strictObject({ webhookEnv: envNameSchema }).optional(),
  email: z.strictObject({ to: z.array(emailAddressSchema).min(1), cc: z.array(emailAddressSchema).default([]) }).optional(),
  /** A generic webhook: POST JSON, signed with HMAC-SHA256 of the body in X-Shipgate-Signature. */
  webhook: z.strictObject({ urlEnv: envNameSchema, secretEnv: envNameSchema }).optional(),
});

export const notifySchema = z.strictObject({
  email: z.strictObject({
    /** The From of every email; the SMTP server (smtp://user:password@host:port) comes from the variable. */
    from: z.string().min(3),
    smtpUrlEnv: envNameSchema,
  }),
  /** How long one send may take before it counts as failed (and is retried). */
  timeoutSeconds: z.number().positive().max(300),
  /** Sends of one message before it is given up (with backoff between them). */
  maxAttempts: z.number().int().min(1).max(50),
});

const channelSchema = z.string().regex(/^(#[\w.-]+|email:[\w.-]+|webhook:[\w.-]+|calendar|notes|docs|status-page)$/, {
  message: 'a channel: "#slack-channel", "email:<list>", "webhook:<name>", "calendar", "notes", "docs" or "status-page"',
});

export const noticeSchema = z.strictObject({
  id: idSchema,
  /** Relative to the release: "-7d" is seven days before; "release" and "after-release" are the day itself. */
  at: z.union([z.string().regex(/^-\d+(\.\d+)?(m|h|d|w)$/, 'an offset like "-7d"').refine(withinMaxDuration, `at most ${MAX_DURATION.text} (a year) before the release`), z.enum(['release', 'after-release'])]),
  title: z.string(),
  actions: z.array(z.strictObject({ channel: channelSchema, message: z.string() })).min(1),
  /** Only for releases of these bump levels; null for all. */
  bumps: z.array(bumpSchema).nullable().default(null),
  /** The words of the step's message, with {placeholders}; null: a plain line built from the action's message. */
  template: z.strictObject({ subject: z.string(), text: z.string() }).nullable().default(null),
  /** Whether {notes} holds the release's notes (Markdown); otherwise it is empty. */
  notes: z.boolean().default(false),
});

const requirementSchema = z.strictObject({
  id: idSchema,
  title: z.string(),
});

export const versionRuleSchema = z.strictObject({
  meaning: z.array(z.string()),
  /** Days between the release's notice and its ship date. */
  noticeDays: z.number().int().min(0).max(366),
  requires: z.array(requirementSchema),
});

export const checklistItemSchema = z.strictObject({
  id: idSchema,
  title: z.string(),
  /** What proves it; the gates read this evidence. */
  evidence: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('junit'), paths: z.array(z.string()).min(1), suites: z.array(z.string()).default([]) }),
    z.strictObject({ kind: z.literal('sarif'), paths: z.array(z.string()).min(1), failOn: z.enum(['error', 'warning', 'note']).default('error') }),
    z.strictObject({ kind: z.literal('changed-files'), paths: z.array(z.string()).min(1) }),
    z.strictObject({ kind: z.literal('file'), paths: z.array(z.string()).min(1) }),
  ]),
  /** always, or only for releases with breaking changes. */
  when: z.enum(['always', 'breaking']).default('always'),
});

export const approvalRuleSchema = z.strictObject({
  id: idSchema,
  title: z.string(),
  kind: z.enum(['approval', 'check', 'notice', 'review']),
  /** For approvals: which role, how many distinct people. */
  role: idSchema.nullable().default(null),
  count: z.number().int().min(1).max(100).default(1),
  /** For checks: the checklist item or smoke-test result that satisfies it. */
  evidence: idSchema.nullable().default(null),
});

export const roleSchema = z.strictObject({
  description: z.string(),
  members: z.array(z.string()).default([]),
  /** Read members from CODEOWNERS for the component's path instead of the list. */
  fromCodeowners: z.boolean().default(false),
});

/** An argument list run without a shell: a placeholder fills one argument and never splits or injects. */
const argvSchema = z.array(z.string()).min(1);

export const commandTargetSchema = z.strictObject({
  type: z.literal('command'),
  deploy: argvSchema,
  /** Prints the version running now (a bare version, `v2.1.0`, or an image reference ending in `:2.1.0`). */
  current: argvSchema,
  /** Defaults to `deploy` run with the older version. */
  rollback: argvSchema.nullable().default(null),
  /** Each command is stopped after this long. */
  timeout: durationSchema.default('10m'),
});

export const kubernetesTargetSchema = z.strictObject({
  type: z.literal('kubernetes'),
  /** Defaults to the environment's namespace. */
  namespace: z.string().nullable().default(null),
  deployment: z.string().default('{name}'),
  container: z.string().default('{name}'),
  /** The kubeconfig context; null for the current one (or the in-cluster account). */
  context: z.string().nullable().default(null),
  /** How long a rollout may take before the deploy fails. */
  timeout: durationSchema.default('10m'),
});

export const targetSchema = z.discriminatedUnion('type', [commandTargetSchema, kubernetesTargetSchema]);

export const httpCheckSchema = z.strictObject({
  url: z.string().regex(/^https?:\/\/\S+$/, 'an http(s) URL'),
  expect: z.number().int().min(100).max(599).default(200),
});

/** Argo Rollouts' AnalysisTemplate words: `count` measurements every `interval`, failed beyond `failureLimit`. */
export const analysisSchema = z.strictObject({
  interval: durationSchema,
  count: z.number().int().min(1).max(1000),
  failureLimit: z.number().int().min(0).max(1000).default(0),
  inconclusiveLimit: z.number().int().min(0).max(1000).default(0),
  /** Measurements that could not be taken in a row (Prometheus unreachable) before the analysis is inconclusive. */
  consecutiveErrorLimit: z.number().int().min(0).max(1000).default(4),
  /** PromQL; `{window}` is the interval (e.g. `[{window}]`), with the deploy placeholders. */
  prometheus: z
    .strictObject({
      url: z.string().regex(/^https?:\/\/\S+$/, 'an http(s) URL'),
      errorRate: z.string().min(1).nullable().default(null),
      latency: z.string().min(1).nullable().default(null),
    })
    .nullable()
    .default(null),
  health: z.array(httpCheckSchema).default([]),
});

export const environmentSchema = z.strictObject({
  /** Which environment must be reached first, and how long it must soak there. */
  after: idSchema.nullable(),
  soak: durationSchema.nullable(),
  namespace: z.string(),
  strategy: z.enum(['rolling', 'recreate', 'canary']),
  /** A command line (split on spaces, run without a shell), or HTTP checks. */
  smokeTests: z.union([z.string(), z.strictObject({ http: z.array(httpCheckSchema).min(1) })]).nullable(),
  postDeploy: z.array(z.string()).default([]),
  /** How shipgate deploys, reads and rolls back the running version; null: deploys are refused. */
  target: targetSchema.nullable().default(null),
  /** Measured after each deploy; failed rolls back. */
  analysis: analysisSchema.nullable().default(null),
});

export const rollbackSchema = z.strictObject({
  automatic: z.strictObject({
    errorRate: z.strictObject({ above: z.number().min(0).max(1) }),
    latency: z.strictObject({ aboveBaselineFactor: z.number().positive().max(1000) }),
    healthChecks: z.strictObject({ failures: z.number().int().min(1).max(1000) }),
  }),
  manual: z.strictObject({
    allowed: z.boolean(),
    /** Roles whose members may roll back by hand (CLI, API, dashboard); null: the waiver roles (gates.waivers.roles). */
    roles: z.array(idSchema).nullable().default(null),
  }),
});

export const migrationsSchema = z.strictObject({
  paths: z.array(z.string()),
  rules: z.record(z.string(), levelSchema),
  forwardOnly: z.boolean(),
  requireDown: z.boolean(),
  neverDropColumns: z.boolean(),
  addColumnsNullableFirst: z.boolean(),
  deprecationMarker: z.string().min(1),
});

export const notesSectionSchema = z.strictObject({
  id: idSchema,
  title: z.string(),
  /** What the section says when it has nothing in it. */
  empty: z.string(),
});

export const metricsSchema = z.strictObject({
  leadTime: z.strictObject({ commitToDeploy: durationSchema, featureToProduction: durationSchema }),
  deploymentFrequency: z.strictObject({ patch: z.enum(['daily', 'weekly', 'biweekly', 'monthly']), minor: z.enum(['daily', 'weekly', 'biweekly', 'monthly']) }),
  changeFailureRate: z.strictObject({ below: z.number().min(0).max(1) }),
  mttr: z.strictObject({ below: durationSchema }),
  /** The environment whose deploys the metrics count; null: "production", else the last of the environments' order. */
  environment: idSchema.nullable().default(null),
  /** The GitHub issue label that makes an issue an incident (the issues webhook). */
  incidentLabel: z.string().min(1).max(100).default('incident'),
  /** The window `shipgate metrics` reports on when no --since is given, ending now. */
  window: durationSchema.default('90d'),
});

export const artifactsSchema = z.strictObject({
  /** Image reference without a tag: registry host, repository ({name}). */
  image: z.string(),
  /** {version} is the release's own tag; the others ({major}, {major}.{minor}, latest) float, SemVer-aware. */
  tags: z.array(z.string()).min(1),
  /** `docker build` (only where a Docker engine runs): the context and Dockerfile, relative to the component. */
  build: z.strictObject({ context: z.string(), dockerfile: z.string() }).default({ context: '.', dockerfile: 'Dockerfile' }),
  /** When the pipeline moves the floating tags: once the release runs in its last environment, or only by `shipgate artifacts --push`. */
  promote: z.enum(['after-production', 'manual']).default('after-production'),
});

/** A post-release item: evidence shipgate has (the last deployment's health, its analysis) or a person's sign-off. */
export const postReleaseItemSchema = z.union([
  z.string().min(1),
  z.strictObject({
    id: idSchema,
    title: z.string(),
    evidence: z.enum(['deployment-health', 'analysis']).nullable().default(null),
    /** Who may sign it off; null: anyone identified. */
    role: idSchema.nullable().default(null),
  }),
]);

export const branchesSchema = z.strictObject({
  main: z.strictObject({ name: z.string(), protected: z.boolean(), alwaysDeployable: z.boolean() }),
  release: z.string(),
  hotfix: z.string(),
});

export const policySchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1),
  organization: z.string(),
  timezone: z.string(),
  // One key per release type of release-kinds.ts, no more and no fewer.
  releaseTypes: z.strictObject({ scheduled: releaseTypeSchema, hotfix: releaseTypeSchema, emergency: releaseTypeSchema } satisfies Record<ReleaseType, unknown>),
  components: z.record(idSchema, componentKindSchema),
  bundles: z.record(idSchema, bundleSchema),
  trains: z.record(idSchema, trainSchema),
  blackouts: z.array(blackoutSchema),
  freeze: freezeSchema,
  communication: z.array(noticeSchema),
  /** The named channels the communication steps send to; none: nothing is sent. */
  channels: z.record(idSchema, channelConfigSchema),
  notify: notifySchema,
  versioning: z.strictObject({
    scheme: z.literal('semver-2.0.0'),
    /** Before 1.0.0 a breaking change bumps MINOR (as npm and Cargo treat 0.x). */
    zeroMajorBreakingBumps: z.enum(['minor', 'major']),
    /** What each Conventional Commit type bumps; types not listed bump nothing. */
    commitTypes: z.record(z.string().regex(/^[a-z][\w-]*$/), z.enum(['major', 'minor', 'patch', 'none'])),
    /** A commit message that is not a Conventional Commit: reported, and then ignored, a patch, or an error. */
    nonConventional: z.enum(['ignore', 'patch', 'error']),
    /** Pre-release identifier for staging candidates: 2.1.0-rc.1. */
    prerelease: z.string().regex(/^[0-9A-Za-z-]+$/),
    /** A workspace dependent whose range a new version leaves: released as a PATCH, or only warned about. */
    dependents: z.enum(['patch', 'none']),
    /** The first release of a component whose manifest has no version or a placeholder (0.0.0, 0.0.0-development). */
    initialVersion: z.string().regex(SEMVER, 'a SemVer version such as 1.0.0'),
    major: versionRuleSchema,
    minor: versionRuleSchema,
    patch: versionRuleSchema,
  }),
  checklist: z.array(checklistItemSchema),
  approvals: z.strictObject({ major: z.array(approvalRuleSchema), minor: z.array(approvalRuleSchema), patch: z.array(approvalRuleSchema) }),
  roles: z.record(idSchema, roleSchema),
  branches: branchesSchema,
  artifacts: artifactsSchema,
  environments: z.record(idSchema, environmentSchema),
  postRelease: z.array(postReleaseItemSchema),
  rollback: rollbackSchema,
  migrations: migrationsSchema,
  notes: z.strictObject({
    /** The sections and their order; a section id not listed is left out of the notes. */
    sections: z.array(notesSectionSchema).min(1),
    /** Link for a PR number ({number}); null derives it from the origin remote (GitHub, GitLab). */
    prLink: z.string().nullable(),
    /** How many features make the highlights when no commit carries a `Highlight:` footer. */
    highlights: z.number().int().min(0).max(100),
    /** Files, relative to the component ({name}, {version}, {major}): its migration guide and known issues. */
    migrationGuide: z.array(z.string()),
    knownIssues: z.array(z.string()),
    /** Extra dependency lines per component name, e.g. { billing: ["Requires platform v3.1.0+"] }. */
    dependencies: z.record(z.string(), z.array(z.string())),
    /** Wording of the generated lines; placeholders in braces. */
    templates: z.strictObject({
      title: z.string(),
      date: z.string(),
      feature: z.string(),
      item: z.string(),
      pr: z.string(),
      deprecation: z.string(),
      removed: z.string(),
      requires: z.string(),
      compatible: z.string(),
      member: z.string(),
    }),
  }),
  metrics: metricsSchema,
  /** Where releases and their event log are kept. A PostgreSQL URL comes from --db or SHIPGATE_DATABASE_URL, never from the policy file, since URLs carry passwords. */
  store: z.strictObject({ sqlite: z.string().min(1) }),
  identity: z.strictObject({
    /** Whether `--as <email>` may name the caller instead of the git identity (e.g. a CI bot acting for a person). */
    allowAs: z.boolean(),
    /** Whether approvals and waivers may only be given through `shipgate serve` (a token), never by a local CLI. */
    requireServer: z.boolean(),
    /** CODEOWNERS handles and teams (@alice, @org/billing) to the git emails of the people behind them. */
    handles: z.record(z.string().regex(/^@[\w./-]+$/, 'a handle like "@alice" or "@org/team"'), z.array(z.string())).default({}),
  }),
  /** What `shipgate serve` does on its own, on the durable job engine. */
  server: z.strictObject({
    /** How often the server fetches its clone (a push webhook fetches at once as well). */
    fetchInterval: durationSchema,
    /** How far ahead the policy's timeline (freezes, communication steps) is planted as jobs. */
    timelineWindow: durationSchema,
    /** How often the timeline is planted again, so the window rolls and policy changes reach it. */
    timelineInterval: durationSchema,
  }),
  gates: z.strictObject({
    /** JUnit reports of the smoke tests, for approval rules whose evidence is "smoke-tests". */
    smokeTests: z.strictObject({ paths: z.array(z.string()).min(1), suites: z.array(z.string()).default([]) }),
    /** The RFC a MAJOR release needs ({name}, {version}, {major}); relative to the component, then the repository. */
    rfc: z.strictObject({ paths: z.array(z.string()).min(1) }),
    /** Where CODEOWNERS is looked for, first found wins (GitHub's order). */
    codeowners: z.array(z.string()).min(1),
    /** Roles whose members may waive a gate; an empty list lets anyone identified waive. */
    waivers: z.strictObject({ roles: z.array(idSchema) }),
  }),
});

export type Policy = z.infer<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;
export type Train = z.infer<typeof trainSchema>;
export type Blackout = z.infer<typeof blackoutSchema>;
export type Notice = z.infer<typeof noticeSchema>;
export type ChannelConfig = z.infer<typeof channelConfigSchema>;
export type { Bump, ReleaseType };
export type Environment = z.infer<typeof environmentSchema>;
export type Target = z.infer<typeof targetSchema>;
export type AnalysisSpec = z.infer<typeof analysisSchema>;
export type HttpCheck = z.infer<typeof httpCheckSchema>;
