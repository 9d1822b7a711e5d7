import type { z } from 'zod';

/**
 * A zod schema's `safeParse`, compiled into plain checks, for the saved state every turn reads
 * (the topic, the dialog): zod's general machinery costs several µs a turn there. Same results as
 * `schema.safeParse` for the parts of zod used by saved state (objects in strip, strict or
 * passthrough mode, strings with max/min/regex, numbers with int/min/max, enums, arrays, records,
 * optional, unknown): accepted or not, and the same output (unknown keys dropped, keys in the
 * schema's order, fresh objects and arrays). A schema using anything else is left to zod whole.
 * test/dialogs/state-check.test.ts feeds both many valid and invalid shapes.
 */
export function compileCheck<S extends z.ZodTypeAny>(
  schema: S,
): (input: unknown) => { success: true; data: z.infer<S> } | { success: false } {
  const read = compile(schema);
  if (read === undefined) return (input) => schema.safeParse(input);
  return (input) => {
    const data = read(input);
    return data === FAIL ? { success: false } : { success: true, data: data as z.infer<S> };
  };
}

const FAIL: unique symbol = Symbol('fail');
type Read = (input: unknown) => unknown;

/** zod's "object": not an array, null, a promise, a Map, a Set or a Date. */
function isObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as { then?: unknown; catch?: unknown };
  if (o.then && typeof o.then === 'function' && o.catch && typeof o.catch === 'function') return false;
  return !(v instanceof Map || v instanceof Set || v instanceof Date);
}

interface Def {
  typeName?: string;
  checks?: { kind: string; value?: number; inclusive?: boolean; regex?: RegExp }[];
  coerce?: boolean;
  values?: readonly string[];
  innerType?: z.ZodTypeAny;
  type?: z.ZodTypeAny;
  minLength?: unknown;
  maxLength?: unknown;
  exactLength?: unknown;
  shape?: () => Record<string, z.ZodTypeAny>;
  unknownKeys?: string;
  catchall?: z.ZodTypeAny;
  keyType?: z.ZodTypeAny;
  valueType?: z.ZodTypeAny;
}

function compile(schema: z.ZodTypeAny): Read | undefined {
  const def = schema._def as Def;
  switch (def.typeName) {
    case 'ZodString':
      return def.coerce ? undefined : stringReader(def);
    case 'ZodNumber':
      return def.coerce ? undefined : numberReader(def);
    case 'ZodEnum': {
      const values = new Set(def.values);
      return (v) => (typeof v === 'string' && values.has(v) ? v : FAIL);
    }
    case 'ZodOptional': {
      const inner = def.innerType && compile(def.innerType);
      return inner && ((v) => (v === undefined ? undefined : inner(v)));
    }
    case 'ZodUnknown':
    case 'ZodAny':
      return (v) => v;
    case 'ZodArray':
      return arrayReader(def);
    case 'ZodObject':
      return objectReader(def);
    case 'ZodRecord':
      return recordReader(def);
    default:
      return undefined;
  }
}

function stringReader(def: Def): Read | undefined {
  const tests: ((s: string) => boolean)[] = [];
  for (const check of def.checks ?? []) {
    const { value, regex } = check;
    if (check.kind === 'max' && value !== undefined) tests.push((s) => s.length <= value);
    else if (check.kind === 'min' && value !== undefined) tests.push((s) => s.length >= value);
    else if (check.kind === 'regex' && regex !== undefined)
      tests.push((s) => {
        regex.lastIndex = 0;
        return regex.test(s);
      });
    else return undefined;
  }
  return (v) => (typeof v === 'string' && tests.every((t) => t(v)) ? v : FAIL);
}

function numberReader(def: Def): Read | undefined {
  const tests: ((n: number) => boolean)[] = [];
  for (const check of def.checks ?? []) {
    const { value, inclusive } = check;
    if (check.kind === 'int') tests.push((n) => Number.isInteger(n));
    else if (check.kind === 'min' && value !== undefined) tests.push((n) => (inclusive ? n >= value : n > value));
    else if (check.kind === 'max' && value !== undefined) tests.push((n) => (inclusive ? n <= value : n < value));
    else return undefined;
  }
  return (v) => (typeof v === 'number' && !Number.isNaN(v) && tests.every((t) => t(v)) ? v : FAIL);
}

function arrayReader(def: Def): Read | undefined {
  if (def.minLength !== null || def.maxLength !== null || def.exactLength !== null) return undefined;
  const item = def.type && compile(def.type);
  if (item === undefined) return undefined;
  return (v) => {
    if (!Array.isArray(v)) return FAIL;
    const out: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const read = item(v[i]);
      if (read === FAIL) return FAIL;
      out[i] = read;
    }
    return out;
  };
}

function objectReader(def: Def): Read | undefined {
  if (def.catchall?._def.typeName !== 'ZodNever' || def.shape === undefined) return undefined;
  const mode = def.unknownKeys;
  if (mode !== 'strip' && mode !== 'strict' && mode !== 'passthrough') return undefined;
  const shape = def.shape();
  const keys = Object.keys(shape);
  const known = new Set(keys);
  const readers: Read[] = [];
  for (const key of keys) {
    const field = shape[key];
    const read = field && compile(field);
    if (read === undefined) return undefined;
    readers.push(read);
  }
  return (v) => {
    if (!isObject(v)) return FAIL;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const read = (readers[i] as Read)(v[key]);
      if (read === FAIL) return FAIL;
      // As zod: a key absent from the input stays absent; "__proto__" is never copied.
      if (key !== '__proto__' && (read !== undefined || key in v)) out[key] = read;
    }
    if (mode === 'strip') return out;
    for (const key in v) {
      if (known.has(key)) continue;
      if (mode === 'strict') return FAIL;
      const value = v[key];
      if (key !== '__proto__' && value !== undefined) out[key] = value;
    }
    return out;
  };
}

function recordReader(def: Def): Read | undefined {
  const keyDef = def.keyType?._def as Def | undefined;
  if (keyDef?.typeName !== 'ZodString' || keyDef.coerce || (keyDef.checks ?? []).length > 0) return undefined;
  const value = def.valueType && compile(def.valueType);
  if (value === undefined) return undefined;
  return (v) => {
    if (!isObject(v)) return FAIL;
    const out: Record<string, unknown> = {};
    for (const key in v) {
      const read = value(v[key]);
      if (read === FAIL) return FAIL;
      if (key !== '__proto__') out[key] = read;
    }
    return out;
  };
}

/** Whether `compileCheck` runs `schema` as plain checks (rather than leaving it to zod); for tests. */
export function compilesToChecks(schema: z.ZodTypeAny): boolean {
  return compile(schema) !== undefined;
}
