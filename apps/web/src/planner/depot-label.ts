import { placeName } from '../i18n/index';

/** The planning context's depot, as GET /api/planning/context sends it. */
export interface DepotContext {
  depot: [number, number] | null;
  depotName: string | null;
  /** The depot's romanised name (the seed's name_pinyin or name_en); absent from an older server. */
  depotNamePinyin?: string | null;
}

/**
 * The depot line of the planner: the stored depot's name in the UI's language (romanised in English where the data
 * has it, as zone names are), then its coordinates; a depot moved on the map has no name. Null when there is no depot.
 */
export function depotLabel(context: DepotContext, depot: [number, number] | null): string | null {
  if (!depot) return null;
  const name = depot === context.depot ? placeName(context.depotName, context.depotNamePinyin) : null;
  return `${name ? `${name} ` : ''}${depot[1].toFixed(5)}, ${depot[0].toFixed(5)}`;
}
