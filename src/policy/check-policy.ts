import { parseLocalDate, parseRrule, yearProblem } from '../calendar/rrule.js';
import { checkRuleIds, unknownRuleMessage } from '../migrations/rule-catalog.js';
import { checkChannels } from '../notify-plan/check-channels.js';
import { unsupportedGlob } from './glob.js';
import { isTimeZone } from './is-time-zone.js';
import { postReleaseItems } from './post-release-items.js';
import type { Policy } from './schema.js';
import { BUMPS } from './release-kinds.js';

export interface SemanticProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

type Check = (policy: Policy) => SemanticProblem[];

const error = (path: (string | number)[], message: string): SemanticProblem => ({ path, message, severity: 'error' });
const warning = (path: (string | number)[], message: string): SemanticProblem => ({ path, message, severity: 'warning' });
/** At most this many names in one message: a list of 20,000 trains, repeated in 20,000 messages, is quadratic. */
const MAX_NAMES = 12;
const names = (record: Record<string, unknown>) => listed(Object.keys(record));
const listed = (all: readonly string[]) => (all.length > MAX_NAMES ? `${all.slice(0, MAX_NAMES).join(', ')}, and ${all.length - MAX_NAMES} more` : all.join(', '));
// Own keys only: "constructor" or "toString" must not count as a train or role every object has.
const has = (record: Record<string, unknown>, key: string) => Object.hasOwn(record, key);

const timezones: Check = (policy) => {
  const problems: SemanticProblem[] = [];
  if (!isTimeZone(policy.timezone)) problems.push(error(['timezone'], `unknown time zone "${policy.timezone}" (use an IANA name such as America/Los_Angeles)`));
  for (const [name, train] of Object.entries(policy.trains)) {
    if (train.timezone != null && !isTimeZone(train.timezone)) {
      problems.push(error(['trains', name, 'timezone'], `unknown time zone "${train.timezone}" (use an IANA name such as Europe/Berlin)`));
    }
  }
  return problems;
};

const cadences: Check = (policy) =>
  Object.entries(policy.trains).flatMap(([name, train]) => {
    const problems: SemanticProblem[] = [];
    const rule = parseRrule(train.cadence.rrule);
    if (!rule.ok) problems.push(error(['trains', name, 'cadence', 'rrule'], `invalid RRULE: ${rule.error}`));
    const start = parseLocalDate(train.cadence.start.slice(0, 10));
    if (!start || !validTime(train.cadence.start.slice(11))) {
      problems.push(error(['trains', name, 'cadence', 'start'], `"${train.cadence.start}" is not a real date and time`));
    } else if (yearProblem(start.year)) {
      problems.push(error(['trains', name, 'cadence', 'start'], `"${train.cadence.start}": ${yearProblem(start.year)}`));
    }
    for (const [index, carried] of train.carries.entries()) {
      if (!has(policy.components, carried) && !has(policy.bundles, carried)) {
        problems.push(error(['trains', name, 'carries', index], `"${carried}" is neither a component kind (${names(policy.components)}) nor a bundle (${names(policy.bundles)})`));
      }
    }
    return problems;
  });

const references: Check = (policy) => {
  const problems: SemanticProblem[] = [];
  for (const [name, kind] of Object.entries(policy.components)) {
    if (!has(policy.trains, kind.train)) problems.push(error(['components', name, 'train'], `unknown train "${kind.train}" (trains: ${names(policy.trains)})`));
    for (const [index, member] of kind.bundles.entries()) {
      if (!has(policy.components, member)) problems.push(error(['components', name, 'bundles', index], `unknown component kind "${member}"`));
    }
  }
  for (const [name, bundle] of Object.entries(policy.bundles)) {
    if (!has(policy.trains, bundle.train)) problems.push(error(['bundles', name, 'train'], `unknown train "${bundle.train}" (trains: ${names(policy.trains)})`));
    for (const [index, member] of bundle.members.entries()) {
      if (!has(policy.components, member)) problems.push(error(['bundles', name, 'members', index], `unknown component kind "${member}" (kinds: ${names(policy.components)})`));
    }
  }
  const checklistIds = new Set(policy.checklist.map((item) => item.id));
  for (const level of BUMPS) {
    for (const [index, rule] of policy.approvals[level].entries()) {
      const path = ['approvals', level, index];
      if (rule.role != null && !has(policy.roles, rule.role)) problems.push(error([...path, 'role'], `unknown role "${rule.role}" (roles: ${names(policy.roles)})`));
      if ((rule.kind === 'approval' || rule.kind === 'review') && rule.role == null) problems.push(error(path, `"${rule.id}" is an ${rule.kind} and needs a role`));
      if (rule.evidence != null && rule.evidence !== 'smoke-tests' && !checklistIds.has(rule.evidence)) {
        problems.push(error([...path, 'evidence'], `unknown checklist item "${rule.evidence}" (items: ${listed([...checklistIds, 'smoke-tests'])})`));
      }
    }
  }
  for (const [name, environment] of Object.entries(policy.environments)) {
    if (environment.after != null && !has(policy.environments, environment.after)) problems.push(error(['environments', name, 'after'], `unknown environment "${environment.after}"`));
    else if (environment.after != null && afterChainLoops(policy, name)) problems.push(error(['environments', name, 'after'], `"${name}" comes after itself through the "after" chain`));
  }
  if (policy.metrics.environment != null && !has(policy.environments, policy.metrics.environment)) {
    problems.push(error(['metrics', 'environment'], `unknown environment "${policy.metrics.environment}" (environments: ${names(policy.environments)})`));
  }
  for (const [index, item] of postReleaseItems(policy).entries()) {
    if (item.role != null && !has(policy.roles, item.role)) problems.push(error(['postRelease', index, 'role'], `unknown role "${item.role}" (roles: ${names(policy.roles)})`));
  }
  for (const [index, blackout] of policy.blackouts.entries()) {
    for (const key of ['from', 'to'] as const) {
      const date = parseLocalDate(blackout[key]);
      if (!date) problems.push(error(['blackouts', index, key], `"${blackout[key]}" is not a real date`));
      else if (yearProblem(date.year)) problems.push(error(['blackouts', index, key], `"${blackout[key]}": ${yearProblem(date.year)}`));
    }
    const real = parseLocalDate(blackout.from) && parseLocalDate(blackout.to);
    if (real && blackout.from > blackout.to) problems.push(error(['blackouts', index, 'to'], `the blackout ends (${blackout.to}) before it starts (${blackout.from})`));
    for (const [t, train] of (blackout.trains ?? []).entries()) {
      if (!has(policy.trains, train)) problems.push(error(['blackouts', index, 'trains', t], `unknown train "${train}" (trains: ${names(policy.trains)})`));
    }
  }
  return problems;
};

const uniqueIds: Check = (policy) => {
  const lists: [string[], { id: string }[]][] = [
    [['checklist'], policy.checklist],
    [['communication'], policy.communication],
    [['notes', 'sections'], policy.notes.sections],
    [['approvals', 'major'], policy.approvals.major],
    [['approvals', 'minor'], policy.approvals.minor],
    [['approvals', 'patch'], policy.approvals.patch],
  ];
  lists.push([['postRelease'], postReleaseItems(policy)]);
  return lists.flatMap(([path, items]) => {
    const seen = new Set<string>();
    return items.flatMap((item, index) => {
      if (!seen.has(item.id)) return (seen.add(item.id), []);
      return [error([...path, index, 'id'], `duplicate id "${item.id}"`)];
    });
  });
};

const approvers: Check = (policy) => {
  const used = new Set(BUMPS.flatMap((level) => policy.approvals[level].map((rule) => rule.role)));
  return Object.entries(policy.roles)
    .filter(([name, role]) => used.has(name) && !role.fromCodeowners && role.members.length === 0)
    .map(([name]) => warning(['roles', name, 'members'], `role "${name}" has no members, so its approvals can never be given; list them under roles.${name}.members`));
};

const waiverRoles: Check = (policy) =>
  policy.gates.waivers.roles.flatMap((role, index) => (has(policy.roles, role) ? [] : [error(['gates', 'waivers', 'roles', index], `unknown role "${role}" (roles: ${names(policy.roles)})`)]));

const rollbackRoles: Check = (policy) =>
  (policy.rollback.manual.roles ?? []).flatMap((role, index) => (has(policy.roles, role) ? [] : [error(['rollback', 'manual', 'roles', index], `unknown role "${role}" (roles: ${names(policy.roles)})`)]));

const migrationRules: Check = (policy) => checkRuleIds(policy.migrations.rules).map((id) => error(['migrations', 'rules', id], unknownRuleMessage(id)));

/** Every glob the policy holds: syntax shipgate does not support is refused rather than matching nothing. */
const globs: Check = (policy) => {
  const found: { path: (string | number)[]; glob: string }[] = [];
  const add = (path: (string | number)[], list: readonly string[]) => list.forEach((glob, index) => found.push({ path: [...path, index], glob }));
  for (const [name, kind] of Object.entries(policy.components)) add(['components', name, 'paths'], kind.paths);
  policy.checklist.forEach((item, index) => {
    add(['checklist', index, 'evidence', 'paths'], item.evidence.paths);
    if (item.evidence.kind === 'junit') add(['checklist', index, 'evidence', 'suites'], item.evidence.suites);
  });
  add(['gates', 'smokeTests', 'paths'], policy.gates.smokeTests.paths);
  add(['gates', 'smokeTests', 'suites'], policy.gates.smokeTests.suites);
  add(['gates', 'rfc', 'paths'], policy.gates.rfc.paths);
  return found.flatMap(({ path, glob }) => {
    const problem = unsupportedGlob(glob);
    return problem === undefined ? [] : [error(path, `"${glob}": ${problem}`)];
  });
};

const CHECKS: readonly Check[] = [timezones, cadences, references, uniqueIds, approvers, migrationRules, waiverRoles, rollbackRoles, globs, checkChannels];

/**
 * Rules the schema cannot express: references between sections, real dates, zones and RRULEs.
 * Also run on a policy that failed the schema, so one pass reports everything it can: a check that
 * trips over a malformed part is skipped, since the schema already reported that part.
 */
export function checkPolicySemantics(policy: Policy): SemanticProblem[] {
  return CHECKS.flatMap((check) => {
    try {
      return check(policy);
    } catch {
      return [];
    }
  });
}

function afterChainLoops(policy: Policy, start: string): boolean {
  const seen = new Set<string>([start]);
  for (let name = policy.environments[start]?.after; name != null; name = has(policy.environments, name) ? policy.environments[name]?.after : null) {
    if (seen.has(name)) return true;
    seen.add(name);
  }
  return false;
}

function validTime(text: string): boolean {
  const match = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  return match !== null && Number(match[1]) < 24 && Number(match[2]) < 60 && Number(match[3] ?? 0) < 60;
}
