import { z } from '@hono/zod-openapi';
import { RELEASE_STATES } from '../gates/types.js';
import { JOB_STATES } from '../jobs/job-types.js';
import { BUMPS, RELEASE_TYPES } from '../policy/release-kinds.js';

/*
 * The request schemas that validate every request and, with the response schemas, make the OpenAPI
 * document: one source for both. Responses are the JSON `shipgate ... --json` prints.
 */

/** A component name as shipgate discovers it (a directory's name): no slash, no `..`, no quote. */
const COMPONENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const RELEASE_REF = new RegExp(`^${COMPONENT.source.slice(1, -1)}(?:@${VERSION.source.slice(1, -1)})?$`);

export const componentName = z.string().regex(COMPONENT, 'a component name such as "billing"');

export const releaseParams = z.object({
  id: z
    .string()
    .max(200)
    .regex(RELEASE_REF, 'a release: <component>@<version> (e.g. billing@2.1.0), or a component for its newest open release')
    .openapi({ param: { name: 'id', in: 'path' }, example: 'billing@2.1.0' }),
});

export const notesParams = z.object({
  target: z
    .string()
    .max(200)
    .regex(RELEASE_REF, 'a component or bundle, optionally with a past version: billing@2.1.0')
    .openapi({ param: { name: 'target', in: 'path' }, example: 'billing' }),
});

const text = (max: number) => z.string().max(max);
const time = z.string().max(40).openapi({ description: '"now", a date YYYY-MM-DD or an ISO 8601 date-time (the policy\'s time zone unless it has an offset)' });
const trains = z
  .union([z.string().regex(/^[a-z][a-z0-9-]*$/), z.array(z.string().regex(/^[a-z][a-z0-9-]*$/)).max(50)])
  .optional()
  .transform((value) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]))
  .openapi({ description: 'only these trains (repeat the parameter for several)' });
const releaseType = z.enum(RELEASE_TYPES);
const flag = z.enum(['true', 'false']).optional().transform((value) => value === 'true');

export const calendarQuery = z.object({ from: time.optional(), to: time.optional(), train: trains, versions: z.enum(['true', 'false']).optional().transform((value) => value !== 'false') });
export const icsQuery = z.object({
  from: time.optional(),
  to: time.optional(),
  train: trains,
  token: z.string().max(200).optional().openapi({ description: 'a calendar feed token (`shipgate token create --scope calendar`), for calendar apps, which cannot send a header; any other token is refused here' }),
});
export const freezeQuery = z.object({ at: time.optional(), train: trains });
export const planQuery = z.object({ type: releaseType.default('scheduled'), train: z.string().regex(/^[a-z][a-z0-9-]*$/).optional(), prerelease: flag });
export const notesQuery = z.object({ format: z.enum(['markdown', 'html', 'json']).default('markdown'), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD').optional() });
export const releasesQuery = z.object({
  component: componentName.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100).openapi({ description: 'at most this many releases (a page); the `Link: <…>; rel="next"` header gives the next page' }),
  after: z.string().max(200).regex(RELEASE_REF, 'a release id: the last one of the previous page').optional().openapi({ description: 'the id of the last release of the previous page' }),
});
export const gatesQuery = z.object({ at: time.optional() });
export const jobsQuery = z.object({
  state: z.enum(JOB_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  before: z.coerce.number().int().min(1).optional(),
});

export const createReleaseBody = z.strictObject({ component: componentName, type: releaseType.default('scheduled') }).openapi('CreateRelease');
export const approvalBody = z.strictObject({ role: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a role id such as "tech-lead"'), comment: text(10_000).optional() }).openapi('Approval');
export const waiverBody = z.strictObject({ gate: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, 'a gate id such as checklist.performance-tests'), reason: text(10_000).min(1) }).openapi('Waiver');
export const noticeBody = z.strictObject({ comment: text(10_000).optional() }).openapi('Notice');
export const postmortemBody = z.strictObject({ url: z.string().max(2_000).url() }).openapi('Postmortem');
export const candidateBody = z.strictObject({ commit: z.string().regex(/^[0-9a-f]{7,64}$/, 'a commit sha (hex)').optional() }).openapi('Candidate');
export const abandonBody = z.strictObject({ reason: text(10_000).min(1) }).openapi('Abandon');

export const releaseRecord = z
  .object({
    id: z.string(),
    component: z.string(),
    kind: z.string(),
    path: z.string(),
    version: z.string(),
    tag: z.string().nullable(),
    lastTag: z.string().nullable(),
    bump: z.enum(BUMPS),
    type: releaseType,
    breaking: z.boolean(),
    state: z.enum(RELEASE_STATES),
    trainDate: z.string().nullable(),
    commit: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    seq: z.number().int(),
    postmortemUrl: z.string().nullable(),
  })
  .openapi('Release');

export const releaseEvent = z
  .object({
    id: z.number().int(),
    releaseId: z.string(),
    seq: z.number().int(),
    at: z.string(),
    actor: z.string(),
    tokenId: z.string().optional().openapi({ description: 'the id of the API token the actor wrote it through' }),
    data: z.object({ kind: z.string() }).catchall(z.unknown()),
  })
  .openapi('ReleaseEvent');

/** A JSON object whose shape the CLI's --json of the same command documents. */
const object = (name: string, description: string) => z.object({}).catchall(z.unknown()).openapi(name, { description });

export const schemas = {
  policy: object('Policy', 'the effective policy, as `shipgate policy show --json` prints it (schema/shipgate.schema.json)'),
  calendar: object('Calendar', 'as `shipgate calendar --json`'),
  freeze: object('FreezeStatus', 'as `shipgate freeze status --json`'),
  plan: object('Plan', 'as `shipgate plan --json` and `shipgate status --json`'),
  notes: object('ReleaseNotes', 'as `shipgate notes <component> --json`'),
  gates: object('GateReport', 'as `shipgate check <release> --json`; `next` in the API\'s words, `nextStep` as data'),
  releases: z.array(releaseRecord).openapi('Releases'),
  shownRelease: z.object({ release: releaseRecord, events: z.array(releaseEvent) }).openapi('ReleaseWithEvents'),
  approval: z.object({ release: releaseRecord, recorded: z.boolean(), count: z.number().int(), needed: z.number().int() }).openapi('ApprovalResult'),
  waiver: z.object({ release: releaseRecord, gate: z.string() }).openapi('WaiverResult'),
  notice: z.object({ release: releaseRecord, first: z.boolean(), days: z.number().int(), ends: z.string().nullable() }).openapi('NoticeResult'),
  candidate: z.object({ release: releaseRecord, changed: z.boolean() }).openapi('CandidateResult'),
  permissions: z.object({ release: z.string(), user: z.string(), approveAs: z.array(z.string()), waive: z.boolean(), closed: z.string().nullable(), approvedAs: z.string().nullable() }).openapi('ReleasePermissions'),
  jobs: z.object({ jobs: z.array(z.object({ id: z.number().int(), kind: z.string(), key: z.string(), state: z.enum(JOB_STATES) }).catchall(z.unknown())), next: z.number().int().nullable() }).openapi('JobPage'),
  problem: z
    .object({
      type: z.string(),
      title: z.string(),
      status: z.number().int(),
      detail: z.string(),
      code: z.string(),
      hint: z.string().optional(),
      field: z.string().optional(),
      errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
      next: z.object({ action: z.string(), args: z.object({}).catchall(z.unknown()) }).optional(),
      nextRequest: z.string().optional(),
    })
    .openapi('Problem'),
} as const;
