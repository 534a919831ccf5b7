import { SERVICE_TIME_DEFAULTS } from '@tiandi/api';

/** How long a team spends at a target: `baseS` plus `perM2S` for every m² of plot. */
export interface ServiceRule {
  /** Fixed part (s): reaching the plot from the path, photographs, the report. */
  baseS: number;
  /** Seconds more per m² of plot: walking and counting it. */
  perM2S: number;
}

export { SERVICE_TIME_DEFAULTS };

/** The service-time rule with every part not given taken from {@link SERVICE_TIME_DEFAULTS}. */
export function serviceRule(given: Partial<ServiceRule> = {}): ServiceRule {
  return { baseS: given.baseS ?? SERVICE_TIME_DEFAULTS.baseS, perM2S: given.perM2S ?? SERVICE_TIME_DEFAULTS.perM2S };
}

/** Time at a plot of `areaM2` (s, whole seconds) under `rule`: the one service-time rule of every plan. */
export function serviceTimeS(areaM2: number, rule: ServiceRule = serviceRule()): number {
  return Math.round(rule.baseS + rule.perM2S * areaM2);
}
