// Syntax highlighting for code blocks and diffs: a tokenizer per language family, built from sticky
// regular expressions that each match in linear time (no nested quantifiers), so any input is
// highlighted in one pass. Unknown languages and very large blocks are left plain.

export type TokenKind = 'kw' | 'str' | 'com' | 'num' | 'fn' | 'type' | 'lit' | 'var' | 'attr' | 'tag' | 'meta' | 'add' | 'del' | 'plain';
export interface Token {
  kind: TokenKind;
  text: string;
}

/** Larger blocks are shown plain: highlighting them would cost more than it helps. */
export const MAX_HIGHLIGHT_CHARS = 100_000;

type Rule = [RegExp, TokenKind | ((m: string) => TokenKind)];

interface Grammar {
  rules: Rule[];
}

const words = (s: string): Set<string> => new Set(s.split(/\s+/).filter(Boolean));

function identRule(keywords: Set<string>, literals: Set<string>, types?: Set<string>, typeCase = true): Rule {
  return [
    /[A-Za-z_$][\w$]*/y,
    (m) =>
      keywords.has(m) ? 'kw' : literals.has(m) ? 'lit' : types?.has(m) || (typeCase && /^[A-Z][a-z0-9]\w*$/.test(m)) ? 'type' : 'plain',
  ];
}

const NUM: Rule = [/(?:0[xX][\da-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?)[a-zA-Z]*/y, 'num'];
const DQ: Rule = [/"(?:[^"\\\n]|\\.)*"?/y, 'str'];
const SQ: Rule = [/'(?:[^'\\\n]|\\.)*'?/y, 'str'];
const BT: Rule = [/`(?:[^`\\]|\\[\s\S])*`?/y, 'str'];
const SLASH_COMMENT: Rule = [/\/\/[^\n]*/y, 'com'];
const BLOCK_COMMENT: Rule = [/\/\*[\s\S]*?(?:\*\/|$)/y, 'com'];
const HASH_COMMENT: Rule = [/#[^\n]*/y, 'com'];
const CALL: Rule = [/[A-Za-z_$][\w$]*(?=\s*\()/y, 'fn'];

const JS_KW = words(`break case catch class const continue debugger default delete do else export extends finally for from function
  if import in instanceof let new of return static super switch this throw try typeof var void while with yield async await as
  implements interface package private protected public readonly type enum declare namespace abstract keyof satisfies infer is`);
const JS_LIT = words('true false null undefined NaN Infinity');
const PY_KW = words(`and as assert async await break class continue def del elif else except finally for from global if import in is
  lambda nonlocal not or pass raise return try while with yield match case self`);
const PY_LIT = words('True False None');
const SH_KW = words(
  'if then else elif fi for while until do done case esac in function select time return exit export local readonly declare unset set shift source alias',
);
const RUST_KW = words(`as async await break const continue crate dyn else enum extern fn for if impl in let loop match mod move mut pub ref
  return self Self static struct super trait type unsafe use where while`);
const GO_KW = words(
  'break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var',
);
const C_KW = words(`auto break case char const continue default do double else enum extern float for goto if inline int long register
  restrict return short signed sizeof static struct switch typedef union unsigned void volatile while class public private protected
  virtual override final namespace using template typename new delete this throw try catch operator friend bool abstract extends
  implements import package interface instanceof synchronized throws var val fun object when is in out let func guard struct
  protocol extension self init deinit internal open lateinit data sealed companion`);
const C_LIT = words('true false null nullptr NULL nil');
const SQL_KW = words(`select from where and or not insert into values update set delete create table index view drop alter add column
  primary key foreign references on join left right inner outer full cross group by order having limit offset as distinct union all
  case when then else end is null like in between exists begin commit rollback transaction with recursive returning default unique
  check constraint asc desc if replace trigger pragma integer text real blob`);
const RUBY_KW = words(
  'alias and begin break case class def defined do else elsif end ensure false for if in module next nil not or redo rescue retry return self super then true undef unless until when while yield require',
);
const PHP_KW = words(
  'abstract and array as break callable case catch class clone const continue declare default do echo else elseif empty enddeclare endfor endforeach endif endswitch endwhile extends final finally fn for foreach function global goto if implements include instanceof interface isset list match namespace new or print private protected public require return static switch throw trait try unset use var while yield',
);

const cLike = (kw: Set<string>, lit: Set<string>, extra: Rule[] = []): Grammar => ({
  rules: [SLASH_COMMENT, BLOCK_COMMENT, DQ, SQ, ...extra, NUM, CALL, identRule(kw, lit)],
});

const GRAMMARS: Record<string, Grammar> = {
  js: cLike(JS_KW, JS_LIT, [BT]),
  python: {
    rules: [
      HASH_COMMENT,
      [/(?:[rRbBuUfF]{0,2})(?:"""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$))/y, 'str'],
      [/(?:[rRbBuUfF]{1,2})(?:"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?)/y, 'str'],
      DQ,
      SQ,
      [/@[\w.]+/y, 'meta'],
      NUM,
      CALL,
      identRule(PY_KW, PY_LIT),
    ],
  },
  shell: {
    rules: [
      [/(?:^|(?<=\s))#[^\n]*/y, 'com'],
      DQ,
      [/'[^']*'?/y, 'str'],
      [/\$(?:\{[^}\n]*\}?|[A-Za-z_]\w*|[0-9@#?$!*-])/y, 'var'],
      [/(?<=^|[\s;|&(])--?[A-Za-z][\w-]*/y, 'attr'],
      NUM,
      identRule(SH_KW, new Set(), undefined, false),
    ],
  },
  rust: cLike(RUST_KW, words('true false None Some Ok Err'), [
    [/#!?\[[^\]\n]*\]?/y, 'meta'],
    [/'[a-z_]\w*(?!')/y, 'type'],
    [/[a-z_]\w*!/y, 'fn'],
  ]),
  go: cLike(GO_KW, words('true false nil iota'), [BT]),
  c: cLike(C_KW, C_LIT, [
    [/#\s*\w+/y, 'meta'],
    [/@\w+/y, 'meta'],
  ]),
  css: {
    rules: [
      BLOCK_COMMENT,
      DQ,
      SQ,
      [/[.#][\w-]+/y, 'type'],
      [/@[\w-]+/y, 'kw'],
      [/[\w-]+(?=\s*:)/y, 'attr'],
      [/#[\da-fA-F]{3,8}\b/y, 'num'],
      NUM,
      [/[\w-]+/y, 'plain'],
    ],
  },
  markup: {
    rules: [
      [/<!--[\s\S]*?(?:-->|$)/y, 'com'],
      [/<\/?[A-Za-z][\w:-]*/y, 'tag'],
      [/\/?>/y, 'tag'],
      [/[A-Za-z_:][\w:.-]*(?==)/y, 'attr'],
      DQ,
      SQ,
      [/&[#\w]+;/y, 'lit'],
      [/[^<&"'=>/A-Za-z_:]+/y, 'plain'],
    ],
  },
  json: {
    rules: [[/"(?:[^"\\\n]|\\.)*"(?=\s*:)/y, 'attr'], DQ, NUM, [/\b(?:true|false|null)\b/y, 'lit'], SLASH_COMMENT, BLOCK_COMMENT],
  },
  sql: {
    rules: [
      [/--[^\n]*/y, 'com'],
      BLOCK_COMMENT,
      SQ,
      DQ,
      NUM,
      CALL,
      [/[A-Za-z_]\w*/y, (m) => (SQL_KW.has(m.toLowerCase()) ? 'kw' : 'plain')],
    ],
  },
  yaml: {
    rules: [
      HASH_COMMENT,
      [/^[ \t]*-?[ \t]*[\w.\-/"' ]+?(?=:(?:\s|$))/my, 'attr'],
      DQ,
      SQ,
      [/\b(?:true|false|null|yes|no|on|off)\b/y, 'lit'],
      NUM,
      [/[&*][\w-]+/y, 'var'],
    ],
  },
  toml: {
    rules: [
      HASH_COMMENT,
      [/^[ \t]*\[\[?[^\]\n]*\]\]?/my, 'type'],
      [/^[ \t]*[\w.\-"]+(?=\s*=)/my, 'attr'],
      [/"""[\s\S]*?(?:"""|$)/y, 'str'],
      DQ,
      SQ,
      [/\b(?:true|false)\b/y, 'lit'],
      NUM,
    ],
  },
  ruby: {
    rules: [HASH_COMMENT, DQ, SQ, [/:[A-Za-z_]\w*/y, 'lit'], [/@{1,2}\w+/y, 'var'], NUM, CALL, identRule(RUBY_KW, words('true false nil'))],
  },
  php: cLike(PHP_KW, words('true false null TRUE FALSE NULL'), [HASH_COMMENT, [/\$\w+/y, 'var']]),
  dockerfile: {
    rules: [
      HASH_COMMENT,
      [
        /^[ \t]*[A-Za-z]+(?=\s)/my,
        (m) =>
          /^(FROM|RUN|CMD|LABEL|EXPOSE|ENV|ADD|COPY|ENTRYPOINT|VOLUME|USER|WORKDIR|ARG|ONBUILD|STOPSIGNAL|HEALTHCHECK|SHELL|AS)$/i.test(
            m.trim(),
          )
            ? 'kw'
            : 'plain',
      ],
      DQ,
      SQ,
      [/\$(?:\{[^}\n]*\}?|\w+)/y, 'var'],
      NUM,
    ],
  },
  diff: {
    rules: [
      [/^(?:\+\+\+|---)[^\n]*/my, 'meta'],
      [/^@@[^\n]*/my, 'meta'],
      [/^(?:diff|index|new file|deleted file|similarity|rename)[^\n]*/my, 'meta'],
      [/^\+[^\n]*/my, 'add'],
      [/^-[^\n]*/my, 'del'],
      [/[^\n]+/y, 'plain'],
    ],
  },
};

const ALIASES: Record<string, string> = {
  js: 'js',
  javascript: 'js',
  jsx: 'js',
  mjs: 'js',
  cjs: 'js',
  ts: 'js',
  typescript: 'js',
  tsx: 'js',
  mts: 'js',
  cts: 'js',
  py: 'python',
  python: 'python',
  python3: 'python',
  py3: 'python',
  sh: 'shell',
  bash: 'shell',
  zsh: 'shell',
  shell: 'shell',
  console: 'shell',
  shellsession: 'shell',
  fish: 'shell',
  ksh: 'shell',
  powershell: 'shell',
  ps1: 'shell',
  rs: 'rust',
  rust: 'rust',
  go: 'go',
  golang: 'go',
  c: 'c',
  h: 'c',
  cpp: 'c',
  'c++': 'c',
  cc: 'c',
  hpp: 'c',
  cs: 'c',
  csharp: 'c',
  java: 'c',
  kotlin: 'c',
  kt: 'c',
  swift: 'c',
  scala: 'c',
  dart: 'c',
  'objective-c': 'c',
  objc: 'c',
  zig: 'c',
  css: 'css',
  scss: 'css',
  less: 'css',
  html: 'markup',
  xml: 'markup',
  svg: 'markup',
  vue: 'markup',
  svelte: 'markup',
  xhtml: 'markup',
  plist: 'markup',
  json: 'json',
  jsonc: 'json',
  json5: 'json',
  jsonl: 'json',
  ndjson: 'json',
  sql: 'sql',
  sqlite: 'sql',
  postgres: 'sql',
  postgresql: 'sql',
  mysql: 'sql',
  plsql: 'sql',
  yaml: 'yaml',
  yml: 'yaml',
  toml: 'toml',
  ini: 'toml',
  cfg: 'toml',
  conf: 'toml',
  properties: 'toml',
  rb: 'ruby',
  ruby: 'ruby',
  php: 'php',
  dockerfile: 'dockerfile',
  docker: 'dockerfile',
  containerfile: 'dockerfile',
  diff: 'diff',
  patch: 'diff',
  udiff: 'diff',
};

const FALLBACK = /[\p{L}\p{N}_]+|[ \t]+|[\s\S]/uy;

/** The grammar name for a fence's info string or a file name (`x.ts`), or null. */
export function languageOf(langOrPath: string): string | null {
  const s = langOrPath.trim().toLowerCase();
  if (s === '') return null;
  if (ALIASES[s]) return ALIASES[s];
  const base = s.split(/[\\/]/).pop() ?? s;
  if (base === 'dockerfile' || base.startsWith('dockerfile.')) return 'dockerfile';
  if (base === 'makefile') return 'shell';
  const ext = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1) : '';
  return ALIASES[ext] ?? null;
}

/** Tokens of `code` in `lang` (a fence's info string or a file name), or null when it stays plain. */
export function highlight(code: string, lang: string): Token[] | null {
  const name = languageOf(lang);
  if (!name || code.length > MAX_HIGHLIGHT_CHARS) return null;
  const grammar = GRAMMARS[name]!;
  const out: Token[] = [];
  const emit = (kind: TokenKind, text: string): void => {
    const last = out[out.length - 1];
    if (last && last.kind === kind) last.text += text;
    else out.push({ kind, text });
  };
  let i = 0;
  outer: while (i < code.length) {
    for (const [re, kind] of grammar.rules) {
      re.lastIndex = i;
      const m = re.exec(code);
      if (m && m[0].length > 0) {
        emit(typeof kind === 'function' ? kind(m[0]) : kind, m[0]);
        i += m[0].length;
        continue outer;
      }
    }
    // Nothing matched: a word, a run of blanks or one other character, as plain text.
    FALLBACK.lastIndex = i;
    const m = FALLBACK.exec(code)!;
    emit('plain', m[0]);
    i += m[0].length;
  }
  return out;
}
