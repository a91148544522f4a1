// semver's index loads all 48 of its files, a sixth of `shipgate status`'s start-up; the planner and the
// notes need these few functions, which load a dozen.
import coerce from 'semver/functions/coerce.js';
import gt from 'semver/functions/gt.js';
import inc from 'semver/functions/inc.js';
import lt from 'semver/functions/lt.js';
import lte from 'semver/functions/lte.js';
import major from 'semver/functions/major.js';
import parse from 'semver/functions/parse.js';
import prerelease from 'semver/functions/prerelease.js';
import valid from 'semver/functions/valid.js';

// Almost every tag of a repository is a plain X.Y.Z, and each question about one parsed it again (a
// SemVer object and a regular expression per call: 12,000 tags asked four things each cost 50 ms). Those
// are answered here with semver's own answer; anything else (a prefix, a pre-release, build metadata, a
// SemVer object, semver's options) goes to semver. Fifteen digits at most keeps each number exact.
const PLAIN = /^(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})$/;

function plain(version: unknown): [number, number, number] | undefined {
  if (typeof version !== 'string') return undefined;
  const match = PLAIN.exec(version);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

function compare(a: readonly number[], b: readonly number[]): number {
  return a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;
}

// One argument (or two for a comparison): semver's options, when given, go to semver.
const fastValid = ((version: string, ...rest: unknown[]) => (rest.length === 0 && plain(version) ? version : valid(version, ...(rest as [])))) as typeof valid;
const fastPrerelease = ((version: string, ...rest: unknown[]) => (rest.length === 0 && plain(version) ? null : prerelease(version, ...(rest as [])))) as typeof prerelease;
const fastMajor = ((version: string, ...rest: unknown[]) => (rest.length === 0 ? plain(version)?.[0] : undefined) ?? major(version, ...(rest as []))) as typeof major;
function comparing(slow: (a: string, b: string, ...rest: unknown[]) => boolean, test: (order: number) => boolean) {
  return (a: string, b: string, ...rest: unknown[]): boolean => {
    const x = rest.length === 0 ? plain(a) : undefined;
    const y = x && plain(b);
    return x && y ? test(compare(x, y)) : slow(a, b, ...rest);
  };
}
const fastLt = comparing(lt as never, (order) => order < 0) as typeof lt;
const fastGt = comparing(gt as never, (order) => order > 0) as typeof gt;
const fastLte = comparing(lte as never, (order) => order <= 0) as typeof lte;

export default { coerce, gt: fastGt, inc, lt: fastLt, lte: fastLte, major: fastMajor, parse, prerelease: fastPrerelease, valid: fastValid };
