import { z } from 'zod';
import { ShipgateError } from '../errors/shipgate-error.js';
import { MEASUREMENT_PHASES, METRICS, RUN_PHASES } from '../analysis/types.js';
import { DEPLOY_STEPS, PIPELINE_STEPS, RELEASE_STATES, type EventData, type EventKind } from '../gates/types.js';

/*
 * The payload of each event kind, one zod schema per version. A payload is checked when it is
 * written (a payload that does not fit is a bug in shipgate) and when it is read (a row from a newer
 * shipgate, or one changed by hand, is refused with a clear message instead of being misread).
 * Older versions are read and brought up to today's shape. A change to a payload is a new version:
 * add it here with its upgrade; never change a version that has shipped.
 */

const sha = z.string().regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/, 'a full commit sha');
const isoTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'a UTC ISO time with milliseconds');
const state = z.enum(RELEASE_STATES);

const createdV1 = z.strictObject({ kind: z.literal('created'), commit: sha, reasons: z.array(z.string()) });
const createdV2 = z.strictObject({
  kind: z.literal('created'),
  commit: sha,
  reasons: z.array(z.string()),
  commits: z.array(z.strictObject({ sha, authoredAt: isoTime, type: z.string().nullable() })),
});

const id = z.number().int().min(1);
const measurement = z.strictObject({
  metric: z.enum(METRICS),
  phase: z.enum(MEASUREMENT_PHASES),
  value: z.number().nullable(),
  baseline: z.number().nullable(),
  threshold: z.number().nullable(),
  query: z.string(),
  at: isoTime,
  message: z.string(),
});

interface Version {
  readonly schema: z.ZodType;
  /** Brings a payload of this version to today's shape; absent for the current version. */
  readonly upgrade?: (data: never) => EventData;
}

const PAYLOADS: Readonly<Record<EventKind, Readonly<Record<number, Version>>>> = {
  created: {
    // Releases created before shipgate recorded the commits they carry: unknown, not none.
    1: { schema: createdV1, upgrade: (data: z.infer<typeof createdV1>) => ({ ...data, commits: null }) },
    2: { schema: createdV2 },
  },
  candidate: { 1: { schema: z.strictObject({ kind: z.literal('candidate'), commit: sha, previous: sha }) } },
  approval: { 1: { schema: z.strictObject({ kind: z.literal('approval'), role: z.string().min(1), commit: sha, comment: z.string().nullable() }) } },
  waiver: { 1: { schema: z.strictObject({ kind: z.literal('waiver'), gate: z.string().min(1), reason: z.string().min(1), commit: sha }) } },
  notice: { 1: { schema: z.strictObject({ kind: z.literal('notice'), comment: z.string().nullable() }) } },
  transition: { 1: { schema: z.strictObject({ kind: z.literal('transition'), from: state, to: state, reason: z.string().nullable() }) } },
  postmortem: { 1: { schema: z.strictObject({ kind: z.literal('postmortem'), url: z.url({ protocol: /^https?$/ }) }) } },
  deployment: { 1: { schema: z.strictObject({ kind: z.literal('deployment'), environment: z.string().min(1), detail: z.string().nullable() }) } },
  deploy: {
    1: { schema: z.strictObject({ kind: z.literal('deploy'), environment: z.string().min(1), deployment: id, version: z.string().min(1), step: z.enum(DEPLOY_STEPS), detail: z.string().nullable() }) },
  },
  analysis: {
    1: {
      schema: z.strictObject({
        kind: z.literal('analysis'),
        environment: z.string().min(1),
        deployment: id,
        round: z.number().int().min(1).nullable(),
        phase: z.enum([...RUN_PHASES, 'error']),
        measurements: z.array(measurement),
        reason: z.string().nullable(),
      }),
    },
  },
  rollback: {
    1: {
      schema: z.strictObject({
        kind: z.literal('rollback'),
        environment: z.string().min(1),
        deployment: id,
        rolledBack: id.nullable(),
        from: z.string().nullable(),
        to: z.string().min(1),
        reason: z.string().min(1),
        automatic: z.boolean(),
        forced: z.boolean(),
        evidence: z.array(z.string()),
      }),
    },
  },
  artifacts: {
    1: {
      schema: z.strictObject({
        kind: z.literal('artifacts'),
        image: z.string().min(1),
        tags: z.array(z.strictObject({ tag: z.string().min(1), action: z.enum(['created', 'moved', 'unchanged', 'kept']), detail: z.string() })),
      }),
    },
  },
  signoff: { 1: { schema: z.strictObject({ kind: z.literal('signoff'), gate: z.string().min(1), comment: z.string().nullable() }) } },
  pipeline: { 1: { schema: z.strictObject({ kind: z.literal('pipeline'), step: z.enum(PIPELINE_STEPS), environment: z.string().min(1).nullable(), detail: z.string().nullable() }) } },
  message: {
    1: {
      schema: z.strictObject({
        kind: z.literal('message'),
        step: z.string().min(1),
        channel: z.string().min(1),
        delivery: z.string().min(1),
        outcome: z.enum(['sent', 'failed', 'uncertain']),
        attempt: z.number().int().min(1),
        retry: z.boolean(),
        detail: z.string().nullable(),
      }),
    },
  },
  'branch-lock': {
    1: { schema: z.strictObject({ kind: z.literal('branch-lock'), branch: z.string().min(1), locked: z.boolean(), outcome: z.enum(['done', 'failed']), detail: z.string().nullable() }) },
  },
  'step-due': {
    1: {
      schema: z.strictObject({
        kind: z.literal('step-due'),
        key: z.string().regex(/^timeline:[^\s]+$/, 'a timeline key'),
        step: z.string().min(1),
        title: z.string(),
        due: z.string().min(1),
      }),
    },
  },
};

function currentVersion(kind: EventKind): number {
  return Math.max(...Object.keys(PAYLOADS[kind]).map(Number));
}

function isKind(kind: string): kind is EventKind {
  return Object.hasOwn(PAYLOADS, kind);
}

/** The row columns for an event's data, checked against today's schema of its kind. */
export function encodeEventData(data: EventData): { kind: EventKind; version: number; text: string } {
  const version = currentVersion(data.kind);
  const parsed = PAYLOADS[data.kind][version]!.schema.safeParse(data);
  if (!parsed.success) {
    throw new ShipgateError('EPAYLOAD', `shipgate tried to record a ${data.kind} event that does not fit its schema: ${describe(parsed.error)}`, {
      category: 'internal',
      hint: 'nothing was recorded; please report this with the command you ran',
    });
  }
  return { kind: data.kind, version, text: JSON.stringify(data) };
}

/** An event's data as stored, in today's shape; `which` names the event for the message. */
export function decodeEventData(row: { kind: string; version: number; text: string }, which: string): EventData {
  const versions = isKind(row.kind) ? PAYLOADS[row.kind] : undefined;
  const known = versions === undefined ? undefined : Object.hasOwn(versions, row.version) ? versions[row.version] : undefined;
  if (versions === undefined || (known === undefined && row.version > currentVersion(row.kind as EventKind))) {
    const what = versions === undefined ? `an event kind this shipgate does not know ("${row.kind}")` : `version ${row.version} of the ${row.kind} payload; this shipgate reads up to version ${currentVersion(row.kind as EventKind)}`;
    throw new ShipgateError('ESTORE', `${which} was written by a newer shipgate: ${what}`, { category: 'unavailable', hint: 'upgrade shipgate to read this store' });
  }
  let data: unknown;
  try {
    data = JSON.parse(row.text);
  } catch {
    data = undefined;
  }
  const parsed = known?.schema.safeParse(data);
  if (known === undefined || !parsed?.success) {
    const why = known === undefined ? `there is no version ${row.version} of the ${row.kind} payload` : parsed?.error === undefined ? 'its data is not JSON' : describe(parsed.error);
    throw new ShipgateError('ESTORE', `${which} cannot be read: ${why}`, { category: 'internal', hint: 'the store was changed outside shipgate; restore it from a backup' });
  }
  return known.upgrade === undefined ? (parsed.data as EventData) : known.upgrade(parsed.data as never);
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid';
  return `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
}
