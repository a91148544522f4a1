import type { Policy } from '../policy/schema.js';
import type { Bump, LevelSetting, MigrationLintConfig } from './types.js';

/**
 * The lint configuration the policy's `migrations` section asks for. Its switches turn the matching rule
 * off; an explicit level under `rules:` wins over a switch, so a team can keep a rule as a warning.
 */
export function configFromPolicy(section: Policy['migrations'], releaseBump?: Bump): MigrationLintConfig {
  const fromSwitches: Record<string, LevelSetting> = {};
  if (!section.requireDown) fromSwitches['require-down-migration'] = 'off';
  if (!section.neverDropColumns) fromSwitches['ban-drop-column'] = 'off';
  if (!section.addColumnsNullableFirst) fromSwitches['adding-required-field'] = 'off';
  return {
    rules: { ...fromSwitches, ...section.rules },
    paths: section.paths,
    releaseBump,
    deprecationMarker: section.deprecationMarker,
  };
}
