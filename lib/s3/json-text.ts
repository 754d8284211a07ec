/** Reading JSON that a person saved to a file. Nothing here imports a cloud library. */

/**
 * The text without a leading UTF-8 byte order mark, which some Windows editors write and
 * `JSON.parse` refuses as an unexpected character.
 */
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
