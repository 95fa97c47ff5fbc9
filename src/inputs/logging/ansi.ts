/**
 * `remove_ansi_escape_codes`: terminal colour and cursor sequences are
 * removed from log text with the same pattern DataKit uses (ESC or the
 * 8-bit CSI, optional intermediates, then either an OSC-style body ended by
 * BEL or numeric parameters and a final byte), so both agents keep exactly
 * the same characters. The pattern is plain ASCII classes and matches the
 * same spans under JavaScript's and RE2's leftmost-first rules.
 *
 * It runs on decoded text, after container unwrapping and before multiline
 * joining: in `docker` mode the escape arrives JSON-escaped (`\u001b`) and
 * only exists once the JSON is parsed.
 */

const ANSI_ESCAPE =
  /[\u001B\u009B][[\]()#;?]*(?:(?:(?:[a-zA-Z\d]*(?:;[a-zA-Z\d]*)*)?\u0007)|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PRZcf-ntqry=><~]))/g;

/** The text without ANSI escape sequences (the same string when it has none). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_ESCAPE, '');
}
