import * as real from 'semver';
import { describe, expect, it } from 'vitest';
import semver from './semver.js';

const samples = ['1.2.3', '0.0.0', '01.2.3', '1.2', '1.2.3-rc.1', 'v1.2.3', ' 1.2.3', '=1.2.3', '1.2.3+build.5', '999999999999999.1.1', '9999999999999999.1.1', '1.10.0', '1.9.0', '2.0.0', '0.1.0', '', 'x'];
const answer = (call: () => unknown) => {
  try {
    return JSON.stringify(call());
  } catch {
    return 'throws';
  }
};

describe('semver (plain X.Y.Z answered without the parser)', () => {
  it('answers valid, prerelease, major, lt, gt and lte as semver does', () => {
    const differences: string[] = [];
    for (const a of samples) {
      for (const name of ['valid', 'prerelease', 'major'] as const) {
        if (answer(() => semver[name](a)) !== answer(() => real[name](a))) differences.push(`${name}(${a})`);
      }
      for (const b of samples) {
        for (const name of ['lt', 'gt', 'lte'] as const) {
          if (answer(() => semver[name](a, b)) !== answer(() => real[name](a, b))) differences.push(`${name}(${a}, ${b})`);
        }
      }
    }
    expect(differences).toEqual([]);
    expect(semver.valid('v1.2.3', { loose: true })).toBe('1.2.3');
  });
});
