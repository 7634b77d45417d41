import { ConfigError } from '@tickerflow/core';
import { QUOTE_FIELDS } from '@tickerflow/quote';
import { valueAtPath, type ArgumentMap } from './argument-map';
import { coerceValue } from './coerce';
import { MutationErrorCode } from './mutation-errors';
import { decodeRecordValue, parseRecordJson, type DecodeResult } from './decode';
import { templateFromDocument, type MutationTemplate } from './mutation';
import type { MutationField } from './schema-field';

/**
 * The template of a mutation field as the API's schema declares it: every argument is filled
 * from the record field of the same name (or the one `map` names, a dotted path into nested
 * records), coerced to the argument's type where that is lossless (see coerceValue); extra
 * record fields are ignored. The selection set is the return type's scalar fields.
 *
 * When the arguments are exactly tickerflow's quote fields (and nothing is mapped), records
 * are validated as quotes instead (`invalid-quote` with the quote rules' messages).
 * Otherwise a record missing a required argument, or with a value that cannot be coerced, is
 * refused as `invalid-record` with every such argument named.
 */
export function compileFieldMutation(field: MutationField, options: { readonly map?: ArgumentMap } = {}): MutationTemplate {
  const names = field.arguments.map((argument) => argument.name);
  const map = options.map ?? {};
  const unknown = Object.keys(map).filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(
      `argument map names ${unknown.map((n) => `'${n}'`).join(', ')}, which ${field.name} does not take (arguments: ${names.join(', ') || 'none'})`,
      { code: MutationErrorCode.argumentMapUnknownArgument },
    );
  }
  const quoteRules =
    Object.keys(map).length === 0 && names.length === QUOTE_FIELDS.length && QUOTE_FIELDS.every((name) => names.includes(name));

  const defs = field.arguments.map((argument) => `$${argument.name}: ${String(argument.type)}`).join(', ');
  const args = names.map((name) => `${name}: $${name}`).join(', ');
  const call = `${field.name}${args === '' ? '' : `(${args})`}${field.selection.length === 0 ? '' : ` { ${field.selection.join(' ')} }`}`;
  const text = `mutation${defs === '' ? '' : `(${defs})`} { ${call} }`;

  const sources = field.arguments.map((argument) => ({ ...argument, path: map[argument.name] ?? argument.name }));
  const decodeArguments = (value: Buffer | null): DecodeResult => {
    const parsed = parseRecordJson(value);
    if (!parsed.ok) return parsed;
    const record = parsed.json;
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      return { ok: false, reason: 'invalid-record', message: `value is not a JSON object: ${Array.isArray(record) ? 'an array' : JSON.stringify(record)}` };
    }
    const values: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const { name, type, path } of sources) {
      const label = path === name ? name : `${name} (from '${path}')`;
      const coerced = coerceValue(valueAtPath(record, path), type, label);
      if (!coerced.ok) problems.push(coerced.message);
      else if (coerced.value !== undefined) values[name] = coerced.value;
    }
    return problems.length > 0 ? { ok: false, reason: 'invalid-record', message: problems.join('; ') } : { ok: true, values };
  };

  return templateFromDocument(text, { variables: names, quoteRules, decode: quoteRules ? decodeRecordValue : decodeArguments });
}
