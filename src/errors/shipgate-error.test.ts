import { describe, expect, it } from 'vitest';
import { errors } from './catalog.js';
import { exitCodeFor, formatUserError, httpStatusFor, ShipgateError, type ErrorCategory } from './shipgate-error.js';

describe('error categories', () => {
  it('map to the CLI exit codes shipgate has always used and to the HTTP statuses of the server', () => {
    const table: [ErrorCategory, number, number][] = [
      ['usage', 2, 400],
      ['input', 2, 400],
      ['unauthorized', 2, 401],
      ['forbidden', 2, 403],
      ['not-found', 2, 404],
      ['conflict', 2, 409],
      ['rule', 1, 422],
      ['unavailable', 2, 503],
      ['internal', 70, 500],
    ];
    expect(table.map(([category]) => [category, exitCodeFor(category), httpStatusFor(category)])).toEqual(table);
  });

  it('derive the exit code from the category; a refused request keeps its exit 2 and still means 422', () => {
    expect(new ShipgateError('ESTATE', 'x', { category: 'conflict' }).exitCode).toBe(2);
    expect(errors.ruleFailed('EPLAN', 'x')).toMatchObject({ category: 'rule', exitCode: 1 });
    const refused = errors.refused('EAPPROVAL', 'nobody approves their own release', { hint: 'ask another member of the role' });
    expect([refused.category, refused.exitCode, httpStatusFor(refused.category)]).toEqual(['rule', 2, 422]);
    expect(formatUserError(refused)).toBe('shipgate: nobody approves their own release (ask another member of the role)');
  });

  it('carry the next step as data beside the hint', () => {
    const error = errors.policyInvalid('shipgate.yaml', 2);
    expect(error.next).toEqual({ action: 'check-policy', args: { file: 'shipgate.yaml' } });
    expect(error.hint).toBe('run `shipgate policy check shipgate.yaml` to list them');
  });
});
