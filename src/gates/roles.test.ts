import { describe, expect, it } from 'vitest';
import { builtinPolicy } from '../policy/parse-policy.js';
import { isMember, roleEntries } from './roles.js';

const base = builtinPolicy();
const policy = {
  ...base,
  roles: { ...base.roles, 'module-owner': { description: 'owner', fromCodeowners: true, members: ['lead@example.com'] } },
  identity: { ...base.identity, handles: { '@alice': ['alice@example.com'] } },
};

describe('roles', () => {
  it('count the members a fromCodeowners role lists, together with the CODEOWNERS owners', () => {
    expect(isMember(policy, 'module-owner', 'lead@example.com', ['@alice'])).toBe(true);
    expect(isMember(policy, 'module-owner', 'alice@example.com', ['@alice'])).toBe(true);
    expect(isMember(policy, 'module-owner', 'mallory@example.com', ['@alice'])).toBe(false);
    expect(roleEntries(policy, 'module-owner', ['@alice', 'lead@example.com'])).toEqual(['@alice', 'lead@example.com']);
  });
});
