import { fc } from './generated-cases.js';

/**
 * Arbitraries (fast-check) for input a service must refuse cleanly: strings at the edges of Unicode and of length
 * limits, JSON that does not parse, JSON nested deeper than anyone writes it, and valid documents with one part
 * removed, retyped or replaced. Shared by the services' generated-input suites, so each refuses the same bad input.
 */

/** Strings that break naive handling: NUL, lone surrogates, BOM, direction overrides, combining marks, emoji. */
export const UNICODE_EDGE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\t\r\n',
  '\u0000',
  'a\u0000b',
  '\u0007\u001b[31m',
  '\ud800',
  'x\udc00y',
  '\ufeffBOM',
  '\u202eevil\u202c',
  'e\u0301\u0301\u0301',
  '\u{1F468}\u200d\u{1F469}\u200d\u{1F467}\u200d\u{1F466}',
  '\u{10FFFF}',
  '\uffff\ufffe',
  '\u2028\u2029',
  '\u00a0',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  "'; DROP TABLE orders; --",
  '<script>alert(1)</script>',
  '%s%n%d',
  '${process.exit()}',
  '../../etc/passwd',
];

/** Lengths around the limits the services' schemas use (100, 255, 500 characters and so on). */
const LIMIT_LENGTHS = [99, 100, 101, 128, 129, 254, 255, 256, 499, 500, 501, 1_024, 1_025, 4_096, 10_000];

/**
 * Strings at the edges: the fixed ones above, any code points (astral planes included), grapheme clusters, and
 * strings of lengths around schema limits, made of ASCII or of multi-byte characters.
 */
export function edgeString(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...UNICODE_EDGE_STRINGS),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc
      .tuple(fc.constantFrom(...LIMIT_LENGTHS), fc.constantFrom('x', 'é', '\u{1F600}', '\u0000'))
      .map(([length, unit]) => unit.repeat(length)),
  );
}

/** Whether JSON.parse accepts `text`. */
export function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Text that JSON.parse refuses. */
export function malformedJson(): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.constantFrom(
        '',
        '{',
        '{"a":1,}',
        "{'a':1}",
        '{"a":undefined}',
        '{"a":NaN}',
        '[1,2',
        '{"a":1}{"b":2}',
        '{"a":"\\x"}',
        '\ufeff{}',
        '{"a":01}',
        '{"a":"line\nbreak"}',
        '{"__proto__":',
      ),
      // A valid document cut short, or with one character inserted.
      fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.nat()).map(([value, at]) => {
        const text = JSON.stringify(value);
        return text.slice(0, at % Math.max(text.length, 1));
      }),
      fc
        .tuple(fc.jsonValue({ maxDepth: 3 }), fc.nat(), fc.constantFrom('{', '}', '"', ',', ':', '[', '\\', 'x'))
        .map(([value, at, char]) => {
          const text = JSON.stringify(value);
          const index = at % (text.length + 1);
          return text.slice(0, index) + char + text.slice(index);
        }),
      fc.string({ unit: 'binary', maxLength: 30 }),
    )
    .filter((text) => !parsesAsJson(text));
}

/** Valid JSON nested `depth` levels deep, as arrays or objects: `[[[...]]]` or `{"a":{"a":...}}`. */
export function deeplyNestedJson(options: { minDepth: number; maxDepth: number }): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: options.minDepth, max: options.maxDepth }), fc.boolean())
    .map(([depth, arrays]) =>
      arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
    );
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value inside `value` (object keys and array indexes), the root excluded. */
function pathsOf(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => [[...prefix, index], ...pathsOf(item, [...prefix, index])]);
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...pathsOf(item, [...prefix, key])]);
  }
  return [];
}

/** A copy of `document` with `value` put at `path` (object keys and array indexes; the last step is set). */
export function withValueAt(document: Json, path: ReadonlyArray<string | number>, value: Json): Json {
  const copy = structuredClone(document);
  const parent = containerAt(copy, path.slice(0, -1));
  parent[path.at(-1) as string | number] = value;
  return copy;
}

/** The string fields of an order, in a `POST /orders` body and in an `order.placed` payload alike. */
export const ORDER_STRING_FIELDS: ReadonlyArray<ReadonlyArray<string | number>> = [
  ['customerId'],
  ['items', 0, 'sku'],
  ['shippingAddress', 'name'],
  ['shippingAddress', 'line1'],
  ['shippingAddress', 'line2'],
  ['shippingAddress', 'city'],
  ['shippingAddress', 'postalCode'],
  ['shippingAddress', 'country'],
];

/** A valid document (a new one from `base` each time) with an {@link edgeString} at one of `paths`. */
export function edgeStringAt(
  base: () => Json,
  paths: ReadonlyArray<ReadonlyArray<string | number>>,
): fc.Arbitrary<Json> {
  return fc.tuple(fc.constantFrom(...paths), edgeString()).map(([path, text]) => withValueAt(base(), path, text));
}

/** The object or array at `path` inside `document`, to change in place. */
function containerAt(document: Json, path: ReadonlyArray<string | number>): Record<string | number, Json> & Json[] {
  let current = document;
  for (const step of path) current = (current as Record<string | number, Json>)[step] as Json;
  return current as Record<string | number, Json> & Json[];
}

/** What {@link mutatedJson} does at the chosen path. */
export type JsonMutation =
  | { kind: 'remove' }
  | { kind: 'replace'; value: Json }
  | { kind: 'wrap' }
  | { kind: 'addKey'; key: string; value: Json };

function mutate(base: Json, path: Array<string | number>, mutation: JsonMutation): Json {
  const copy = structuredClone(base);
  const last = path.at(-1) as string | number;
  const container = containerAt(copy, path.slice(0, -1));
  switch (mutation.kind) {
    case 'remove':
      if (Array.isArray(container)) container.splice(last as number, 1);
      else delete container[last];
      break;
    case 'replace':
      container[last] = mutation.value;
      break;
    case 'wrap':
      container[last] = [container[last] as Json];
      break;
    case 'addKey': {
      const target = container[last];
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
        Object.defineProperty(target, mutation.key, {
          value: mutation.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else {
        container[last] = mutation.value;
      }
      break;
    }
  }
  return copy;
}

/** Values of the wrong type or at the edges, to put where a valid document has something else. */
export function wrongValue(): fc.Arbitrary<Json> {
  return fc.oneof(
    fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, -0, 1e308, -1e308, 2 ** 53 + 1, '', [], {}),
    edgeString(),
    fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  );
}

/**
 * A valid JSON document (from `base`) with one mutation at a random path: a field removed, replaced by a value of
 * the wrong type or an edge string, wrapped in an array, or an unexpected key added.
 */
export function mutatedJson(base: () => Json): fc.Arbitrary<{ path: string; mutation: JsonMutation; value: Json }> {
  const sample = base();
  const paths = pathsOf(sample);
  return fc
    .tuple(
      fc.nat({ max: Math.max(paths.length - 1, 0) }),
      fc.oneof(
        fc.constant<JsonMutation>({ kind: 'remove' }),
        wrongValue().map<JsonMutation>((value) => ({ kind: 'replace', value })),
        fc.constant<JsonMutation>({ kind: 'wrap' }),
        fc
          .tuple(fc.oneof(edgeString(), fc.constantFrom('__proto__', 'constructor', 'id')), wrongValue())
          .map<JsonMutation>(([key, value]) => ({ kind: 'addKey', key, value })),
      ),
    )
    .map(([index, mutation]) => {
      const path = paths[index] ?? [];
      const document = base();
      return { path: path.join('.'), mutation, value: path.length === 0 ? document : mutate(document, path, mutation) };
    });
}
