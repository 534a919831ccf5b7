import './manager-messages';
import './manager.css';
import type { CertificateSummary, RasterInfo, ZoneDetail, ZoneStatus } from '@tiandi/api';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { api } from '../api/api';
import { currentAccount } from '../auth/session';
import { fmtNumber, getLang, placeName, t } from '../i18n/index';
import { createMap, whenLoaded } from '../map/create-map';
import type { View } from '../router';
import { h } from '../ui/h';
import { errorText, pickLanguage } from '../api/error-text';
import { zoneImportPanel } from './zone-import-panel';
import { adaptationPanel } from './adaptation-panel';

const pct = (x: number | null) => (x === null ? '—' : `${fmtNumber(x * 100, 1)} %`);
const STATUS_COLOUR = [
  'match',
  ['get', 'status'],
  'confirmed',
  '#e03131',
  'eradicated',
  '#f08c00',
  'eradication_verified',
  '#2b8a3e',
  'inspected_negative',
  '#868e96',
  'dismissed_desk',
  '#ced4da',
  'dismissed_model',
  '#dee2e6',
  'needs_revisit',
  '#9c36b5',
  '#1c7ed6',
];

/** #/manager — zone tree, one zone's evidence and rules on the map, certify/revoke, certificates, audit (issue 7). */
const managerView: View = (root) => {
  const account = currentAccount();
  if (!account || (account.role !== 'manager' && account.role !== 'admin')) {
    root.append(h('p', { class: 'empty' }, t('mgr.notManager')));
    return;
  }
  const tree = h('ul', { class: 'tree', 'data-testid': 'zone-tree' });
  const stale = h('section', { class: 'panel', 'data-testid': 'stale' });
  const reload = () => void loadTree().then(() => (state.selected ? select(state.selected) : undefined));
  const detail = h('div', { 'data-testid': 'zone-detail' }, h('p', { class: 'muted' }, t('mgr.pick')));
  const mapEl = h('div', { class: 'map', 'data-testid': 'map' });
  root.append(
    h(
      'div',
      { class: 'layout manager' },
      h(
        'aside',
        { class: 'sidebar' },
        h('h2', null, t('mgr.title')),
        stale,
        h('section', { class: 'panel' }, h('h2', null, t('mgr.zones')), tree),
        detail,
        importReportsPanel(reload),
        zoneImportPanel(() => void loadTree()),
        adaptationPanel(account.role === 'manager', reload),
      ),
      h('div', { class: 'mapbox' }, mapEl),
    ),
  );
  const map = createMap(mapEl);
  const state = { selected: null as string | null, disposed: false };
  const ready = whenLoaded(map).then(() => addZoneLayers(map));
  // The evidence under the targets: the operator's orthophoto and heatmap tiles.
  void ready.then(() => addRasters(map, mapEl.parentElement!, () => state.selected === null && !state.disposed)).catch(() => undefined);

  const loadTree = async () => {
    const [{ zones }, { certificates }] = await Promise.all([
      api<{ zones: ZoneStatus[] }>('/api/manager/zones'),
      api<{ certificates: CertificateSummary[] }>('/api/manager/certificates?status=stale'),
    ]);
    if (state.disposed) return;
    stale.replaceChildren(...staleCertificates(certificates));
    tree.replaceChildren(...zones.map((z) => zoneTreeItem(z, z.zoneId === state.selected, () => void select(z.zoneId))));
  };

  const select = async (zoneId: string) => {
    state.selected = zoneId;
    tree.querySelectorAll('li').forEach((li) => li.classList.toggle('selected', li.dataset.zone === zoneId));
    const d = await api<ZoneDetail>(`/api/manager/zones/${encodeURIComponent(zoneId)}`);
    if (state.disposed || state.selected !== zoneId) return;
    await ready;
    showZoneOnMap(map, d);
    detail.replaceChildren(
      ...zoneDetail(d, map, async () => {
        await loadTree();
        await select(d.status.zoneId);
      }),
    );
  };

  void loadTree().catch((err) => detail.replaceChildren(h('p', { class: 'error' }, errorText(err))));
  return () => {
    state.disposed = true;
    map.remove();
  };
};
export default managerView;

/** The zone outline, its coverage gaps, its targets coloured by status, and the highlight of a failing feature. */
function addZoneLayers(map: MapLibreMap): void {
  const empty: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
  for (const id of ['zone', 'gaps', 'targets', 'hl']) map.addSource(id, { type: 'geojson', data: empty });
  map.addLayer({ id: 'zone-fill', type: 'fill', source: 'zone', paint: { 'fill-color': '#2b8a3e', 'fill-opacity': 0.08 } });
  map.addLayer({ id: 'zone-line', type: 'line', source: 'zone', paint: { 'line-color': '#123d2f', 'line-width': 2.5 } });
  map.addLayer({ id: 'gaps', type: 'fill', source: 'gaps', paint: { 'fill-color': '#e03131', 'fill-opacity': 0.35 } });
  map.addLayer({ id: 'targets', type: 'fill', source: 'targets', paint: { 'fill-color': STATUS_COLOUR as never, 'fill-opacity': 0.6 } });
  map.addLayer({ id: 'targets-line', type: 'line', source: 'targets', paint: { 'line-color': STATUS_COLOUR as never, 'line-width': 2 } });
  map.addLayer({ id: 'hl', type: 'line', source: 'hl', paint: { 'line-color': '#ffd43b', 'line-width': 5 } });
}

function showZoneOnMap(map: MapLibreMap, d: ZoneDetail): void {
  (map.getSource('zone') as GeoJSONSource).setData(d.zone);
  (map.getSource('gaps') as GeoJSONSource).setData(d.gaps);
  (map.getSource('targets') as GeoJSONSource).setData(d.targets);
  (map.getSource('hl') as GeoJSONSource).setData({ type: 'FeatureCollection', features: [] });
  fit(map, d.zone.geometry);
}

/** The heading and one line per certificate whose evidence has changed since it was issued. */
function staleCertificates(certificates: CertificateSummary[]): HTMLElement[] {
  return [
    h('h2', null, certificates.length ? t('mgr.stale', { n: certificates.length }) : t('mgr.noStale')),
    ...certificates.map((c) => h('div', { class: 'msg bad' }, `${c.zoneName ?? c.zoneId} · ${c.certId} · ${pickLanguage(c.statusReason ?? '', getLang())}`)),
  ];
}

/** One zone in the tree: name, level, ready or not, its certificate, and its coverage and counts. */
function zoneTreeItem(z: ZoneStatus, selected: boolean, onSelect: () => void): HTMLElement {
  const cert =
    z.certificate && z.certificate.status !== 'revoked'
      ? h('span', { class: `pill ${z.certificate.status === 'issued' ? 'ok' : 'warn'}` }, t(`mgr.cert.${z.certificate.status}`))
      : null;
  return h(
    'li',
    { 'data-zone': z.zoneId, 'data-level': z.level, class: selected ? 'selected' : '', onclick: onSelect },
    h(
      'div',
      null,
      h('span', { class: 'zname' }, placeName(z.name, z.namePinyin) ?? z.zoneId),
      ' ',
      h('span', { class: 'muted' }, t(`mgr.level.${z.level}`)),
      ' ',
      h('span', { class: `pill ${z.certifiable ? 'ok' : 'bad'}`, 'data-testid': 'zone-ready' }, z.certifiable ? t('mgr.ready') : t('mgr.notReady')),
      ' ',
      cert,
    ),
    h(
      'div',
      { class: 'zfig' },
      h('span', null, t('mgr.coverage', { pct: pct(z.coverageShare) })),
      h('span', { 'data-testid': 'zone-open' }, t('mgr.open', { n: z.openItems })),
      h('span', null, t('mgr.confirmed', { n: z.confirmed })),
      h('span', null, t('mgr.eradicated', { n: z.eradicated })),
    ),
  );
}

type AuditEntry = { seq: number; at: string; actor: string; action: string; subject: string };
const auditLine = (e: AuditEntry) => h('div', null, `#${e.seq} ${e.at.slice(0, 16)} ${e.actor} · ${e.action} · ${e.subject}`);

/** One zone's panels: its figures, the certification rules with certify, its certificates, and its audit trail. `refresh` reloads tree and zone. */
function zoneDetail(d: ZoneDetail, map: MapLibreMap, refresh: () => Promise<void>): HTMLElement[] {
  const msg = h('p', { class: 'msg', 'data-testid': 'certify-msg' });
  const audit = auditSection(d);
  const byStatus =
    Object.entries(d.status.targetsByStatus)
      .map(([k, v]) => `${t(`mgr.status.${k}`)} ${v}`)
      .join(' · ') || '—';
  return [
    h(
      'section',
      { class: 'panel' },
      h(
        'h2',
        { 'data-testid': 'zone-title' },
        [...(getLang() === 'en' && d.parentsPinyin ? d.parentsPinyin : d.parents), placeName(d.status.name, d.status.namePinyin) ?? d.status.zoneId].join(
          ' › ',
        ),
        ` · ${d.season.name}`,
      ),
      h(
        'div',
        null,
        `${t('mgr.fig.coverage')}: `,
        h('b', { 'data-testid': 'zone-coverage' }, pct(d.coverage.share)),
        ` · ${t('mgr.fig.gap')}: ${fmtNumber(d.coverage.gapAreaM2, 0)} m²`,
      ),
      h('div', null, `${t('mgr.fig.targets')}: ${d.targets.features.length} · ${byStatus}`),
      h('div', null, `${t('mgr.digest')}: `, h('span', { class: 'digest' }, d.evidenceDigest)),
    ),
    h('section', { class: 'panel' }, h('h2', null, t('mgr.rules')), rulesTable(d, map, audit.showTarget), h('p', null, certifyButton(d, msg, refresh)), msg),
    h('section', { class: 'panel' }, h('h2', null, t('mgr.certificates')), certificateList(d, refresh)),
    audit.section,
  ];
}

/** One row per certification rule, pass or fail; a failing feature's link highlights it on the map and shows its audit. */
function rulesTable(d: ZoneDetail, map: MapLibreMap, showTargetAudit: (targetId: string) => Promise<void>): HTMLElement {
  return h(
    'table',
    { class: 'rules', 'data-testid': 'rules' },
    ...d.rules.map((r) =>
      h(
        'tr',
        { 'data-rule': r.id, 'data-pass': String(r.pass) },
        h('td', null, h('span', { class: `pill ${r.pass ? 'ok' : 'bad'}` }, r.pass ? t('mgr.pass') : t('mgr.fail'))),
        h(
          'td',
          null,
          h('div', null, pickLanguage(r.title, getLang())),
          h('div', { class: 'muted' }, pickLanguage(r.detail, getLang())),
          r.failing.length
            ? h(
                'div',
                { class: 'failing' },
                t('mgr.failing', { n: r.failing.length }),
                ' ',
                ...r.failing.map((f) =>
                  h(
                    'a',
                    {
                      href: '#',
                      'data-testid': 'failing-feature',
                      onclick: (ev: Event) => {
                        ev.preventDefault();
                        (map.getSource('hl') as GeoJSONSource).setData(f);
                        fit(map, f.geometry, 19);
                        const targetId = f.properties?.target_id as string | undefined;
                        if (targetId) void showTargetAudit(targetId);
                      },
                    },
                    String(f.id ?? f.properties?.target_id ?? 'gap'),
                  ),
                ),
              )
            : null,
        ),
      ),
    ),
  );
}

/** Certifies the zone; after the refresh the new certificate's id is shown, or the server's refusal in `msg`. */
function certifyButton(d: ZoneDetail, msg: HTMLElement, refresh: () => Promise<void>): HTMLButtonElement {
  const certify = h(
    'button',
    {
      type: 'button',
      class: 'primary',
      'data-testid': 'certify',
      onclick: async () => {
        certify.disabled = true;
        try {
          const res = await api<{ certificate: CertificateSummary }>(`/api/manager/zones/${encodeURIComponent(d.status.zoneId)}/certify`, { body: {} });
          await refresh();
          const m = document.querySelector('[data-testid=certify-msg]');
          if (m) {
            m.className = 'msg ok';
            m.textContent = t('mgr.certified', { id: res.certificate.certId });
          }
        } catch (err) {
          msg.className = 'msg bad';
          msg.textContent = errorText(err);
          certify.disabled = false;
        }
      },
    },
    t('mgr.certify'),
  );
  return certify;
}

/** The zone's certificates with their PDF and page, and revoke (with a reason) for those not yet revoked. */
function certificateList(d: ZoneDetail, refresh: () => Promise<void>): HTMLElement {
  return h(
    'div',
    { 'data-testid': 'certificates' },
    ...d.certificates.map((c) =>
      h(
        'div',
        { 'data-cert': c.certId, 'data-status': c.status },
        h('span', { class: `pill ${c.status === 'issued' ? 'ok' : c.status === 'stale' ? 'warn' : ''}` }, t(`mgr.cert.${c.status}`)),
        ' ',
        c.certId,
        ' · ',
        c.signedBy,
        ' · ',
        c.issuedAt.slice(0, 16),
        ' ',
        h(
          'a',
          { href: `./api/manager/certificates/${encodeURIComponent(c.certId)}/pdf`, 'data-testid': 'cert-pdf', download: `${c.certId}.pdf` },
          t('mgr.pdf'),
        ),
        ' ',
        h('a', { href: `./api/manager/certificates/${encodeURIComponent(c.certId)}/page`, target: '_blank', rel: 'noopener' }, t('mgr.page')),
        ' ',
        c.status !== 'revoked'
          ? h(
              'button',
              {
                type: 'button',
                'data-testid': 'revoke',
                onclick: async () => {
                  const reason = prompt(t('mgr.revokeReason'));
                  if (!reason) return;
                  await api(`/api/manager/certificates/${encodeURIComponent(c.certId)}/revoke`, { body: { reason } });
                  await refresh();
                },
              },
              t('mgr.revoke'),
            )
          : h('span', { class: 'muted' }, pickLanguage(c.statusReason ?? '', getLang())),
      ),
    ),
  );
}

/** The zone's audit trail (newest first), a check of the whole chain, and one target's trail on demand. */
function auditSection(d: ZoneDetail): { section: HTMLElement; showTarget: (targetId: string) => Promise<void> } {
  const audit = h('div', { class: 'audit', 'data-testid': 'audit' });
  const verifyMsg = h('p', { class: 'msg', 'data-testid': 'verify-msg' });
  const verify = h(
    'button',
    {
      type: 'button',
      'data-testid': 'verify',
      onclick: async () => {
        const { verdict } = await api<{ verdict: { ok: boolean; count: number; seq?: number; reason?: string } }>('/api/manager/audit/verify', { body: {} });
        verifyMsg.className = `msg ${verdict.ok ? 'ok' : 'bad'}`;
        verifyMsg.textContent = verdict.ok
          ? t('mgr.verifyOk', { n: verdict.count })
          : t('mgr.verifyBad', { seq: verdict.seq ?? '?', reason: verdict.reason ?? '' });
      },
    },
    t('mgr.verify'),
  );
  const showTarget = async (targetId: string) => {
    const { entries } = await api<{ entries: AuditEntry[] }>(`/api/manager/audit?target=${encodeURIComponent(targetId)}`);
    audit.replaceChildren(h('b', null, t('mgr.targetAudit', { id: targetId })), ...entries.reverse().map(auditLine));
  };
  void api<{ entries: AuditEntry[] }>(`/api/manager/audit?zone=${encodeURIComponent(d.status.zoneId)}&limit=200`).then(({ entries }) => {
    audit.replaceChildren(...entries.reverse().map(auditLine));
  });
  return { section: h('section', { class: 'panel' }, h('h2', null, t('mgr.audit')), h('p', null, verify), verifyMsg, audit), showTarget };
}

/** Upload a CSV/GeoJSON of another field app; the server maps its columns to the report schema. */
function importReportsPanel(onDone: () => void): HTMLElement {
  const file = h('input', { type: 'file', accept: '.csv,.geojson,.json,text/csv,application/geo+json', 'data-testid': 'import-file' });
  const team = h('input', { type: 'text', 'data-testid': 'import-team', placeholder: 'T1' });
  const out = h('div', { class: 'msg', 'data-testid': 'import-result' });
  const go = h(
    'button',
    {
      type: 'button',
      'data-testid': 'import-go',
      onclick: async () => {
        const f = file.files?.[0];
        if (!f) return;
        go.disabled = true;
        try {
          const r = await api<{ added: unknown[]; unchanged: unknown[]; rejected: { row: number; message: string }[] }>('/api/field/reports/import', {
            body: { fileName: f.name, text: await f.text(), ...(team.value.trim() ? { team: team.value.trim() } : {}) },
          });
          out.className = `msg ${r.rejected.length ? 'bad' : 'ok'}`;
          out.replaceChildren(
            h('div', null, t('mgr.importDone', { added: r.added.length, unchanged: r.unchanged.length, rejected: r.rejected.length })),
            ...r.rejected.slice(0, 20).map((x) => h('div', null, t('mgr.importRow', { row: x.row, msg: x.message }))),
          );
          onDone();
        } catch (err) {
          out.className = 'msg bad';
          out.textContent = errorText(err);
        } finally {
          go.disabled = false;
        }
      },
    },
    t('mgr.import'),
  );
  return h(
    'section',
    { class: 'panel' },
    h('h2', null, t('mgr.import')),
    h('p', { class: 'muted' }, t('mgr.importHint')),
    file,
    h('label', null, t('mgr.importTeam'), ' ', team),
    h('p', null, go),
    out,
  );
}

/**
 * Adds the survey's orthophotos and heatmaps (GET /api/rasters, the same tiles as the operator's)
 * below the zone and target layers, with a switch for each kind, and frames them while no zone is picked.
 */
async function addRasters(map: MapLibreMap, box: HTMLElement, mayFrame: () => boolean): Promise<void> {
  const { rasters } = await api<{ rasters: RasterInfo[] }>('/api/rasters');
  const usable = rasters.filter((r) => r.tiles);
  if (!map.getStyle()) return;
  const ids: Record<RasterInfo['kind'], string[]> = { ortho: [], heatmap: [] };
  for (const r of [...usable.filter((x) => x.kind === 'ortho'), ...usable.filter((x) => x.kind === 'heatmap')]) {
    const id = `raster-${r.id}`;
    map.addSource(id, {
      type: 'raster',
      tiles: [location.origin + r.tiles],
      tileSize: 256,
      bounds: r.bounds,
      minzoom: r.minzoom ?? 0,
      maxzoom: r.maxzoom ?? 22,
    });
    map.addLayer({ id, type: 'raster', source: id, paint: { 'raster-opacity': r.kind === 'heatmap' ? 0.7 : 1, 'raster-fade-duration': 0 } }, 'zone-fill');
    ids[r.kind].push(id);
  }
  const toggle = (kind: RasterInfo['kind']) =>
    h(
      'label',
      null,
      h('input', {
        type: 'checkbox',
        checked: true,
        'data-testid': `mgr-layer-${kind}`,
        onchange: (e: Event) => {
          for (const id of ids[kind]) map.setLayoutProperty(id, 'visibility', (e.target as HTMLInputElement).checked ? 'visible' : 'none');
        },
      }),
      kind === 'ortho' ? t('map.orthophoto') : t('map.heatmap'),
    );
  box.append(h('div', { class: 'layer-control', 'data-testid': 'mgr-layers' }, toggle('ortho'), toggle('heatmap')));
  const boxes = usable.map((r) => r.bounds).filter((b): b is [number, number, number, number] => Array.isArray(b));
  if (boxes.length && mayFrame()) {
    map.fitBounds(
      [
        [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1]))],
        [Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))],
      ],
      { padding: 20, maxZoom: 17, duration: 0 },
    );
  }
}

function fit(map: MapLibreMap, g: GeoJSON.Geometry, maxZoom = 16): void {
  const xs: number[] = [];
  const ys: number[] = [];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      xs.push(c[0] as number);
      ys.push(c[1] as number);
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  walk((g as { coordinates?: unknown }).coordinates);
  if (!xs.length) return;
  map.fitBounds(
    [
      [Math.min(...xs), Math.min(...ys)],
      [Math.max(...xs), Math.max(...ys)],
    ],
    { padding: 40, maxZoom, duration: 0 },
  );
}
