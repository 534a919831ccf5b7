import type { Season } from '@tiandi/geo';
import { readSeason } from './rows';
import type { Workspace } from './workspace';

/**
 * The scan's `quality` option from a season's policy.imagery_quality: its thresholds, false when the season
 * turns the check off, undefined (the scanner's defaults) when it says nothing or there is no season.
 */
export function scanQualityOption(season: Season | undefined): Record<string, number> | false | undefined {
  const q = season?.policy.imageryQuality;
  if (!q) return undefined;
  if (q.enabled === false) return false;
  const { enabled: _e, ...thresholds } = q;
  return thresholds as Record<string, number>;
}

/** The workspace's current season, or undefined when none is set yet. */
export function currentSeason(ws: Workspace): Season | undefined {
  try {
    return readSeason(ws);
  } catch (err) {
    if ((err as { code?: string }).code === 'TIANDI_E_NOT_FOUND') return undefined;
    throw err;
  }
}

/**
 * How a scan recorded in this workspace judges imagery quality: the current season's thresholds. The one
 * place the CLI (`tiandi scan --workspace`), the server's scan jobs and the demo take them from.
 */
export function workspaceScanQuality(ws: Workspace): Record<string, number> | false | undefined {
  return scanQualityOption(currentSeason(ws));
}
