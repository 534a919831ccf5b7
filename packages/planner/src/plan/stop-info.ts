import type { PlanTarget, StopInfo } from './plan-types';

/** What the team reads at a stop: the target's own note, else one written from its area, score and model. */
export function stopInfo(t: PlanTarget): StopInfo {
  const i = t.info ?? {};
  const area = i.areaM2 ?? t.areaM2;
  const facts = [
    area !== undefined ? `约 ${Math.round(area)} m²` : '',
    i.score !== undefined ? `检测分 ${i.score.toFixed(2)}` : '',
    i.model ? `模型 ${i.model}` : '',
  ]
    .filter(Boolean)
    .join('，');
  const factsEn = [
    area !== undefined ? `~${Math.round(area)} m²` : '',
    i.score !== undefined ? `score ${i.score.toFixed(2)}` : '',
    i.model ? `model ${i.model}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const lookFor =
    i.lookFor ??
    `疑似罂粟地块${facts ? `（${facts}）` : ''}：查看有无罂粟植株、花或蒴果，拍照并上报核查结果 | suspected poppy plot${factsEn ? ` (${factsEn})` : ''}: look for poppy plants, flowers or capsules; photograph and report what you find`;
  return {
    ...(i.village ? { village: i.village } : {}),
    ...(area !== undefined ? { areaM2: area } : {}),
    ...(i.score !== undefined ? { score: i.score } : {}),
    ...(i.model ? { model: i.model } : {}),
    lookFor,
  };
}
