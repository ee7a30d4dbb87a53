/**
 * The characters SQS accepts in a message body (XML's character set): tab, line feed, carriage return, U+0020 to
 * U+D7FF, U+E000 to U+FFFD and U+10000 to U+10FFFF. Anything else (other control characters, U+FFFE, U+FFFF, a lone
 * surrogate) makes SQS refuse the message with `InvalidMessageContents`.
 */
const REFUSED_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** The position of the first character SQS would refuse in `body`, or -1 when SQS accepts all of it. */
export function firstRefusedCharacter(body: string): number {
  const match = REFUSED_CHARACTER.exec(body);
  return match ? match.index : -1;
}
