import { describe, expect, it } from 'vitest';
import { niceTicks, renderChart, type ChartSpec } from './render-chart.js';

const spec = (values: (number | null)[], extra: Partial<ChartSpec> = {}): ChartSpec => ({
  id: 'c',
  title: 'Change failure rate',
  labels: values.map((_, i) => `2026-02-${String(2 + 7 * i).padStart(2, '0')}`),
  series: [{ label: 'rate', values }],
  target: { value: 0.05, label: 'target < 5%' },
  format: (v) => `${Math.round(v * 1000) / 10}%`,
  ...extra,
});

describe('the SVG chart', () => {
  it('puts the axis on round steps from zero up to the largest value or target', () => {
    expect(niceTicks(23.8)).toEqual([0, 10, 20, 30]);
    expect(niceTicks(2 / 3)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  it('draws a point per measured week and breaks the line at a week with no data, never drawing it as zero', () => {
    const text = renderChart(spec([0.5, null, 0.25, 0.2])).text;
    expect(text.match(/<circle /g)).toHaveLength(3);
    expect(text.match(/<path d="M[^"]*"/g)).toEqual([expect.stringMatching(/^<path d="M[\d.]+ [\d.]+"$/), expect.stringMatching(/^<path d="M[\d.]+ [\d.]+ L[\d.]+ [\d.]+"$/)]);
    expect(text).toContain('data-target="0.05"');
    expect(text).toContain('<tr><th scope="row">2026-02-09</th><td>no data</td></tr>');
    expect(text).toMatch(/<svg [^>]*role="img" aria-labelledby="c-title c-desc"/);
  });

  it('says "no data" when nothing was measured, and has no target line where the policy sets none', () => {
    const text = renderChart(spec([null, null], { target: null })).text;
    expect(text).toContain('no data in this window');
    expect(text).not.toContain('<circle');
    expect(text).not.toContain('class="target"');
    expect(text).toContain('the policy sets no target');
  });

  it('escapes every label', () => {
    const text = renderChart(spec([1], { title: '<script>x</script>', series: [{ label: '<b>', values: [1] }] })).text;
    expect(text).not.toMatch(/<script>|<b>/);
  });
});
