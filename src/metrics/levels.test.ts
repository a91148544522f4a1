import { describe, expect, it } from 'vitest';
import { changeFailureLevel, frequencyLevel, leadTimeLevel, restoreLevel } from './levels.js';
import { median, percentile, ratio } from './stats.js';

const HOUR = 3600;
const DAY = 24 * HOUR;

describe('DORA levels at their edges', () => {
  it('lead time: < 1 day elite, < 1 week high, < 730 h medium, then low', () => {
    expect([DAY - 1, DAY, 7 * DAY - 1, 7 * DAY, 730 * HOUR - 1, 730 * HOUR].map(leadTimeLevel)).toEqual(['elite', 'high', 'high', 'medium', 'medium', 'low']);
    expect(leadTimeLevel(null)).toBe('no data');
  });
  it('deployment frequency: by the median week\'s deploy days, then weeks and months with one', () => {
    expect(frequencyLevel(9, 3, 1, 12)).toBe('elite');
    expect(frequencyLevel(5, 2.5, 1, 10)).toBe('high');
    expect(frequencyLevel(3, 0, 0, 1)).toBe('medium');
    expect(frequencyLevel(1, 0, 0, 0)).toBe('low');
    expect(frequencyLevel(0, 0, 0, 0)).toBe('no data');
  });
  it('change failure rate: <= 5 % elite, <= 10 % high, <= 15 % medium, then low', () => {
    expect([0, 0.05, 0.0501, 0.1, 0.15, 0.1501].map(changeFailureLevel)).toEqual(['elite', 'elite', 'high', 'high', 'medium', 'low']);
    expect(changeFailureLevel(null)).toBe('no data');
  });
  it('time to restore: < 1 hour elite, < 1 day high, < 1 week medium, then low', () => {
    expect([HOUR - 1, HOUR, DAY, 7 * DAY].map(restoreLevel)).toEqual(['elite', 'high', 'medium', 'low']);
  });
});

describe('percentiles', () => {
  it('interpolate between ranks as PERCENTILE_CONT does, and have no value for nothing', () => {
    expect(median([3, 1])).toBe(2);
    expect(median([5])).toBe(5);
    expect(percentile([10, 20, 30, 40, 50], 0.9)).toBe(46);
    expect(median([])).toBeNull();
    expect(ratio(1, 0)).toBeNull();
  });
});
