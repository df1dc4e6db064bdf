/**
 * `invalid-value` on the key=value lists of an app's settings: OTEL_EXPORTER_OTLP_[<SIGNAL>_]HEADERS
 * (W3C Baggage form, values percent-encoded) and OTEL_RESOURCE_ATTRIBUTES (`,` and `=` inside
 * keys or values percent-encoded). Each problem covers the member it is about.
 * Facts: ../shared/reference/sdk-env.md §1.4 and §6 item 11, SDK behaviours from §3.3.
 */
import type { AppCheckContext, Check } from './check';
import type { Problem, Severity } from '../languageTypes';
import { OTLP_PREFIX, valueSpan, type AppSetting } from '../model/appSettings';

const HEADER_VARIABLES = new Set([`${OTLP_PREFIX}HEADERS`, `${OTLP_PREFIX}TRACES_HEADERS`, `${OTLP_PREFIX}METRICS_HEADERS`, `${OTLP_PREFIX}LOGS_HEADERS`]);
const RESOURCE_ATTRIBUTES = 'OTEL_RESOURCE_ATTRIBUTES';

export const envHeaders: Check<AppCheckContext> = {
  name: 'envHeaders',
  kind: 'app',
  run({ unit, text }) {
    const problems: Problem[] = [];
    for (const setting of unit.settings) {
      if (!setting.value) continue;
      const kind = HEADER_VARIABLES.has(setting.name) ? 'headers' : setting.name === RESOURCE_ATTRIBUTES ? 'resource' : undefined;
      // One by one: a hostile value can hold more members than a spread call takes arguments.
      if (kind) for (const problem of checkList(text, setting as AppSetting & { value: string }, kind)) problems.push(problem);
    }
    return problems;
  },
};

type ListKind = 'headers' | 'resource';

/** HTTP token characters (RFC 9110), the key form of W3C Baggage. */
function isTokenChar(c: number): boolean {
  return c === 0x21 || (c >= 0x23 && c <= 0x27) || c === 0x2a || c === 0x2b || c === 0x2d || c === 0x2e || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x5e && c <= 0x7a) || c === 0x7c || c === 0x7e;
}

/** W3C Baggage value octets: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E. */
function isBaggageValueChar(c: number): boolean {
  return c === 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
}

/** Index of the first malformed `%` escape in `s`, or -1. */
function badPercent(s: string): number {
  for (let i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
    if (!isHex(s[i + 1]) || !isHex(s[i + 2])) return i;
  }
  return -1;
}

function checkList(text: string, entry: AppSetting & { value: string }, kind: ListKind): Problem[] {
  const problems: Problem[] = [];
  const value = entry.value;
  const what = kind === 'headers' ? 'header' : 'resource attribute';
  const problem = (start: number, end: number, severity: Severity | undefined, message: string): void => {
    problems.push({ code: 'invalid-value', ...valueSpan(text, entry, start, end), ...(severity ? { severity } : {}), message });
  };

  for (let start = 0; start <= value.length; ) {
    let end = value.indexOf(',', start);
    if (end < 0) end = value.length;
    const member = value.slice(start, end);
    if (member.trim() !== '') {
      // The member without its optional blanks (OWS), so the span sits on the text.
      let s = start;
      let e = end;
      while (s < e && (value[s] === ' ' || value[s] === '\t')) s++;
      while (e > s && (value[e - 1] === ' ' || value[e - 1] === '\t')) e--;
      const eq = value.indexOf('=', s);
      if (eq < 0 || eq >= e) {
        problem(s, e, undefined, kind === 'headers'
          ? `The ${what} "${value.slice(s, e)}" has no "=": Java fails at startup ("Invalid map property"), other SDKs drop it. Write key=value, and encode a "," inside a value as %2C.`
          : `"${value.slice(s, e)}" has no "=": the SDK discards OTEL_RESOURCE_ATTRIBUTES. If it belongs to the previous value, encode the comma as %2C.`);
      } else {
        checkMember(value, s, eq, e, kind, problem);
      }
    }
    start = end + 1;
  }
  return problems;
}

function checkMember(value: string, s: number, eq: number, e: number, kind: ListKind, problem: (start: number, end: number, severity: Severity | undefined, message: string) => void): void {
  let keyEnd = eq;
  while (keyEnd > s && (value[keyEnd - 1] === ' ' || value[keyEnd - 1] === '\t')) keyEnd--;
  let valueStart = eq + 1;
  while (valueStart < e && (value[valueStart] === ' ' || value[valueStart] === '\t')) valueStart++;
  const key = value.slice(s, keyEnd);
  const item = value.slice(valueStart, e);

  if (key === '') {
    problem(s, e, undefined, `"${value.slice(s, e)}" has an empty key; SDKs drop it${kind === 'headers' ? '' : ' or discard OTEL_RESOURCE_ATTRIBUTES'}.`);
    return;
  }

  if (kind === 'resource') {
    const badKey = badPercent(key);
    const badValue = badPercent(item);
    if (badKey >= 0 || badValue >= 0) {
      problem(s, e, undefined, `"${value.slice(s, e)}" holds a "%" that does not start a %XX escape: the SDK discards the whole OTEL_RESOURCE_ATTRIBUTES. Write a literal % as %25.`);
    } else if (item.includes('=')) {
      problem(valueStart, e, 'warning', `The value of ${key} holds a raw "=": "," and "=" inside resource attribute values must be percent-encoded (%3D); SDKs may split it wrongly or discard the variable.`);
    }
    return;
  }

  for (let i = 0; i < key.length; i++) {
    if (!isTokenChar(key.charCodeAt(i))) {
      problem(s, keyEnd, undefined, `"${key}" is not a valid header name: ${JSON.stringify(key[i])} is not allowed in an HTTP token. SDKs drop the header or fail.`);
      return;
    }
  }

  const bad = badPercent(item);
  if (bad >= 0) {
    problem(valueStart, e, undefined, `The value of header ${key} holds a "%" that does not start a %XX escape: JS drops the header silently, Java fails at startup. Write a literal % as %25.`);
    return;
  }
  // Characters W3C Baggage does not allow raw, grouped so one member gets one message.
  const raw = new Set<string>();
  for (const c of item) if (!isBaggageValueChar(c.charCodeAt(0))) raw.add(c);
  if (raw.size > 0) {
    const list = [...raw].map((c) => (c === ' ' ? 'space' : c === '\t' ? 'tab' : JSON.stringify(c))).join(', ');
    const semicolon = raw.has(';') ? ' A ";" would start W3C Baggage metadata, which OTLP headers do not support.' : '';
    const spaceOnly = raw.size === 1 && raw.has(' ');
    problem(
      valueStart,
      e,
      'warning',
      `The value of header ${key} holds a raw ${list}: W3C Baggage values must be percent-encoded${spaceOnly ? ' (write %20, e.g. Bearer%20token); most SDKs tolerate a space, strict parsers reject the header' : ` (space %20, " %22, ; %3B, \\ %5C)`}.${semicolon}`,
    );
  }
  if (item.includes('+')) {
    problem(valueStart, e, 'warning', `The value of header ${key} holds a "+": Java URL-decodes header values and reads + as a space. Write %2B (base64 tokens often hold +).`);
  }
}
