// Rust's `shlex::try_join` (shlex 1.3), which codex uses to show a command's argv as one string
// (`commandExecution.command`). Each word is split into chunks that can share one quoting
// strategy — unquoted, single-quoted or double-quoted, in that order of preference.

const UNQUOTED = 1;
const SINGLE = 2;
const DOUBLE = 4;

function unquotedOk(c: number): boolean {
  // 0-9 A-Z a-z and + - . / : @ ] _
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x2b ||
    c === 0x2d ||
    c === 0x2e ||
    c === 0x2f ||
    c === 0x3a ||
    c === 0x40 ||
    c === 0x5d ||
    c === 0x5f
  );
}
const singleOk = (c: number): boolean => c !== 0x27 && c !== 0x5e && c !== 0x5c; // ' ^ \
const doubleOk = (c: number): boolean => c !== 0x60 && c !== 0x24 && c !== 0x21 && c !== 0x5e; // ` $ ! ^

function strategy(s: string, from: number): { end: number; kind: number } {
  let prev = UNQUOTED | SINGLE | DOUBLE;
  let i = from;
  if (s.charCodeAt(i) === 0x5e) {
    // `^` only right after an opening single quote (a Bash quirk shlex works around).
    prev = SINGLE;
    i += 1;
  }
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let cur = prev;
    if (c >= 0x80) cur &= ~UNQUOTED;
    else {
      if (!unquotedOk(c)) cur &= ~UNQUOTED;
      if (!singleOk(c)) cur &= ~SINGLE;
      if (!doubleOk(c)) cur &= ~DOUBLE;
    }
    if (cur === 0) break;
    prev = cur;
  }
  const kind = prev & UNQUOTED ? UNQUOTED : prev & SINGLE ? SINGLE : DOUBLE;
  return { end: i, kind };
}

/** One shell word, quoted as shlex quotes it; null when it holds a NUL (shlex refuses). */
export function shlexQuote(word: string): string | null {
  if (word === '') return "''";
  if (word.includes('\0')) return null;
  let out = '';
  let at = 0;
  while (at < word.length) {
    const { end, kind } = strategy(word, at);
    const chunk = word.slice(at, end);
    if (kind === UNQUOTED) {
      if (at === 0 && end === word.length) return word;
      out += chunk;
    } else if (kind === SINGLE) out += `'${chunk}'`;
    else out += `"${chunk.replace(/[$`"\\]/g, (m) => `\\${m}`)}"`;
    at = end;
  }
  return out;
}

/** `shlex::try_join(argv)`, falling back to a plain space join when a word holds a NUL (as codex does). */
export function shlexJoin(argv: readonly string[]): string {
  const words: string[] = [];
  for (const w of argv) {
    const q = shlexQuote(w);
    if (q === null) return argv.join(' ');
    words.push(q);
  }
  return words.join(' ');
}
