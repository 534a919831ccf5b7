import { parentPort, workerData } from 'node:worker_threads';
import { parseFieldExportText } from './parse-field-export';

// Parses a large field-app export off the server's event loop.
const { text, defaultTeam } = workerData as { text: string; defaultTeam: string | null };
try {
  parentPort!.postMessage({ ok: true, result: parseFieldExportText(text, defaultTeam) });
} catch (err) {
  const e = err as { message?: string; code?: string; field?: string };
  parentPort!.postMessage({ ok: false, message: e.message ?? String(err), code: e.code, field: e.field });
}
