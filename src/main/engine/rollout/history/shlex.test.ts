// Rust shlex 1.3's quoting, which codex uses to print a command's argv.
import { describe, expect, it } from 'vitest';
import { shlexJoin, shlexQuote } from './shlex.ts';

describe('shlex', () => {
  it('quotes words as shlex::try_quote does', () => {
    expect(shlexQuote('')).toBe("''");
    expect(shlexQuote('foobar')).toBe('foobar');
    expect(shlexQuote('foo bar')).toBe("'foo bar'");
    expect(shlexQuote('\'"')).toBe('"\'\\""');
    expect(shlexQuote('a=b')).toBe("'a=b'");
    expect(shlexQuote('^x')).toBe("'^x'");
    expect(shlexQuote('ünïcode')).toBe("'ünïcode'");
    expect(shlexQuote("echo 'hi' && ls $HOME")).toBe(`"echo 'hi' && ls "'$HOME'`);
    expect(shlexQuote('a\0b')).toBeNull();
  });

  it('joins argv as codex shows it, falling back to spaces on a NUL', () => {
    expect(shlexJoin(['/bin/bash', '-c', 'pwd; ls -1 | head -n 5; git rev-parse --abbrev-ref HEAD 2>/dev/null || echo no-git'])).toBe(
      "/bin/bash -c 'pwd; ls -1 | head -n 5; git rev-parse --abbrev-ref HEAD 2>/dev/null || echo no-git'",
    );
    expect(shlexJoin(['echo', 'a\0b'])).toBe('echo a\0b');
  });
});
