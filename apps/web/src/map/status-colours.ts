/** Colour of each target status on the map and in lists. */
export const STATUS_COLOURS: Record<string, string> = {
  detected: '#e53935',
  planned: '#fb8c00',
  confirmed: '#8e24aa',
  eradicated: '#3949ab',
  eradication_verified: '#00897b',
  inspected_negative: '#9e9e9e',
  dismissed_desk: '#cfd8dc',
  dismissed_model: '#e0e6ea',
  needs_revisit: '#fdd835',
};

/** Distinct colours for team routes (colour-blind friendly order). */
export const TEAM_COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#e377c2', '#8c564b', '#bcbd22', '#7f7f7f'];

/** MapLibre `match` expression colouring features by their `status` property. */
export function statusColourExpression(): unknown[] {
  return ['match', ['get', 'status'], ...Object.entries(STATUS_COLOURS).flat(), '#e53935'];
}
