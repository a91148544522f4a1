import type { Level } from './types.js';

/*
 * The DORA performance levels each figure falls in. Thresholds are those of the 2023 Accelerate State
 * of DevOps report as Apache DevLake renders them where the report's ranges overlap
 * (apache/incubator-devlake-website docs/Metrics/*.md), and Four Keys' dashboard buckets
 * (dora-team/fourkeys dashboard/fourkeys_dashboard.json) where they agree:
 *   lead time for changes (median): elite < 1 day, high < 1 week, medium < 1 month, low beyond;
 *   deployment frequency: elite when the median week has deploys on >= 3 days ("on demand"), high
 *     when the median week has one, medium when the median month has one, low otherwise;
 *   change failure rate: elite <= 5 %, high <= 10 %, medium <= 15 %, low above;
 *   time to restore (median): elite < 1 hour, high < 1 day, medium < 1 week, low beyond.
 */

const HOUR = 3600;
const DAY = 24 * HOUR;
/** Four Keys' "one month" bucket: 730 hours. */
const MONTH = 730 * HOUR;

export function leadTimeLevel(medianSeconds: number | null): Level {
  if (medianSeconds === null) return 'no data';
  if (medianSeconds < DAY) return 'elite';
  if (medianSeconds < 7 * DAY) return 'high';
  if (medianSeconds < MONTH) return 'medium';
  return 'low';
}

export function frequencyLevel(deploys: number, medianDeployDaysPerWeek: number | null, medianWeekDeployed: number | null, medianDeployDaysPerMonth: number | null): Level {
  if (deploys === 0 || medianDeployDaysPerWeek === null) return 'no data';
  if (medianDeployDaysPerWeek >= 3) return 'elite';
  if ((medianWeekDeployed ?? 0) >= 1) return 'high';
  if ((medianDeployDaysPerMonth ?? 0) >= 1) return 'medium';
  return 'low';
}

export function changeFailureLevel(rate: number | null): Level {
  if (rate === null) return 'no data';
  if (rate <= 0.05) return 'elite';
  if (rate <= 0.1) return 'high';
  if (rate <= 0.15) return 'medium';
  return 'low';
}

export function restoreLevel(medianSeconds: number | null): Level {
  if (medianSeconds === null) return 'no data';
  if (medianSeconds < HOUR) return 'elite';
  if (medianSeconds < DAY) return 'high';
  if (medianSeconds < 7 * DAY) return 'medium';
  return 'low';
}
