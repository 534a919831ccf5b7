import type { Command } from '../command';

/**
 * The registry of commands. Each loads lazily so `tiandi --help` stays fast and a command's
 * heavy dependencies (onnxruntime, sqlite, sharp) load only when that command runs.
 * One file per command in this folder; add a line here to register a new one.
 */
export const commands: Record<string, () => Promise<{ default: Command }>> = {
  scan: () => import('./scan'),
  eval: () => import('./eval'),
  chips: () => import('./chips'),
  synth: () => import('./synth'),
  plan: () => import('./plan'),
  plans: () => import('./plans'),
  init: () => import('./init'),
  zones: () => import('./zones'),
  season: () => import('./season'),
  scans: () => import('./scans'),
  coverage: () => import('./coverage'),
  reports: () => import('./reports'),
  targets: () => import('./targets'),
  certify: () => import('./certify'),
  audit: () => import('./audit'),
  export: () => import('./export'),
  serve: () => import('./serve'),
  user: () => import('./user'),
  demo: () => import('./demo'),
  adapt: () => import('./adapt'),
  model: () => import('./model'),
};
