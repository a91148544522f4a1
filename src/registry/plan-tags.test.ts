import { describe, expect, it } from 'vitest';
import { planTags } from './plan-tags.js';

const TAGS = ['{version}', '{major}', '{major}.{minor}', 'latest'];
const values = (version: string) => {
  const [major = '', minor = ''] = version.split('.');
  return { name: 'billing', component: 'billing', major, minor, environment: '', image: '' };
};
const moves = (version: string, existing: string[]) =>
  planTags(TAGS, version, existing, values(version))
    .filter((plan) => plan.move)
    .map((plan) => plan.tag);

describe('SemVer-aware floating tags', () => {
  const existing = ['1.0.0', '1.4.2', '1', '1.4', '2.0.0', '2.1.0', '2', '2.1', 'latest', 'nightly', '3.0.0-rc.1'];

  it('a new highest release takes every tag', () => {
    expect(moves('2.2.0', existing)).toEqual(['2.2.0', '2', '2.2', 'latest']);
  });

  it('a hotfix on an old line moves its own major and minor tags, never latest', () => {
    expect(moves('1.4.3', existing)).toEqual(['1.4.3', '1', '1.4']);
  });

  it('a patch of an older minor of the newest major moves only its minor tag', () => {
    expect(moves('2.0.1', existing)).toEqual(['2.0.1', '2.0']);
  });

  it('a pre-release gets its own tag only; pre-releases in the registry do not hold floating tags back', () => {
    expect(moves('3.0.0-rc.2', existing)).toEqual(['3.0.0-rc.2']);
    expect(moves('2.2.0', [...existing, '2.3.0-beta.1'])).toContain('latest');
  });

  it('an empty registry: the first release takes every tag', () => {
    expect(moves('0.1.0', [])).toEqual(['0.1.0', '0', '0.1', 'latest']);
  });

  it('says why a floating tag stays', () => {
    const latest = planTags(TAGS, '1.4.3', existing, values('1.4.3')).find((plan) => plan.tag === 'latest');
    expect(latest).toMatchObject({ floating: true, move: false });
    expect(latest?.reason).toContain('2.1.0');
  });
});
