import { z } from 'zod';

/*
 * What shipgate reads from GitHub's `deployment_status` and `issues` webhook payloads
 * (docs.github.com/webhooks/webhook-events-and-payloads): only the fields it needs, checked; a body
 * without them is malformed and refused with the field named.
 */

const time = z.iso.datetime({ offset: true });
const deploymentStatus = z.object({
  deployment_status: z.object({ state: z.string().min(1), created_at: time }),
  deployment: z.object({
    environment: z.string().min(1),
    ref: z.string(),
    payload: z.unknown().optional(),
  }),
  repository: z.object({ name: z.string().min(1) }),
  sender: z.object({ login: z.string() }).optional(),
});
const issues = z.object({
  action: z.string().min(1),
  issue: z.object({
    number: z.number().int().positive(),
    created_at: time,
    closed_at: time.nullable().optional(),
    labels: z.array(z.object({ name: z.string() })).default([]),
  }),
  repository: z.object({ full_name: z.string().min(1) }),
  sender: z.object({ login: z.string() }).optional(),
});

export type GithubFact =
  | { readonly kind: 'deploy'; readonly ref: string; readonly environment: string; readonly at: Date; readonly failed: boolean; readonly actor: string }
  | { readonly kind: 'incident'; readonly id: string; readonly component: string | undefined; readonly at: Date; readonly actor: string }
  | { readonly kind: 'resolve'; readonly id: string; readonly component: string | undefined; readonly openedAt: Date; readonly at: Date; readonly actor: string }
  | { readonly kind: 'ignored'; readonly reason: string };

export type Interpreted = { readonly ok: true; readonly fact: GithubFact } | { readonly ok: false; readonly field: string; readonly message: string };

const TERMINAL: Readonly<Record<string, boolean>> = { success: false, failure: true, error: true };
const VERSION_AT_END = /(?:^|[/@_-]|v)(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/;

/** The fact a delivery reports, an event shipgate does not track ("ignored"), or the field that makes the body malformed. Pure. */
export function interpretGithubEvent(event: string, body: unknown, incidentLabel: string): Interpreted {
  if (event === 'deployment_status') {
    const parsed = deploymentStatus.safeParse(body);
    if (!parsed.success) return malformed(parsed.error);
    const { deployment_status: status, deployment, repository, sender } = parsed.data;
    const failed = TERMINAL[status.state];
    if (failed === undefined) return { ok: true, fact: { kind: 'ignored', reason: `deployment state "${status.state}" is not a finished deploy` } };
    const payload = typeof deployment.payload === 'object' && deployment.payload !== null ? (deployment.payload as Record<string, unknown>) : {};
    const component = typeof payload.component === 'string' ? payload.component : repository.name;
    const version = typeof payload.version === 'string' ? payload.version : VERSION_AT_END.exec(deployment.ref)?.[1];
    if (version === undefined) return { ok: true, fact: { kind: 'ignored', reason: `no version in the deployment (payload.version, or a ref ending in one such as billing/v2.1.0): ref "${deployment.ref}"` } };
    return { ok: true, fact: { kind: 'deploy', ref: `${component}@${version}`, environment: deployment.environment, at: new Date(status.created_at), failed, actor: actor(sender) } };
  }
  if (event === 'issues') {
    const parsed = issues.safeParse(body);
    if (!parsed.success) return malformed(parsed.error);
    const { action, issue, repository, sender } = parsed.data;
    const names = issue.labels.map((label) => label.name);
    if (!names.some((name) => name.toLowerCase() === incidentLabel.toLowerCase())) return { ok: true, fact: { kind: 'ignored', reason: `the issue has no "${incidentLabel}" label` } };
    const id = `${repository.full_name}#${issue.number}`;
    // A label `component:<name>` ties the incident to a component.
    const component = names.find((name) => name.startsWith('component:'))?.slice('component:'.length);
    if (action === 'closed') {
      if (issue.closed_at == null) return { ok: false, field: 'body.issue.closed_at', message: 'a closed issue needs closed_at' };
      return { ok: true, fact: { kind: 'resolve', id, component, openedAt: new Date(issue.created_at), at: new Date(issue.closed_at), actor: actor(sender) } };
    }
    if (action === 'opened' || action === 'labeled' || action === 'reopened') return { ok: true, fact: { kind: 'incident', id, component, at: new Date(issue.created_at), actor: actor(sender) } };
    return { ok: true, fact: { kind: 'ignored', reason: `issue action "${action}" changes no incident` } };
  }
  return { ok: true, fact: { kind: 'ignored', reason: `shipgate does not track "${event}" events here` } };
}

function actor(sender: { login: string } | undefined): string {
  return sender === undefined ? 'github' : `github:${sender.login}`;
}

function malformed(error: z.ZodError): Interpreted {
  const issue = error.issues[0];
  return { ok: false, field: ['body', ...(issue?.path ?? []).map(String)].join('.'), message: issue?.message ?? 'invalid' };
}
