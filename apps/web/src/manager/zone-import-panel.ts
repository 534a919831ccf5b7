import type { ZoneImportAnswer, ZoneImportBody } from '@tiandi/api';
import { api } from '../api/api';
import { errorText } from '../api/error-text';
import { registerMessages, t } from '../i18n/index';
import { h } from '../ui/h';

registerMessages({
  'zh-CN': {
    'zimp.title': '导入区划边界',
    'zimp.hint': 'Shapefile（同时选 .shp .dbf .prj .cpg .shx）、KML/KMZ（Google Earth、奥维）、GeoPackage 或 GeoJSON，任意坐标系',
    'zimp.level': '级别',
    'zimp.idField': '编号字段',
    'zimp.nameField': '名称字段',
    'zimp.auto': '（自动）',
    'zimp.preview': '预览字段',
    'zimp.go': '导入',
    'zimp.fields': '{format} · {crs} · {n} 个面要素',
    'zimp.done': '新增 {added}，更新 {updated}，未变 {unchanged}',
  },
  en: {
    'zimp.title': 'Import zone boundaries',
    'zimp.hint': 'Shapefile (pick .shp .dbf .prj .cpg .shx together), KML/KMZ (Google Earth, 奥维), GeoPackage or GeoJSON, in any CRS',
    'zimp.level': 'Level',
    'zimp.idField': 'Id field',
    'zimp.nameField': 'Name field',
    'zimp.auto': '(automatic)',
    'zimp.preview': 'Preview fields',
    'zimp.go': 'Import',
    'zimp.fields': '{format} · {crs} · {n} polygons',
    'zimp.done': '{added} added, {updated} updated, {unchanged} unchanged',
  },
});

async function asBase64(f: File): Promise<{ name: string; base64: string }> {
  const bytes = new Uint8Array(await f.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { name: f.name, base64: btoa(bin) };
}

/**
 * The manager's boundary import (POST /api/manager/zones/import): pick a layer's files, preview its fields
 * (the id and name fields fill in with Tiandi's suggestion), choose the level, import.
 */
export function zoneImportPanel(onDone: () => void): HTMLElement {
  const files = h('input', { type: 'file', multiple: true, accept: '.shp,.shx,.dbf,.prj,.cpg,.kml,.kmz,.gpkg,.geojson,.json', 'data-testid': 'zimp-files' });
  const level = h(
    'select',
    { 'data-testid': 'zimp-level' },
    ...(['village', 'township', 'county'] as const).map((l) => h('option', { value: l }, t(`mgr.level.${l}`))),
  );
  const idField = h('select', { 'data-testid': 'zimp-id' }, h('option', { value: '' }, t('zimp.auto')));
  const nameField = h('select', { 'data-testid': 'zimp-name' }, h('option', { value: '' }, t('zimp.auto')));
  const out = h('div', { class: 'msg', 'data-testid': 'zimp-result' });
  const send = async (preview: boolean) => {
    const picked = [...(files.files ?? [])];
    if (!picked.length) return;
    const body: ZoneImportBody = {
      files: await Promise.all(picked.map(asBase64)),
      preview,
      level: level.value as ZoneImportBody['level'],
      ...(idField.value ? { idField: idField.value } : {}),
      ...(nameField.value ? { nameField: nameField.value } : {}),
    };
    return api<ZoneImportAnswer>('/api/manager/zones/import', { body });
  };
  const run = (preview: boolean) => async (e: Event) => {
    const btn = e.currentTarget as HTMLButtonElement;
    btn.disabled = true;
    try {
      const r = await send(preview);
      if (!r) return;
      out.className = 'msg ok';
      if ('preview' in r) {
        const p = r.preview;
        for (const sel of [idField, nameField])
          sel.replaceChildren(
            h('option', { value: '' }, t('zimp.auto')),
            ...p.fields.map((f) => h('option', { value: f.name }, `${f.name} — ${f.samples.join(' | ')}`)),
          );
        idField.value = p.idField ?? '';
        nameField.value = p.nameField ?? '';
        out.replaceChildren(
          h('div', null, t('zimp.fields', { format: p.format, crs: p.crs, n: p.polygons })),
          ...(p.note ? [h('div', { class: 'muted' }, p.note)] : []),
        );
      } else {
        out.replaceChildren(
          h('div', null, t('zimp.done', { added: r.result.added.length, updated: r.result.updated.length, unchanged: r.result.unchanged.length })),
          ...(r.note ? [h('div', { class: 'muted' }, r.note)] : []),
        );
        onDone();
      }
    } catch (err) {
      out.className = 'msg bad';
      out.textContent = errorText(err);
    } finally {
      btn.disabled = false;
    }
  };
  return h(
    'section',
    { class: 'panel', 'data-testid': 'zone-import' },
    h('h2', null, t('zimp.title')),
    h('p', { class: 'muted' }, t('zimp.hint')),
    files,
    h('label', null, t('zimp.level'), ' ', level),
    h('label', null, t('zimp.idField'), ' ', idField),
    h('label', null, t('zimp.nameField'), ' ', nameField),
    h(
      'p',
      null,
      h('button', { type: 'button', 'data-testid': 'zimp-preview', onclick: run(true) }, t('zimp.preview')),
      ' ',
      h('button', { type: 'button', 'data-testid': 'zimp-go', onclick: run(false) }, t('zimp.go')),
    ),
    out,
  );
}
