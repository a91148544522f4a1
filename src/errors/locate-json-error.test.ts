import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locateJsonError } from './locate-json-error.js';

describe('locateJsonError', () => {
  it('points at the character JSON.parse trips over, where Node names none', () => {
    expect(locateJsonError('{"runs": [1,]}')).toBe(12);
    expect(locateJsonError('{"a":}')).toBe(5);
    expect(locateJsonError('\n\n   xyz')).toBe(5);
    expect(locateJsonError('')).toBe(0);
    expect(locateJsonError('{"a": [1, 2]}')).toBeUndefined();
  });

  it('agrees with JSON.parse on every text: valid or not, and where it breaks (property)', () => {
    const token = fc.constantFrom(
      '{', '}', '[', ']', ',', ':', '"a"', '"\\u12"', '"\\x"', '"\\n"', '1', '-', '01', '1.', '1e', '1e+', '-0.5e3', '.5', 'E',
      'tru', 'true', 'false', 'null', 'nul', ' ', '\n', 'x', '"\u0001"', '"', '"\\"',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 14 }), (parts) => {
        const text = parts.join('');
        let message: string | undefined;
        try {
          JSON.parse(text);
        } catch (error) {
          message = (error as Error).message;
        }
        const offset = locateJsonError(text);
        if (message === undefined) {
          expect(offset).toBeUndefined();
          return;
        }
        const position = /at position (\d+)/.exec(message)?.[1];
        const unexpected = /^Unexpected token '([\s\S])'/.exec(message)?.[1];
        if (position !== undefined) expect(offset).toBe(Number(position));
        else if (unexpected !== undefined) expect(text[offset ?? -1]).toBe(unexpected);
        else expect([message, offset]).toEqual(['Unexpected end of JSON input', text.length]);
      }),
      { numRuns: 3000 },
    );
  });

  it('handles nesting far deeper than a recursive parser could', () => {
    expect(locateJsonError(`${'['.repeat(200_000)}${']'.repeat(200_000)}`)).toBeUndefined();
    expect(locateJsonError(`${'['.repeat(200_000)}}`)).toBe(200_000);
  });
});
