import type { ZoneStatus } from '@tiandi/api';
import { evaluateZone, listCertificates, readZones, type Workspace, type ZoneEvaluation } from '@tiandi/store';

export type { ZoneStatus };

const RESOLVED = new Set(['inspected_negative', 'eradication_verified']);

/** Summarises one evaluation. */
export function zoneStatusOf(ev: ZoneEvaluation, cert: ZoneStatus['certificate']): ZoneStatus {
  const byStatus: Record<string, number> = {};
  for (const t of ev.targets) byStatus[t.status] = (byStatus[t.status] ?? 0) + 1;
  // A desk dismissal the season's policy accepts owes nothing more; one it does not is still open.
  const deskFailing = new Set(
    ev.result.rules.filter((r) => r.id === 'desk_dismissals' || r.id === 'model_dismissals').flatMap((r) => r.failing.map((f) => String(f.id))),
  );
  return {
    zoneId: ev.zone.zoneId,
    name: ev.zone.name,
    namePinyin: ev.zone.namePinyin ?? null,
    level: ev.zone.level,
    parentId: ev.zone.parentId,
    areaM2: ev.zone.areaM2,
    coverageShare: ev.coverage.share,
    targetsByStatus: byStatus,
    confirmed: ev.targets.filter((t) => t.status === 'confirmed').length,
    eradicated: ev.targets.filter((t) => t.status === 'eradicated' || t.status === 'eradication_verified').length,
    openItems: ev.targets.filter(
      (t) => (!RESOLVED.has(t.status) && !((t.status === 'dismissed_desk' || t.status === 'dismissed_model') && !deskFailing.has(t.id))) || t.review !== null,
    ).length,
    certifiable: ev.result.certifiable,
    failingRules: ev.result.rules.filter((r) => !r.pass).map((r) => r.id),
    certificate: cert,
  };
}

/** The status of every zone for a season, in tree order (county › township › village, by name). */
export function zoneTree(ws: Workspace, seasonId?: string): ZoneStatus[] {
  const zones = readZones(ws);
  const certs = listCertificates(ws, { seasonId });
  const out: ZoneStatus[] = [];
  for (const z of zones) {
    const c = certs.find((x) => x.zoneId === z.zoneId && x.status !== 'revoked') ?? certs.find((x) => x.zoneId === z.zoneId) ?? null;
    const cert = c ? { certId: c.certId, status: c.status, issuedAt: c.issuedAt, statusReason: c.statusReason } : null;
    try {
      out.push(zoneStatusOf(evaluateZone(ws, z.zoneId, seasonId), cert));
    } catch (err) {
      out.push({
        zoneId: z.zoneId,
        name: z.name,
        namePinyin: z.namePinyin ?? null,
        level: z.level,
        parentId: z.parentId,
        areaM2: z.areaM2,
        coverageShare: null,
        targetsByStatus: {},
        confirmed: 0,
        eradicated: 0,
        openItems: 0,
        certifiable: null,
        failingRules: [],
        certificate: cert,
        error: (err as Error).message,
      });
    }
  }
  const rank = { county: 0, township: 1, village: 2 } as const;
  const byId = new Map(out.map((z) => [z.zoneId, z]));
  const pathOf = (z: ZoneStatus): string[] => {
    const p: string[] = [];
    for (let cur: ZoneStatus | undefined = z, n = 0; cur && n < 5; cur = cur.parentId ? byId.get(cur.parentId) : undefined, n++)
      p.unshift(`${rank[cur.level]}:${cur.name ?? cur.zoneId}`);
    return p;
  };
  return out.sort((a, b) => pathOf(a).join('/').localeCompare(pathOf(b).join('/'), 'zh-CN'));
}

/** Names of a zone's parents, outermost first (`pinyin`: the romanised names where the data has them). */
export function parentNames(ws: Workspace, zoneId: string, pinyin = false): string[] {
  const zones = new Map(readZones(ws).map((z) => [z.zoneId, z]));
  const names: string[] = [];
  let cur = zones.get(zoneId)?.parentId ? zones.get(zones.get(zoneId)!.parentId!) : undefined;
  for (let n = 0; cur && n < 5; n++) {
    names.unshift((pinyin ? cur.namePinyin : null) ?? cur.name ?? cur.zoneId);
    cur = cur.parentId ? zones.get(cur.parentId) : undefined;
  }
  return names;
}
