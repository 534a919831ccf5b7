import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { applyReport, digestOf, pointToPolygonDistanceM, sha256Hex, TargetIndex, targetFromFinding, type GroundReport, type Polygon } from '@tiandi/geo';
import { StoreError } from './errors';
import { markStaleCertificates } from './mark-stale';
import { flagOutOfScope, matchReportInScope } from './report-scope';
import { reopenReviewerDismissals } from './desk-decisions';
import { decodeReportsText } from './decode-reports-text';
import { parseReportsFile, type RejectedRow, type ReportRow } from './parse-reports-file';
import { isPhotoSha, readReportPhoto } from './read-report-photos';
import { sniffImage } from './sniff-image';
import { readTargets, writeTarget } from './rows';
import { dbOf, type Workspace } from './workspace';

/** Photo bytes by the name a report used for them (a path relative to the report file, or a sha256). */
export type PhotoBytes = Map<string, { bytes: Uint8Array; mime: string | null }>;

export interface ImportReportsResult {
  added: { row: number; reportId: string; targetId: string | null; match: string; from: string | null; to: string | null }[];
  /** Rows whose report id was already stored with the same content (idempotent re-import). */
  unchanged: { row: number; reportId: string }[];
  rejected: RejectedRow[];
  /** Targets created for findings no scan flagged (missed_by_scan). */
  newTargets: string[];
  /** Targets flagged for review because a report contradicted them. */
  contradictions: { targetId: string; reportId: string; reason: string }[];
  staleCertificates: string[];
  /** Stored, but worth a look: e.g. a report whose position is far from the target it names. */
  warnings: { row: number; reportId: string; message: string }[];
  /** Reports that fell by position on another team's target: recorded, not applied, the target flagged for review. */
  outOfScope: { reportId: string; targetId: string; reason: string }[];
}

const POLICY_DEFAULTS = { matchMarginM: 10, verifyAfterDays: 1 };

/**
 * The targets one import read, kept between its batches ({@link importReports}' `targets` option) so each batch
 * does not re-read and re-index them all. Used only while the database is as the last batch left it.
 */
export interface ImportTargetsCache {
  index?: TargetIndex;
  stamp?: string;
}

/**
 * What the database has seen: rows this connection changed, and commits by other connections. Equal stamps
 * mean no write came between them, so targets read before are still current.
 */
function changeStamp(ws: Workspace): string {
  const mine = (dbOf(ws).prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  return `${mine}:${dbOf(ws).pragma('data_version', { simple: true })}`;
}

function targetsOf(ws: Workspace, cache?: ImportTargetsCache): TargetIndex {
  if (cache?.index && cache.stamp === changeStamp(ws)) return cache.index;
  return new TargetIndex(readTargets(ws));
}

/**
 * Records validated reports as one transaction: each is matched to its target (by id, else by position
 * within accuracy + margin), advances that target's lifecycle (contradictions flagged for review, never
 * overwritten), or becomes a missed_by_scan target when it found poppy where no scan did. Idempotent by
 * report id: the same report again is a no-op; the same id with other content is rejected. Photos are
 * stored by sha256. Issued certificates whose zone a report touches are marked stale.
 */
export function importReports(ws: Workspace, rows: ReportRow[], actor: string, opts: ImportReportsOptions = {}): ImportReportsResult {
  // Kept only by a batch that commits itself: inside a caller's transaction, a later rollback would leave it stale.
  const cache = dbOf(ws).inTransaction ? undefined : opts.targets;
  const kept = cache?.index;
  // The index is changed as rows are applied: if this batch rolls back, the next one must read afresh.
  if (opts.targets) opts.targets.index = undefined;
  let stamp: string | undefined;
  let built: TargetIndex | undefined;
  const result = ws.write(actor, (audit) => {
    const batch: Batch = {
      ws,
      audit,
      opts,
      res: { added: [], unchanged: [], rejected: [], newTargets: [], contradictions: [], staleCertificates: [], warnings: [], outOfScope: [] },
      policy: seasonPolicy(ws, opts.seasonId),
      targets: targetsOf(ws, { index: kept, stamp: cache?.stamp }),
      sql: statements(ws),
      touched: [],
    };
    for (const { row, report } of rows) importRow(batch, row, report);
    const { res } = batch;
    res.staleCertificates = markStaleCertificates(ws, batch.touched, `新的地面报告 new ground reports (${res.added.length})`, audit);
    if (cache) {
      stamp = changeStamp(ws);
      built = batch.targets;
    }
    return res;
  });
  if (cache) {
    cache.index = built;
    cache.stamp = stamp;
  }
  return result;
}

/** Options of {@link importReports}. */
export interface ImportReportsOptions {
  source?: string;
  photos?: PhotoBytes;
  seasonId?: string;
  teamScope?: ReadonlySet<string>;
  targets?: ImportTargetsCache;
}

type Audit = (action: string, subject: string, payload?: unknown) => unknown;

/** One import's transaction: what every row reads and adds to. */
interface Batch {
  ws: Workspace;
  audit: Audit;
  opts: ImportReportsOptions;
  res: ImportReportsResult;
  policy: { matchMarginM: number; verifyAfterDays: number };
  targets: TargetIndex;
  sql: ReturnType<typeof statements>;
  /** A tiny square around each added report, for marking certificates stale. */
  touched: Polygon[];
}

function statements(ws: Workspace) {
  return {
    existing: dbOf(ws).prepare('SELECT content_sha256 FROM reports WHERE report_id = ?'),
    insPhoto: dbOf(ws).prepare('INSERT INTO photos (sha256, mime, size_bytes, bytes, added_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(sha256) DO NOTHING'),
    hasPhoto: dbOf(ws).prepare('SELECT 1 FROM photos WHERE sha256 = ?'),
    insReport: dbOf(
      ws,
    ).prepare(`INSERT INTO reports (geom, report_id, target_id, match, verdict, what, accuracy_m, observed_at, team, plant_count, area_m2, photos_json, notes, content_sha256, source, imported_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
  };
}

/** One row: its photos resolved, then unchanged, rejected, or matched, applied and stored. */
function importRow(batch: Batch, row: number, raw: GroundReport): void {
  const { res, opts } = batch;
  const photos = resolvePhotos(batch, raw.photos);
  if ('error' in photos) {
    res.rejected.push({ row, message: photos.error });
    return;
  }
  const report: GroundReport = { ...raw, photos: photos.hashes };
  const contentSha = digestOf(report);
  const old = batch.sql.existing.get(report.reportId) as { content_sha256: string } | undefined;
  if (old) {
    if (old.content_sha256 === contentSha) res.unchanged.push({ row, reportId: report.reportId });
    else
      res.rejected.push({
        row,
        message: `report_id '${report.reportId}' 已用于另一份内容不同的报告 already stored with different content: give a new report_id`,
      });
    return;
  }
  const m = matchReportInScope(report, batch.targets, batch.policy.matchMarginM, opts.teamScope);
  if (m.kind === 'unknown_target') {
    res.rejected.push({ row, message: `target_id: 工作区中没有目标 no target '${m.targetId}' in this workspace (leave target_id empty to match by position)` });
    return;
  }
  const { targetId, from, to } = applyMatch(batch, row, report, m);
  storeReport(batch, report, targetId, m.kind === 'unmatched' ? (targetId ? 'new_target' : 'none') : m.kind, contentSha);
  for (const store of photos.pending) store();
  batch.audit('report.add', report.reportId, { target_id: targetId, match: m.kind, verdict: report.verdict, content_sha256: contentSha });
  res.added.push({ row, reportId: report.reportId, targetId, match: m.kind, from, to });
  const [lon, lat] = report.position;
  const d = 1e-6;
  batch.touched.push({
    type: 'Polygon',
    coordinates: [
      [
        [lon - d, lat - d],
        [lon + d, lat - d],
        [lon + d, lat + d],
        [lon - d, lat + d],
        [lon - d, lat - d],
      ],
    ],
  });
}

/**
 * The report's photos by sha256: given bytes (stored once the report is, and only when they are an image), or a photo
 * already stored. The first problem is the row's error.
 */
function resolvePhotos({ ws, opts, sql }: Batch, names: string[]): { hashes: string[]; pending: (() => void)[] } | { error: string } {
  const hashes: string[] = [];
  const pending: (() => void)[] = [];
  let error: string | null = null;
  for (const name of names) {
    const given = opts.photos?.get(name);
    if (given) {
      // Photos are stored by sha256 and only when their bytes are an image, whatever name or type they came with.
      const h = sha256Hex(given.bytes);
      const mime = sniffImage(given.bytes);
      if (!mime) error ??= `photos: 不是图片 photo '${name}' is not a JPEG, PNG, HEIC or WebP image (by its content)`;
      else if (isPhotoSha(name) && name.toLowerCase() !== h) error ??= `photos: 照片校验和不符 photo '${name}' has sha256 ${h}`;
      else {
        pending.push(() => sql.insPhoto.run(h, mime, given.bytes.byteLength, Buffer.from(given.bytes), ws.now()));
        hashes.push(h);
      }
    } else if (isPhotoSha(name) && sql.hasPhoto.get(name.toLowerCase())) hashes.push(name.toLowerCase());
    else error ??= `photos: 找不到照片 photo '${name}' not found (give a path relative to the report file, or the sha256 of a stored photo)`;
  }
  return error ? { error } : { hashes, pending };
}

type ReportMatch = Exclude<ReturnType<typeof matchReportInScope>, { kind: 'unknown_target' }>;

/** What the match does to the targets: another team's is flagged, a finding off every target becomes one, a matched target's lifecycle advances. */
function applyMatch(batch: Batch, row: number, report: GroundReport, m: ReportMatch): { targetId: string | null; from: string | null; to: string | null } {
  const { ws, targets, res, audit } = batch;
  if (m.kind === 'out_of_scope') {
    // Another team's target: keep the report, leave the target's status alone, and ask a person to look.
    const flagged = flagOutOfScope(targets.get(m.targetId)!, report);
    targets.set(flagged.target);
    writeTarget(ws, flagged.target);
    res.outOfScope.push({ reportId: report.reportId, targetId: m.targetId, reason: flagged.reason });
    audit('target.review', m.targetId, { reason: flagged.reason, report_id: report.reportId, team: report.team });
    return { targetId: null, from: null, to: null };
  }
  if (m.kind === 'unmatched') {
    if (report.verdict !== 'confirmed_poppy' && report.verdict !== 'eradicated') return { targetId: null, from: null, to: null };
    const t = targetFromFinding(report);
    targets.set(t);
    writeTarget(ws, t);
    res.newTargets.push(t.id);
    audit('target.add', t.id, { status: t.status, origin: 'ground', missed_by_scan: true, report_id: report.reportId });
    return { targetId: t.id, from: null, to: t.status };
  }
  if (m.kind === 'by_id') {
    const d = pointToPolygonDistanceM(report.position, targets.get(m.targetId)!.geometry);
    if (d > report.accuracyM + batch.policy.matchMarginM) {
      res.warnings.push({
        row,
        reportId: report.reportId,
        message: `位置距目标 ${m.targetId} ${Math.round(d)} m（超过精度 + 余量 ${Math.round(report.accuracyM + batch.policy.matchMarginM)} m）position is ${Math.round(d)} m from target ${m.targetId}: check the target id or the GPS fix`,
      });
    }
  }
  const change = applyReport(targets.get(m.targetId)!, report, batch.policy);
  targets.set(change.target);
  writeTarget(ws, change.target);
  if (change.from !== change.to) audit('target.status', m.targetId, { from: change.from, to: change.to, report_id: report.reportId });
  if (change.from !== change.to && (change.to === 'confirmed' || change.to === 'eradicated')) {
    // A desk dismissal the ground found to be poppy: that reviewer's other dismissals this season are not trusted either.
    for (const r of reopenReviewerDismissals(ws, change.target, report.reportId, audit)) targets.set(r);
  }
  if (change.contradiction) {
    res.contradictions.push({ targetId: m.targetId, reportId: report.reportId, reason: change.contradiction });
    audit('target.review', m.targetId, { reason: change.contradiction, report_id: report.reportId });
  }
  return { targetId: m.targetId, from: change.from, to: change.to };
}

function storeReport({ ws, sql, opts }: Batch, report: GroundReport, targetId: string | null, match: string, contentSha: string): void {
  const point = { type: 'Point' as const, coordinates: report.position };
  sql.insReport.run(
    ws.blob(point),
    report.reportId,
    targetId,
    match,
    report.verdict,
    report.what,
    report.accuracyM,
    report.observedAt,
    report.team,
    report.plantCount,
    report.areaM2,
    JSON.stringify(report.photos),
    report.notes,
    contentSha,
    opts.source ?? null,
    ws.now(),
  );
  ws.extendLayer('reports', point);
}

function seasonPolicy(ws: Workspace, seasonId?: string) {
  const r = (
    seasonId
      ? dbOf(ws).prepare('SELECT season_json FROM seasons WHERE season_id = ?').get(seasonId)
      : dbOf(ws).prepare('SELECT season_json FROM seasons ORDER BY set_at DESC, fid DESC LIMIT 1').get()
  ) as { season_json: string } | undefined;
  if (!r) return POLICY_DEFAULTS;
  const p = JSON.parse(r.season_json).policy;
  return { matchMarginM: p.match_margin_m, verifyAfterDays: p.verify_after_days };
}

/** A reports file read and validated, with its photos loaded: ready for {@link importReports}. */
export interface ReportsFile {
  path: string;
  rows: ReportRow[];
  rejected: RejectedRow[];
  photos: PhotoBytes;
}

/** Options of reading a reports file. */
export interface ReadReportsOptions {
  signal?: AbortSignal;
  /** Folder the photos named in the file are in (default: the report file's own folder); nothing outside it is read. */
  photosDir?: string;
}

/**
 * Reads and validates a reports file (GeoJSON or CSV; UTF-8 or GBK/GB18030, see {@link decodeReportsText}) and
 * loads its photos: each named relative to the file's folder (or `photosDir`), never outside it, and a
 * JPEG/PNG/HEIC/WebP by content ({@link readReportPhoto}). A row naming a photo that cannot be read so is rejected
 * with the reason; a name that is the sha256 of a stored photo is kept as is.
 */
export async function readReportsFile(path: string, opts: ReadReportsOptions = {}): Promise<ReportsFile> {
  if (!existsSync(path)) throw new StoreError('TIANDI_E_INPUT', '找不到文件 file not found', path);
  const text = decodeReportsText(await readFile(path, { signal: opts.signal }), path);
  const parsed = parseReportsFile(text, path);
  const dirs = [resolve(opts.photosDir ?? dirname(path))];
  const photos: PhotoBytes = new Map();
  const failed = new Map<string, string>();
  const rows: ReportRow[] = [];
  const rejected = [...parsed.rejected];
  for (const r of parsed.rows) {
    let why: string | undefined;
    for (const name of r.report.photos) {
      if (isPhotoSha(name) || photos.has(name)) continue;
      if (!failed.has(name)) {
        const got = await readReportPhoto(name, dirs, opts.signal);
        if (got.ok) photos.set(name, { bytes: got.bytes, mime: got.mime });
        else failed.set(name, got.message);
      }
      why ??= failed.get(name);
    }
    if (why) rejected.push({ row: r.row, message: `photos: ${why}` });
    else rows.push(r);
  }
  rejected.sort((a, b) => a.row - b.row);
  return { path, rows, rejected, photos };
}

/**
 * Reads a reports file (GeoJSON or CSV) and its photos, then {@link importReports}.
 * Bad rows are returned in `rejected` with their row numbers; good rows are stored.
 */
export async function importReportsFile(
  ws: Workspace,
  path: string,
  actor: string,
  opts: ReadReportsOptions & { seasonId?: string } = {},
): Promise<ImportReportsResult> {
  return (await importReportsFiles(ws, [path], actor, opts))[0];
}

/** Several reports files imported as ONE transaction (all or nothing), one result per file, in order. */
export async function importReportsFiles(
  ws: Workspace,
  paths: string[],
  actor: string,
  opts: ReadReportsOptions & { seasonId?: string } = {},
): Promise<ImportReportsResult[]> {
  const files: ReportsFile[] = [];
  for (const p of paths) files.push(await readReportsFile(p, opts));
  opts.signal?.throwIfAborted();
  return ws.write(actor, () =>
    files.map((f) => {
      const res = importReports(ws, f.rows, actor, { source: basename(f.path), photos: f.photos, seasonId: opts.seasonId });
      res.rejected = [...f.rejected, ...res.rejected].sort((a, b) => a.row - b.row);
      return res;
    }),
  );
}
