import { describe, expect, it } from 'vitest';
import { parseCommitMessage } from './parse-commit.js';

describe('parseCommitMessage', () => {
  it('reads type, scope, breaking bang and the PR number', () => {
    const { changes, conventional } = parseCommitMessage('feat(billing)!: recurring invoices (#123)');
    expect(conventional).toBe(true);
    expect(changes).toEqual([expect.objectContaining({ type: 'feat', scope: 'billing', breaking: true, description: 'recurring invoices', pr: 123 })]);
  });

  it('reads BREAKING CHANGE and other footers, keeping multi-line footer text', () => {
    const message = 'fix: drop v1 endpoint\n\nLong explanation.\n\nBREAKING CHANGE: GET /api/v1/invoices is gone;\n  use /api/v2/invoices\nRefs: #12';
    const [change] = parseCommitMessage(message).changes;
    expect(change?.breaking).toBe(true);
    expect(change?.breakingNotes).toEqual(['GET /api/v1/invoices is gone;\nuse /api/v2/invoices']);
    expect(change?.body).toBe('Long explanation.');
    expect(change?.footers.map((f) => f.key)).toEqual(['BREAKING CHANGE', 'Refs']);
  });

  it('does not take a body paragraph for footers', () => {
    const { changes } = parseCommitMessage('fix: x\n\nThis explains: something, not a footer\nand more');
    expect(changes[0]?.footers).toEqual([]);
    expect(changes[0]?.breaking).toBe(false);
  });

  it('reads Release-As', () => {
    expect(parseCommitMessage('chore: prepare\n\nRelease-As: 3.0.0').releaseAs).toBe('3.0.0');
  });

  it('counts every conventional line of a squash commit', () => {
    const message = 'Billing improvements (#200)\n\n* feat: tax rules per customer\n* fix: rounding error\n* docs: readme';
    expect(parseCommitMessage(message).conventional).toBe(false);
    const squash = parseCommitMessage('fix: billing batch (#201)\n\n* feat: tax rules per customer\n* fix: rounding error');
    expect(squash.changes.map((c) => c.type)).toEqual(['fix', 'feat', 'fix']);
  });

  it('recognises reverts, by sha or by header', () => {
    const git = parseCommitMessage('Revert "feat: tax rules"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.');
    expect(git.reverts).toBe('0123456789abcdef0123456789abcdef01234567');
    expect(git.revertsHeader).toBe('feat: tax rules');
    const conventional = parseCommitMessage('revert: feat: tax rules');
    expect(conventional.revertsHeader).toBe('feat: tax rules');
    expect(conventional.changes).toEqual([expect.objectContaining({ type: 'revert', description: 'feat: tax rules' })]);
    expect(git.changes).toEqual([expect.objectContaining({ type: 'revert', description: 'feat: tax rules' })]);
  });

  it('reports a message that is not conventional', () => {
    expect(parseCommitMessage('Update stuff').conventional).toBe(false);
    expect(parseCommitMessage('feat:missing space').conventional).toBe(false);
  });
});
