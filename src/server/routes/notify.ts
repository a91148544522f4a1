import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { notesFromRepository } from '../../app/message-notes.js';
import { previewNotify } from '../../app/preview-notify.js';
import type { ServerDeps, ServerEnv } from '../env.js';
import * as s from '../schemas.js';
import { addRoute } from './route-kit.js';

const previewQuery = z.object({
  notes: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value !== 'false')
    .openapi({ description: 'false: do not read the release notes from the clone (as `--no-notes`)' }),
});

const previewMessage = z
  .object({
    step: z.string(),
    title: z.string(),
    at: z.string(),
    channel: z.string(),
    via: z.string(),
    to: z.array(z.string()),
    subject: z.string(),
    text: z.string(),
    state: z.string(),
    why: z.string().nullable(),
    delivery: z.string().nullable(),
    attempts: z.number().int(),
  })
  .openapi('PreviewMessage');

const notifyPreview = z
  .object({ release: z.string(), train: z.string().nullable(), date: z.string().nullable(), messages: z.array(previewMessage), note: z.string().nullable() })
  .openapi('NotifyPreview', { description: 'as `shipgate notify preview <release> --json`: who is told what and when, and how far each message got; secrets only by the names of their variables' });

/** The communication plan of a release, through the same use case as `shipgate notify preview`. */
export function notifyRoutes(app: OpenAPIHono<ServerEnv>, deps: ServerDeps): void {
  const { store, cwd } = deps;
  const now = deps.now ?? (() => new Date());
  addRoute(
    app,
    {
      method: 'get',
      path: '/api/v1/releases/{id}/notify-preview',
      summary: 'every message the communication plan sends about the release: when, to whom, what it says, and how far it got (`shipgate notify preview`)',
      tags: ['releases'],
      params: s.releaseParams,
      query: previewQuery,
      ok: { status: 200, schema: notifyPreview, description: 'the messages, earliest first' },
      problems: [400, 404],
    },
    async (_c, { params, query }) => {
      const { policy } = await deps.policy();
      const at = now();
      return { status: 200, json: await previewNotify({ store, policy, ref: params.id, now: at, ...(query.notes ? { notes: notesFromRepository({ cwd, policy, now: () => at }) } : {}) }) };
    },
  );
}
