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

export default { coerce, gt, inc, lt, lte, major, parse, prerelease, valid };
