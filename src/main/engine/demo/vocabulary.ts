// The words generated homes are made of: projects, branches, prompts, answers, agent names. Real
// enough that a demo home reads like work, varied enough that search and filters have something to
// find (a credentialed origin URL, a prompt in several scripts and an emoji).
export const PROJECTS = [
  'atlas-api',
  'billing-service',
  'web-dashboard',
  'ml-pipeline',
  'mobile-app',
  'infra-terraform',
  'docs-site',
  'auth-gateway',
  'search-indexer',
  'cli-tools',
  'data-warehouse',
  'design-system',
];
export const BRANCHES = ['main', 'develop', 'feature/login-page', 'fix/flaky-ci', 'release/2.3', 'refactor/config-loader', 'chore/deps'];
export const ORIGINS = [
  'https://github.com/acme/%p.git',
  'git@github.com:acme/%p.git',
  'https://gitlab.com/acme/%p.git',
  'https://deploy:s3cr3t-token@github.com/acme/%p.git',
];
export const PROVIDERS = ['openai', 'openai', 'openai', 'azure', 'ollama'];
export const MODELS = ['gpt-6.1-sol', 'gpt-6-luna', 'gpt-5.2-codex', 'o4-mini'];
export const EFFORTS = ['low', 'medium', 'high', null] as const;
export const SOURCES = ['cli', 'cli', 'vscode', 'vscode', 'exec', 'mcp'] as const;
export const PROMPTS = [
  'Explain what this repository does and where the entry point is',
  'Find why the unit tests fail on CI but pass locally',
  'Add a --verbose flag to the CLI and document it',
  'Refactor the config loader to use async fs APIs',
  'Why is the build output so large? Suggest ways to shrink it',
  'Rename getUserData to fetchUserProfile across the codebase',
  'Add input validation to the signup form handler',
  'Investigate the memory leak in the websocket reconnect logic',
  'Draft release notes for version 2.3.0',
  'Implement pagination for the /api/items endpoint',
  'Migrate the SQLite schema to add an index on created_at',
  'Make the logger output JSON when LOG_FORMAT=json',
  'Review this module for security issues',
  'Speed up the startup time of the dev server',
  'Plan the migration from webpack to vite',
  'Déploie la documentation — ünïcödé, 日本語のテスト 🚀',
];
export const FOLLOWUPS = [
  'Thanks. Can you also add tests for that?',
  'Now apply the same change to the other module.',
  'Please summarize what you changed in two sentences.',
  'Looks good. What are the risks?',
  'Run the linter and fix what it finds.',
];
export const NAMES = [
  'Release prep',
  'CI flake hunt',
  'Auth refactor 🔐',
  'Perf: dev server',
  'Docs cleanup',
  'Importer review',
  'Pagination API',
  'Logger JSON',
];
export const NICKNAMES = [
  'Ada',
  'Boole',
  'Curie',
  'Darwin',
  'Euler',
  'Faraday',
  'Gauss',
  'Hopper',
  'Ito',
  'Jacobi',
  'Kepler',
  'Lovelace',
  'Maxwell',
  'Noether',
  'Ohm',
  'Parfit',
];
export const ROLES = ['explorer', 'worker', 'reviewer', null] as const;
export const ANSWERS = [
  'The entry point is `src/index.ts`, which wires the HTTP server and the job queue.',
  'The failure comes from a timezone assumption in `parseDuration`; CI runs in UTC.',
  'Done. I added the flag, threaded it through the logger, and documented it in the README.',
  '## Plan\n\n1. Reproduce the issue\n2. Add a failing test\n3. Fix it\n\n```ts\nexport function retry<T>(fn: () => Promise<T>, n = 3): Promise<T> {\n  return fn().catch((e) => (n > 0 ? retry(fn, n - 1) : Promise.reject(e)));\n}\n```\n',
  'The bundle includes two copies of `lodash`; deduplicating them saves 240 kB.',
];
