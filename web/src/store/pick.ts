/**
 * Values arrive from the database as untyped JSON. The dashboard shows what it can of them: each
 * field is taken when it has the right type, so one odd field never blanks a whole row. (Writes
 * are checked strictly with the model's schemas; reads are only displayed.)
 */
export type Json = Record<string, unknown>;

export const obj = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
