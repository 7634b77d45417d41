import {
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputType,
} from 'graphql';

export type Coerced = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const INTEGER_TEXT = /^-?\d+$/;
const NUMBER_TEXT = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
/** ISO-8601 date-time as AWSDateTime takes it: the UTC offset is required. */
const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}(:\d{2})?)$/;
const DATE_TIME_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
/** Epoch values above this are milliseconds (as seconds they would be after the year 5000). */
const EPOCH_MS_ABOVE = 1e11;

const show = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 60)}...` : text;
};
const ok = (value: unknown): Coerced => ({ ok: true, value });
const refuse = (path: string, message: string): Coerced => ({ ok: false, message: `${path}: ${message}` });

/**
 * Coerces a record's value to a GraphQL input type where that loses nothing: an integer to
 * `ID`/`String`, a numeric string to `Int`/`Float`, an ISO date-time (with offset) to
 * `AWSDateTime`, epoch seconds, whole epoch milliseconds or an ISO date-time with whole seconds
 * to `AWSTimestamp`, any JSON to `AWSJSON`. Lists and input objects are coerced element by
 * element and field by field (extra fields ignored). `path` names the value in refusals.
 * `undefined` means absent: allowed for a nullable type (no variable is sent).
 */
export function coerceValue(value: unknown, type: GraphQLInputType, path: string): Coerced {
  if (isNonNullType(type)) {
    if (value === undefined) return refuse(path, `required (${String(type)}) but missing`);
    if (value === null) return refuse(path, `required (${String(type)}) but null`);
    return coerceValue(value, type.ofType, path);
  }
  if (value === undefined || value === null) return ok(value);
  if (isListType(type)) {
    // GraphQL itself takes a single value where a list is expected.
    const items = Array.isArray(value) ? value : [value];
    const out: unknown[] = [];
    for (let index = 0; index < items.length; index += 1) {
      const item = coerceValue(items[index] ?? null, type.ofType, `${path}[${index}]`);
      if (!item.ok) return item;
      out.push(item.value);
    }
    return ok(out);
  }
  if (isInputObjectType(type)) {
    if (typeof value !== 'object' || Array.isArray(value)) return refuse(path, `expected an object (${type.name}), got ${show(value)}`);
    const out: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      const coerced = coerceValue((value as Record<string, unknown>)[field.name], field.type, `${path}.${field.name}`);
      if (!coerced.ok) return coerced;
      if (coerced.value !== undefined) out[field.name] = coerced.value;
    }
    return ok(out);
  }
  if (isEnumType(type)) {
    const names = type.getValues().map((entry) => entry.name);
    return typeof value === 'string' && names.includes(value) ? ok(value) : refuse(path, `expected one of ${names.join(', ')} (${type.name}), got ${show(value)}`);
  }
  if (isScalarType(type)) return coerceScalar(value, type.name, path);
  return ok(value);
}

function coerceScalar(value: unknown, scalar: string, path: string): Coerced {
  const cannot = (why = ''): Coerced => refuse(path, `cannot make ${article(scalar)} ${scalar} of ${show(value)}${why}`);
  switch (scalar) {
    case 'ID':
    case 'String':
      if (typeof value === 'string') return ok(value);
      return Number.isSafeInteger(value) ? ok(String(value)) : cannot();
    case 'Int': {
      const number = typeof value === 'string' && INTEGER_TEXT.test(value.trim()) ? Number(value) : value;
      return typeof number === 'number' && Number.isInteger(number) && number >= INT_MIN && number <= INT_MAX ? ok(number) : cannot();
    }
    case 'Float': {
      const number = typeof value === 'string' && NUMBER_TEXT.test(value.trim()) ? Number(value) : value;
      return typeof number === 'number' && Number.isFinite(number) ? ok(number) : cannot();
    }
    case 'Boolean':
      if (typeof value === 'boolean') return ok(value);
      return value === 'true' || value === 'false' ? ok(value === 'true') : cannot();
    case 'AWSDateTime':
      if (typeof value === 'string' && DATE_TIME_WITH_OFFSET.test(value) && !Number.isNaN(Date.parse(value))) return ok(value);
      if (typeof value === 'string' && DATE_TIME_WITHOUT_OFFSET.test(value)) return cannot(': it has no UTC offset (e.g. Z), which AWSDateTime requires');
      return cannot();
    case 'AWSTimestamp':
      return epochSeconds(value) ?? cannot(': AWSTimestamp is whole epoch seconds');
    case 'AWSJSON':
      return ok(typeof value === 'string' ? value : JSON.stringify(value));
    case 'AWSDate':
    case 'AWSTime':
    case 'AWSEmail':
    case 'AWSURL':
    case 'AWSPhone':
    case 'AWSIPAddress':
      // Strings in formats AppSync checks itself; a refusal comes back per record (rejected-by-appsync).
      return typeof value === 'string' ? ok(value) : cannot();
    default:
      return ok(value);
  }
}

/** Whole epoch seconds from seconds, whole milliseconds, a numeric string or an ISO date-time with offset. */
function epochSeconds(value: unknown): Coerced | undefined {
  let ms: number | undefined;
  if (typeof value === 'string' && DATE_TIME_WITH_OFFSET.test(value)) ms = Date.parse(value);
  else {
    const number = typeof value === 'string' && NUMBER_TEXT.test(value.trim()) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) return undefined;
    ms = Math.abs(number) > EPOCH_MS_ABOVE ? number : number * 1000;
  }
  return Number.isInteger(ms) && ms % 1000 === 0 ? ok(ms / 1000) : undefined;
}

function article(word: string): string {
  return /^[AEIOU]/.test(word) ? 'an' : 'a';
}
