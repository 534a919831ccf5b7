import type { ViewRegistry } from './router';

/**
 * The views of the app by route name (#/<name>). Each is loaded lazily. The field and manager
 * engineers add their line here (pointing into src/field/ and src/manager/).
 */
export const views: ViewRegistry = {
  operator: () => import('./operator/operator-view'),
  planner: () => import('./planner/planner-view'),
  field: () => import('./field/field-view'),
  manager: () => import('./manager/manager-view'),
  /** The operator's desk triage gallery (#/triage, linked from the operator page). */
  triage: () => import('./triage/triage-view'),
};

/** The navigation tabs, in order: route name and i18n key of its label. */
export const tabs: { name: string; label: string }[] = [
  { name: 'operator', label: 'nav.operator' },
  { name: 'planner', label: 'nav.planner' },
  { name: 'field', label: 'nav.field' },
  { name: 'manager', label: 'nav.manager' },
];
