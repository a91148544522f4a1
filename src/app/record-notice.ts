import { noticePeriodEnd } from '../gates/evaluate-gates.js';
import { assertOpen } from '../gates/lifecycle.js';
import type { ReleaseRecord } from '../gates/types.js';
import type { Policy } from '../policy/schema.js';
import type { Store } from '../store/open-store.js';
import { mutateRelease } from '../store/releases.js';
import { readGateEvidenceForDecision } from './gate-evidence.js';
import type { CodeownersSource } from './read-codeowners.js';
import { findRelease } from './resolve-release.js';
import { thenSettle } from './settle-approval.js';

export interface NoticeResult {
  readonly release: ReleaseRecord;
  /** Whether this notice started the period (an earlier one already did otherwise). */
  readonly first: boolean;
  /** The bump's notice period in days (0: none is asked for). */
  readonly days: number;
  /** When the period that the first notice started ends (ISO, the policy's time zone): what `check`'s notice gate enforces. */
  readonly ends: string | null;
}

/**
 * Records that the release was announced; the MAJOR (30-day) and MINOR (7-day) notice periods are
 * counted from the first such event. The time is the store's clock of record, never a given date,
 * so a notice cannot be backdated.
 */
export async function recordNotice(options: { store: Store; policy: Policy; codeowners: CodeownersSource; cwd: string; ref: string; comment?: string | undefined; actor: string; tokenId?: string | undefined }): Promise<NoticeResult> {
  const { store, policy } = options;
  const found = await findRelease(store, options.ref);
  const evidence = await readGateEvidenceForDecision({ cwd: options.cwd, policy, codeowners: options.codeowners, release: found });
  let startedAt = '';
  let first = true;
  const { release, appended } = await mutateRelease(store, found.id, (current, events, now) => {
    assertOpen(current, 'a notice');
    const earlier = events.find((event) => event.data.kind === 'notice');
    first = earlier === undefined;
    startedAt = earlier?.at ?? now.toISOString();
    return thenSettle(policy, evidence, current, events, now, { actor: options.actor, tokenId: options.tokenId, events: [{ kind: 'notice', comment: options.comment ?? null }] });
  });
  const started = first ? (appended.find((event) => event.data.kind === 'notice')?.at ?? startedAt) : startedAt;
  return { release, first, days: policy.versioning[release.bump].noticeDays, ends: noticePeriodEnd(policy, release.bump, started).toISO() };
}

/** What `notice --json` prints and the server answers. */
export function noticeJson(result: NoticeResult): { release: ReleaseRecord; first: boolean } {
  return { release: result.release, first: result.first };
}
