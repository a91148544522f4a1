import type { Policy } from './schema.js';

export interface PostReleaseItem {
  readonly id: string;
  readonly title: string;
  /** What shipgate proves it with; null: a person signs it off. */
  readonly evidence: 'deployment-health' | 'analysis' | null;
  readonly role: string | null;
}

/** The policy's post-release checklist with every item in one shape: a plain title becomes a sign-off whose id is its slug. */
export function postReleaseItems(policy: Pick<Policy, 'postRelease'>): PostReleaseItem[] {
  return policy.postRelease.map((item) => (typeof item === 'string' ? { id: slug(item), title: item, evidence: null, role: null } : item));
}

function slug(title: string): string {
  const text = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return /^[a-z]/.test(text) ? text : `item-${text || 'untitled'}`;
}
