/** The demo season: the 2026 campaign of 依洛乡 with its flowering window and default policy. */
export interface DemoSeason {
  id: string;
  name: string;
  zone: string;
  year: number;
  flowering_window: { start: string; end: string };
  policy: {
    min_coverage_share: number;
    max_gsd_m: number;
    review_threshold: number;
    require_eradication_verified: boolean;
  };
}

/** Season JSON written to seeds/season.json (policy defaults as in ARCHITECTURE "Certification"). */
export function demoSeason(): DemoSeason {
  return {
    id: 'yiluo-2026',
    name: '依洛乡2026年禁种铲毒踏查 Yiluo 2026 survey season',
    zone: 'township',
    year: 2026,
    flowering_window: { start: '2026-03-01', end: '2026-05-31' },
    policy: { min_coverage_share: 0.98, max_gsd_m: 0.1, review_threshold: 0.35, require_eradication_verified: true },
  };
}
