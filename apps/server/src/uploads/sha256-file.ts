import { createHash } from 'node:crypto';
import fs from 'node:fs';

/** The sha256 (lowercase hex) of a file, read as a stream (works for multi-gigabyte files). */
export async function sha256File(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  const stream = fs.createReadStream(file, { highWaterMark: 4 * 1024 * 1024, signal });
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
