import type { ShownRelease } from '../app/show-release.js';
import type { GateReport, ReleaseRecord } from '../gates/types.js';
import type { ApiClient } from './api-client.js';

/*
 * The release commands as API calls: each answers the JSON the local command's --json prints (the
 * API's parity tests hold it to that), typed as the use case's result so the CLI renders it as it
 * renders its own.
 */

const release = (ref: string) => `/api/v1/releases/${encodeURIComponent(ref)}`;

export async function createRemoteRelease(client: ApiClient, component: string, type: string): Promise<ReleaseRecord> {
  return (await client.post<ReleaseRecord>('/api/v1/releases', { component, type })).json;
}

/** Every page of the list, following the server's `Link: <…>; rel="next"` until the last. */
export async function listRemoteReleases(client: ApiClient, component: string | undefined, pageSize = 1000): Promise<ReleaseRecord[]> {
  const releases: ReleaseRecord[] = [];
  let page = await client.get<ReleaseRecord[]>('/api/v1/releases', { component, limit: String(pageSize) });
  for (let pages = 1; ; pages += 1) {
    releases.push(...page.json);
    const next = nextLink(page.headers.get('link'));
    // A server that keeps linking to more pages than any store holds is not followed forever.
    if (next === undefined || pages >= 10_000) return releases;
    page = await client.get<ReleaseRecord[]>(next);
  }
}

export async function showRemoteRelease(client: ApiClient, ref: string): Promise<ShownRelease> {
  return (await client.get<ShownRelease>(release(ref))).json;
}

/** The gate report as the server decided it; `next` there is in the API's words, `nextStep` the data. */
export async function checkRemoteRelease(client: ApiClient, ref: string, at: string | undefined): Promise<GateReport> {
  return (await client.get<GateReport>(`${release(ref)}/gates`, { at })).json;
}

export async function approveRemote(client: ApiClient, ref: string, body: { role: string; comment?: string | undefined }) {
  return (await client.post<{ release: ReleaseRecord; recorded: boolean; count: number; needed: number }>(`${release(ref)}/approvals`, body)).json;
}

export async function waiveRemote(client: ApiClient, ref: string, body: { gate: string; reason: string }) {
  return (await client.post<{ release: ReleaseRecord; gate: string }>(`${release(ref)}/waivers`, body)).json;
}

export async function noticeRemote(client: ApiClient, ref: string, body: { comment?: string | undefined }) {
  return (await client.post<{ release: ReleaseRecord; first: boolean; days: number; ends: string | null }>(`${release(ref)}/notices`, body)).json;
}

export async function postmortemRemote(client: ApiClient, ref: string, url: string): Promise<ReleaseRecord> {
  return (await client.post<ReleaseRecord>(`${release(ref)}/postmortem`, { url })).json;
}

export async function candidateRemote(client: ApiClient, ref: string, commit: string | undefined) {
  return (await client.post<{ release: ReleaseRecord; changed: boolean }>(`${release(ref)}/candidate`, commit === undefined ? {} : { commit })).json;
}

export async function abandonRemote(client: ApiClient, ref: string, reason: string): Promise<ReleaseRecord> {
  return (await client.post<ReleaseRecord>(`${release(ref)}/abandon`, { reason })).json;
}

/** The path and query of an RFC 8288 `rel="next"` link, when the server gave one on its own origin. */
export function nextLink(header: string | null): string | undefined {
  if (header === null) return undefined;
  for (const part of header.split(',')) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (match && /(^|;)\s*rel="?next"?\s*(;|$)/i.test(match[2] ?? '')) {
      const target = match[1] ?? '';
      // Only a path: a link to another host would take the token there.
      if (target.startsWith('/') && !target.startsWith('//')) return target;
    }
  }
  return undefined;
}
