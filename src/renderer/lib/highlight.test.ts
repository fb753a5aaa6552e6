// Code highlighting: tokens cover the input exactly, the kinds are right for the languages agents
// write most, and unknown languages stay plain.
import { describe, expect, it } from 'vitest';
import { highlight, languageOf, MAX_HIGHLIGHT_CHARS, type Token } from './highlight.ts';

const kinds = (tokens: Token[] | null, kind: Token['kind']): string[] =>
  (tokens ?? []).filter((t) => t.kind === kind).map((t) => t.text.trim());

describe('highlight', () => {
  it('covers the input exactly', () => {
    const samples: [string, string][] = [
      [
        'ts',
        'export async function retry<T>(fn: () => Promise<T>, n = 3): Promise<T> {\n  // try again\n  return fn().catch((e) => (n > 0 ? retry(fn, n - 1) : Promise.reject(e)));\n}\nconst s = `a ${b}`; /* c */',
      ],
      ['python', 'def f(x):\n    """doc"""\n    return x + 1  # one\n@decorator\nclass A: pass\nprint(f"{x}")'],
      ['bash', 'FOO=bar ./run.sh --verbose "$HOME" \'lit\' # note\nfor f in *.ts; do echo $f; done'],
      ['json', '{"a": 1, "b": [true, null, "x\\"y"]}'],
      ['diff', '--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-old\n+new\n ctx'],
      ['html', '<div class="a">x &amp; y</div><!-- c -->'],
      ['sql', 'SELECT id FROM threads WHERE updated_at > 5 -- recent'],
      ['rust', 'fn main() { let v: Vec<u8> = vec![1]; println!("{}", v.len()); }'],
      ['yaml', 'key: value\nlist:\n  - "a" # c'],
      ['c', '#include <stdio.h>\nint main(void) { return 0; }'],
    ];
    for (const [lang, code] of samples) {
      const tokens = highlight(code, lang);
      expect(tokens, lang).not.toBeNull();
      expect(tokens!.map((t) => t.text).join(''), lang).toBe(code);
    }
  });

  it('classifies keywords, strings, comments, numbers and calls', () => {
    const ts = highlight('const answer = compute(42, "x"); // done', 'ts');
    expect(kinds(ts, 'kw')).toEqual(['const']);
    expect(kinds(ts, 'fn')).toEqual(['compute']);
    expect(kinds(ts, 'num')).toEqual(['42']);
    expect(kinds(ts, 'str')).toEqual(['"x"']);
    expect(kinds(ts, 'com')).toEqual(['// done']);
    const py = highlight('if x is None:\n    return True', 'py');
    expect(kinds(py, 'kw')).toEqual(['if', 'is', 'return']);
    expect(kinds(py, 'lit')).toEqual(['None', 'True']);
    const sh = highlight('git log --oneline | head -n 5 # recent', 'sh');
    expect(kinds(sh, 'attr')).toEqual(['--oneline', '-n']);
    expect(kinds(sh, 'com')).toEqual(['# recent']);
    const diff = highlight('@@ -1 +1 @@\n-a\n+b\n c', 'diff');
    expect(kinds(diff, 'add')).toEqual(['+b']);
    expect(kinds(diff, 'del')).toEqual(['-a']);
  });

  it('leaves unknown languages and huge blocks plain', () => {
    expect(highlight('x', 'brainfuck')).toBeNull();
    expect(highlight('x', '')).toBeNull();
    expect(highlight('a'.repeat(MAX_HIGHLIGHT_CHARS + 1), 'ts')).toBeNull();
  });

  it('knows languages by fence name and by file name', () => {
    expect(languageOf('TypeScript')).toBe('js');
    expect(languageOf('src/main/engine.ts')).toBe('js');
    expect(languageOf('Dockerfile')).toBe('dockerfile');
    expect(languageOf('README')).toBeNull();
  });

  it('covers unterminated strings and comments to the end', () => {
    for (const [lang, code] of [
      ['ts', 'const s = "abc'],
      ['ts', '/* open'],
      ['python', 's = """open'],
      ['ts', '`tmpl ${'],
    ] as const) {
      expect(
        highlight(code, lang)!
          .map((t) => t.text)
          .join(''),
      ).toBe(code);
    }
  });
});
