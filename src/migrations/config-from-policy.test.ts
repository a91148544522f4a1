import { describe, expect, it } from 'vitest';
import { builtinPolicy } from '../policy/parse-policy.js';
import { configFromPolicy } from './config-from-policy.js';
import { checkRuleIds, unknownRuleMessage } from './rule-catalog.js';

describe('configFromPolicy', () => {
  it("maps the built-in policy's database rules to the default rule levels", () => {
    const config = configFromPolicy(builtinPolicy().migrations, 'minor');
    expect(config).toEqual({ rules: {}, paths: ['migrations', 'db/migrations'], releaseBump: 'minor', deprecationMarker: 'deprecated' });
  });

  it('turns a rule off when its policy switch is off, unless the rules map sets its level', () => {
    const section = { ...builtinPolicy().migrations, requireDown: false, neverDropColumns: false, rules: { 'ban-drop-column': 'warning' as const } };
    expect(configFromPolicy(section).rules).toEqual({ 'require-down-migration': 'off', 'ban-drop-column': 'warning' });
  });
});

describe('checkRuleIds', () => {
  it('returns the rule ids shipgate does not know, with a suggestion for typos', () => {
    expect(checkRuleIds({ 'ban-drop-column': 'off', 'ban-drop-colum': 'off', nonsense: 'error' })).toEqual(['ban-drop-colum', 'nonsense']);
    expect(unknownRuleMessage('ban-drop-colum')).toBe('unknown migration rule "ban-drop-colum" (did you mean "ban-drop-column"?)');
  });
});
