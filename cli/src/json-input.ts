/**
 * What the CLI accepts as input text, before any parser sees it: strict UTF-8 (a decoder that
 * replaces a bad byte with U+FFFD would rewrite someone else's `Condition` value), and JSON
 * objects without a repeated key (`JSON.parse` keeps the last one without a word, so
 * `"Effect":"Deny","Effect":"Allow"` would become an Allow).
 */
import { inputError } from './errors';

/**
 * The offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or undefined when all of it is.
 */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    // | lead      | continuation bytes | second byte's range (overlong, surrogate, > U+10FFFF refused) |
    // | C2..DF    | 1                  | 80..BF                                                        |
    // | E0        | 2                  | A0..BF                                                        |
    // | E1..EC, EE..EF | 2             | 80..BF                                                        |
    // | ED        | 2                  | 80..9F                                                        |
    // | F0        | 3                  | 90..BF                                                        |
    // | F1..F3    | 3                  | 80..BF                                                        |
    // | F4        | 3                  | 80..8F                                                        |
    const length = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : 0;
    if (length === 0) {
      return i;
    }
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= length; k++) {
      const byte = bytes[i + k];
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (byte === undefined || byte < min || byte > max) {
        return i;
      }
    }
    i += length + 1;
  }
  return undefined;
}

/** Decodes a file's bytes as UTF-8, refusing (exit 1) bytes that are not, naming the offset of the first. */
export function decodeUtf8Strictly(bytes: Uint8Array, file: string): string {
  const bad = firstInvalidUtf8Byte(bytes);
  if (bad !== undefined) {
    const name = file === '-' ? 'stdin' : file;
    throw inputError(`${name} is not UTF-8: the byte 0x${bytes[bad].toString(16).padStart(2, '0')} at byte offset ${bad} cannot start or continue a character. ` +
      'Save the file as UTF-8 (the cloud CLIs print UTF-8), and check any non-ASCII text in it.');
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/** A key that appears twice in one JSON object: where the object is, and the key. */
export interface DuplicateKey {
  /** The object's path, `$` for the top, as in `$.Statement[0]`. */
  readonly path: string;
  readonly key: string;
}

/**
 * The first key repeated within one object of a JSON text, or undefined. The text must be valid
 * JSON (call it after `JSON.parse` accepted it). Keys are compared after unescaping, as JSON.parse
 * compares them (`"Effect"` and `"\u0045ffect"` are the same key).
 */
export function firstDuplicateKey(text: string): DuplicateKey | undefined {
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r\ufeff'.includes(text[i])) {
      i++;
    }
  };
  const readString = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') {
      i += text[i] === '\\' ? 2 : 1;
    }
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): DuplicateKey | undefined => {
    skipSpace();
    if (text[i] === '{') {
      i++;
      const seen = new Set<string>();
      skipSpace();
      if (text[i] === '}') {
        i++;
        return undefined;
      }
      for (;;) {
        skipSpace();
        const key = readString();
        if (seen.has(key)) {
          return { path, key };
        }
        seen.add(key);
        skipSpace();
        i++; // ':'
        const found = value(`${path}.${key}`);
        if (found !== undefined) {
          return found;
        }
        skipSpace();
        if (text[i++] === '}') {
          return undefined;
        }
      }
    }
    if (text[i] === '[') {
      i++;
      skipSpace();
      if (text[i] === ']') {
        i++;
        return undefined;
      }
      for (let index = 0; ; index++) {
        const found = value(`${path}[${index}]`);
        if (found !== undefined) {
          return found;
        }
        skipSpace();
        if (text[i++] === ']') {
          return undefined;
        }
      }
    }
    if (text[i] === '"') {
      readString();
      return undefined;
    }
    while (i < text.length && !',]} \t\n\r'.includes(text[i])) {
      i++;
    }
    return undefined;
  };
  return value('$');
}

/**
 * Refuses (exit 1) a `--merge` text whose JSON repeats a key in an object, here or inside the
 * `"Policy"` string that `aws s3api get-bucket-policy` wraps the policy in. Text that is not JSON is
 * left to the parser, which says so.
 */
export function refuseDuplicateKeys(text: string, file: string): void {
  const found = duplicateIn(text.replace(/^\ufeff/, ''));
  if (found !== undefined) {
    throw inputError(`--merge ${file}: the key "${found.key}" appears twice in the object at ${found.path}. JSON keeps only the last, ` +
      'silently, so remove the one you do not mean.');
  }
}

function duplicateIn(text: string): DuplicateKey | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const own = firstDuplicateKey(text);
  if (own !== undefined) {
    return own;
  }
  const inner = parsed !== null && typeof parsed === 'object' ? (parsed as { Policy?: unknown }).Policy : undefined;
  if (typeof inner === 'string') {
    const found = duplicateIn(inner);
    return found === undefined ? undefined : { ...found, path: found.path.replace(/^\$/, '$.Policy') };
  }
  return undefined;
}
