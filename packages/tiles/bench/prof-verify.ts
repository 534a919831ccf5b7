import { DECODERS } from '../src/read/codecs';
import { scanImages } from '../src/node';
const m = DECODERS as Map<number, any>;
const j = m.get(7)!;
let n = 0, busy = 0, t0 = 0;
const marks: number[] = [];
m.set(7, async (b: any, l: any) => { n++; const t = performance.now(); const r = await j(b, l); busy += performance.now() - t; marks.push(performance.now()); return r; });
const [image, modelDir] = process.argv.slice(2);
t0 = performance.now();
const s = await scanImages({ images: [image], modelDir, outDir: '/tmp/prof/out', verify: true });
console.log(JSON.stringify({ seconds: s.seconds, decodes: n, busyMs: Math.round(busy) }));
// decodes over time in 100-ms buckets
const b = new Map<number, number>();
for (const x of marks) { const k = Math.floor((x - t0) / 100); b.set(k, (b.get(k) ?? 0) + 1); }
console.log([...b.entries()].map(([k, v]) => `${k/10}s:${v}`).join(' '));
