import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { DIALOG_DATA, deadlineKnown, dialogSchema } from '../../dialogs/dialog-state.js';
import { compileCheck, compilesToChecks } from '../../dialogs/state-check.js';
import type { ConversationData } from '../../dialogs/state.js';
import { rememberTopic, type TopicInput, topicSchema } from '../../dialogs/turn/topic.js';

// Issue 18: the saved topic and dialog are checked every turn by compileCheck's plain checks instead
// of zod's safeParse. Fed the same shapes, valid and not, both must accept the same ones and give the
// same output (unknown keys dropped, keys in the schema's order, absent keys absent).

/** Shapes of every kind zod tells apart: the wrong type anywhere in a saved state. */
const oddValue = fc.oneof(
  fc.anything(),
  fc.constantFrom<unknown>(
    null,
    undefined,
    [],
    {},
    new Date(0),
    new Map(),
    new Set(),
    // A promise-like object, which zod does not read as an object.
    Object.fromEntries([
      ['then', () => 0],
      ['catch', () => 0],
    ]),
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -0,
    '',
    '__proto__',
  ),
);

interface Def {
  typeName: string;
  checks?: { kind: string; value?: number }[];
  values?: string[];
  innerType?: z.ZodTypeAny;
  type?: z.ZodTypeAny;
  shape?: () => Record<string, z.ZodTypeAny>;
  valueType?: z.ZodTypeAny;
}

/** Values `schema` accepts. */
function valid(schema: z.ZodTypeAny): fc.Arbitrary<unknown> {
  const def = schema._def as Def;
  const bound = (kind: string, fallback: number) => def.checks?.find((c) => c.kind === kind)?.value ?? fallback;
  switch (def.typeName) {
    case 'ZodString':
      return def.checks?.some((c) => c.kind === 'regex')
        ? fc.constantFrom('2026-11-30', '2025-01-02')
        : fc.string({ maxLength: Math.min(bound('max', 12), 12) });
    case 'ZodNumber':
      return fc.integer({ min: bound('min', -500), max: bound('max', 500) });
    case 'ZodEnum':
      return fc.constantFrom(...(def.values ?? []));
    case 'ZodOptional':
      return fc.oneof(valid(def.innerType as z.ZodTypeAny), fc.constant(undefined));
    case 'ZodArray':
      return fc.array(valid(def.type as z.ZodTypeAny), { maxLength: 3 });
    case 'ZodObject': {
      const shape = def.shape?.() ?? {};
      const fields = Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, valid(s)]));
      const required = Object.keys(shape).filter((k) => !(shape[k]?.isOptional() ?? false));
      return fc.record(fields, { requiredKeys: required });
    }
    default:
      return near(schema);
  }
}

/** Values near what `schema` accepts: valid ones, the edges of its checks, and the wrong type now and then. */
function near(schema: z.ZodTypeAny): fc.Arbitrary<unknown> {
  const def = schema._def as Def;
  const own = ((): fc.Arbitrary<unknown> => {
    switch (def.typeName) {
      case 'ZodString': {
        const max = def.checks?.find((c) => c.kind === 'max')?.value ?? 10;
        return fc.oneof(
          fc.string({ maxLength: 6 }),
          fc.string({ minLength: max - 1, maxLength: max + 1 }),
          fc.constantFrom('2026-11-30', '2026-11-30T10:00:00.000Z', '2026-1-3', '12026-11-30', '2026-11-30\n'),
        );
      }
      case 'ZodNumber':
        return fc.oneof(
          fc.integer({ min: -2, max: 62 }),
          fc.double({ noNaN: false }),
          fc.constantFrom(0, -0, 1, 8, 9, 23, 24, 50, 51, 59, 60, 1.5, 2 ** 53, Number.NaN),
        );
      case 'ZodEnum':
        return fc.oneof(fc.constantFrom(...(def.values ?? [])), fc.string({ maxLength: 8 }));
      case 'ZodOptional':
        return fc.oneof(near(def.innerType as z.ZodTypeAny), fc.constant(undefined));
      case 'ZodArray':
        return fc.array(near(def.type as z.ZodTypeAny), { maxLength: 3 });
      case 'ZodObject': {
        const shape = def.shape?.() ?? {};
        const fields = Object.fromEntries(
          Object.entries(shape).map(([k, s]) => [k, fc.oneof({ weight: 8, arbitrary: valid(s) }, near(s))]),
        );
        const extra = fc.dictionary(fc.constantFrom('extra', 'eTag', '__proto__', 'data', 'toString'), oddValue, {
          maxKeys: 2,
        });
        return fc
          .tuple(fc.record(fields, { requiredKeys: [] }), fc.record(fields), extra, fc.boolean(), fc.boolean())
          .map(([some, all, more, whole, withExtra]) => {
            const base = whole ? all : some;
            // Extra keys first or last: zod's output order must not depend on the input's.
            return withExtra ? Object.assign(JSON.parse('{}'), more, base) : base;
          });
      }
      case 'ZodRecord':
        return fc.dictionary(fc.string({ maxLength: 5 }), oddValue, { maxKeys: 3 });
      default:
        return fc.anything();
    }
  })();
  return fc.oneof({ weight: 12, arbitrary: own }, { weight: 1, arbitrary: oddValue });
}

/** Structure with key order, undefined and -0 kept: what the next turn would see of the output. */
function exact(value: unknown): string {
  const walk = (v: unknown): unknown => {
    if (Object.is(v, -0)) return '-0';
    if (v === undefined) return 'undefined';
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null)
      return Object.keys(v).map((k) => [k, walk((v as Record<string, unknown>)[k])]);
    return v;
  };
  return JSON.stringify(walk(value));
}

function agree(schema: z.ZodTypeAny, arbitrary: fc.Arbitrary<unknown>, runs: number) {
  const check = compileCheck(schema);
  let accepted = 0;
  const inputs = fc.oneof(valid(schema), arbitrary);
  fc.assert(
    fc.property(inputs, (input) => {
      const zod = schema.safeParse(input);
      const ours = check(input);
      expect(ours.success).toBe(zod.success);
      if (ours.success && zod.success) {
        accepted++;
        expect(exact(ours.data)).toBe(exact(zod.data));
      }
    }),
    { numRuns: runs, seed: 18 },
  );
  return { accepted, rejected: runs - accepted };
}

describe('checking saved state without zod on every turn', () => {
  test('runs every saved-state schema as plain checks', () => {
    for (const schema of [topicSchema, dialogSchema, deadlineKnown, ...Object.values(DIALOG_DATA)]) {
      expect(compilesToChecks(schema)).toBe(true);
    }
  });

  test('accepts and reads the saved topic exactly as zod does', () => {
    const { accepted, rejected } = agree(topicSchema, near(topicSchema), 20_000);
    // Both outcomes must be exercised for the comparison to mean anything.
    expect(accepted).toBeGreaterThan(1_000);
    expect(rejected).toBeGreaterThan(1_000);
  });

  test('accepts the saved dialog and each dialog data exactly as zod does', () => {
    const names = Object.keys(DIALOG_DATA) as (keyof typeof DIALOG_DATA)[];
    const dialog = fc
      .tuple(fc.constantFrom(...names), near(dialogSchema))
      .chain(([name, base]) =>
        near(DIALOG_DATA[name]).map((data) =>
          typeof base === 'object' && base !== null && !Array.isArray(base) && !(base instanceof Date)
            ? { ...base, name, data }
            : base,
        ),
      );
    const outer = agree(dialogSchema, dialog, 10_000);
    expect(outer.accepted).toBeGreaterThan(500);
    for (const name of names) {
      const inner = agree(DIALOG_DATA[name], near(DIALOG_DATA[name]), 5_000);
      expect(inner.accepted, name).toBeGreaterThan(100);
      if (name !== 'choices') expect(inner.rejected, name).toBeGreaterThan(100);
    }
    const known = agree(deadlineKnown, near(deadlineKnown), 10_000);
    expect(known.accepted).toBeGreaterThan(500);
    expect(known.rejected).toBeGreaterThan(500);
  });

  test('leaves to zod a schema with a part it does not know', () => {
    const schema = z.object({ email: z.string().email() });
    expect(compilesToChecks(schema)).toBe(false);
    expect(compileCheck(schema)({ email: 'not an email' }).success).toBe(false);
    expect(compileCheck(schema)({ email: 'a@b.nhs.uk', other: 1 })).toEqual({
      success: true,
      data: { email: 'a@b.nhs.uk' },
    });
  });
});

describe('remembering a topic (issue 18: without object rest and spread)', () => {
  /** rememberTopic as it was written before, with rest and spread. */
  function before(topic: TopicInput, at: string): unknown {
    const { sites = [], boroughs = [], ...rest } = topic;
    const clean: Record<string, unknown> = {};
    for (const key in rest) {
      const value = rest[key as keyof typeof rest];
      if (value !== undefined) clean[key] = value;
    }
    return { ...clean, sites, boroughs, at };
  }

  test('saves the same fields in the same order as before, "at" and undefined fields included', () => {
    const now = new Date('2026-11-30T10:15:42.123Z');
    const field = fc.constantFrom(
      'feature',
      'entryId',
      'step',
      'sites',
      'boroughs',
      'at',
      'priority',
      'rule',
      'purpose',
    );
    const value = fc.oneof(fc.constant(undefined), fc.string({ maxLength: 4 }), fc.integer(), fc.array(fc.string()));
    fc.assert(
      fc.property(fc.array(fc.tuple(field, value), { maxLength: 8 }), (pairs) => {
        const topic = Object.fromEntries(pairs) as unknown as TopicInput;
        const conversation: ConversationData = {};
        rememberTopic(conversation, topic, now);
        expect(exact(conversation.topic)).toBe(exact(before(topic, '2026-11-30T10:15:42.000Z')));
      }),
      { numRuns: 5_000, seed: 18 },
    );
  });
});
