import type { z } from 'zod';

/** The parts of a zod schema's definition the walk reads. */
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  innerType?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
  in?: z.ZodType;
  getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v));

/**
 * `value` with only what `view` publishes, at every depth: a key the view does not name is left
 * out. So a route that hands on a stored row whole (a follow-up with its recognition list) cannot
 * leak what its published answer leaves out. Values are not checked: the compiler checks them
 * (`reply`), and a Date stays a Date for JSON to write.
 */
export function fitToView(view: z.ZodType, value: unknown): unknown {
  const def = defOf(view);
  switch (def.type) {
    case 'object':
      return isRecord(value) ? fitObject(def, value) : value;
    case 'array':
      return Array.isArray(value) ? value.map((v) => fitToView(def.element!, v)) : value;
    case 'record':
      return isRecord(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fitToView(def.valueType!, v)])) : value;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return value == null ? value : fitToView(def.innerType!, value);
    case 'pipe':
      return fitToView(def.in!, value);
    case 'lazy':
      return fitToView(def.getter!(), value);
    case 'union':
      return isRecord(value) ? fitAnyOf(def.options!, value) : value;
    case 'intersection':
      return isRecord(value) ? fitAnyOf([def.left!, def.right!], value) : value;
    default:
      return value;
  }
}

function fitObject(def: Def, value: Record<string, unknown>): Record<string, unknown> {
  const fitted: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const field = def.shape![key] ?? (def.catchall && defOf(def.catchall).type !== 'never' ? def.catchall : undefined);
    if (field) fitted[key] = fitToView(field, v);
  }
  return fitted;
}

/** An object fitting any of several schemas (a union's options, an intersection's sides) keeps
 *  what at least one of them publishes. */
function fitAnyOf(options: z.ZodType[], value: Record<string, unknown>): Record<string, unknown> {
  const fitted = options.filter(takesObjects).map((o) => fitToView(o, value) as Record<string, unknown>);
  return fitted.length ? Object.assign({}, ...fitted.reverse()) : value;
}

/** Whether a schema describes objects (an option `null` or `string` of a union does not). */
function takesObjects(schema: z.ZodType): boolean {
  const def = defOf(schema);
  if (['object', 'record', 'intersection'].includes(def.type)) return true;
  if (def.type === 'union') return def.options!.some(takesObjects);
  const inner = def.innerType ?? def.in ?? def.getter?.();
  return inner !== undefined && takesObjects(inner);
}
