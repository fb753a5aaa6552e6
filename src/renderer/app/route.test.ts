// The URL route (what survives a reload) and the thread/list and search queries built from it.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FILTERS,
  facetParams,
  formatHash,
  groupsSubAgents,
  listParams,
  localDayStart,
  parseHash,
  searchFilters,
  type Route,
} from './route.ts';
import { ALL_SOURCE_KINDS, ThreadListParams } from '../../shared/protocol/index.ts';

describe('route', () => {
  it('round-trips every filter through the hash', () => {
    const r: Route = {
      threadId: '01a1fcce-fa3b-7881-a9e8-24f4676cd9d7',
      turnId: '01a1fcce-fc72-7742-98ee-45d882d25cbb',
      filters: {
        sort: 'created',
        dir: 'asc',
        archived: true,
        cwds: ['/a b/ü', '/c'],
        providers: ['openai'],
        kinds: ['cli', 'exec'],
        subAgents: 'hidden',
        from: '2026-01-02',
        to: '2026-02-03',
        q: 'a&b=c #x',
        scope: 'messages',
      },
    };
    const hash = formatHash(r);
    expect(hash.startsWith('#/thread/01a1fcce-fa3b-7881-a9e8-24f4676cd9d7?')).toBe(true);
    expect(parseHash(hash)).toEqual(r);
  });

  it('writes nothing for defaults and ignores what it does not understand', () => {
    expect(formatHash({ threadId: null, turnId: null, filters: DEFAULT_FILTERS })).toBe('#/');
    const r = parseHash('#/thread/<script>?sort=evil&dir=up&kinds=cli,bogus&from=yesterday&turn=x');
    expect(r).toEqual({ threadId: null, turnId: null, filters: { ...DEFAULT_FILTERS, kinds: ['cli'] } });
    expect(parseHash('')).toEqual({ threadId: null, turnId: null, filters: DEFAULT_FILTERS });
  });

  it('builds the list query: every provider, preview-less threads, sub-agents under parents unless a title search lists them flat', () => {
    const p = listParams(DEFAULT_FILTERS);
    expect(ThreadListParams.parse(p)).toEqual(p);
    expect(p).toEqual({
      sortKey: 'updated_at',
      sortDirection: 'desc',
      archived: false,
      modelProviders: [],
      sourceKinds: ['cli', 'vscode', 'exec', 'appServer', 'unknown'],
      includeEmptyPreview: true,
    });
    expect(groupsSubAgents(DEFAULT_FILTERS)).toBe(true);
    const titled = { ...DEFAULT_FILTERS, q: ' Release ' };
    expect(groupsSubAgents(titled)).toBe(false);
    expect(listParams(titled)).toMatchObject({
      searchTerm: 'Release',
      sourceKinds: ['cli', 'vscode', 'exec', 'appServer', 'unknown', 'subAgent'],
    });
    expect(listParams({ ...DEFAULT_FILTERS, q: 'x', scope: 'messages' }).searchTerm).toBeUndefined();
    const dated = listParams({ ...DEFAULT_FILTERS, from: '2026-03-01', to: '2026-03-01', cwds: ['/x'], sort: 'recency' });
    expect(dated).toMatchObject({
      sortKey: 'recency_at',
      cwd: ['/x'],
      createdAfterMs: localDayStart('2026-03-01'),
      createdBeforeMs: localDayStart('2026-03-01') + 86_400_000 - 1,
    });
  });

  it('searches sub-agents’ messages unless they are hidden, and counts what the list lists', () => {
    expect(searchFilters(DEFAULT_FILTERS).sourceKinds).toEqual([
      'cli',
      'vscode',
      'exec',
      'appServer',
      'unknown',
      ...ALL_SOURCE_KINDS.filter((k) => k.startsWith('subAgent')),
    ]);
    expect(searchFilters({ ...DEFAULT_FILTERS, subAgents: 'hidden' }).sourceKinds).toEqual([
      'cli',
      'vscode',
      'exec',
      'appServer',
      'unknown',
    ]);
    expect(facetParams({ ...DEFAULT_FILTERS, providers: ['azure'] })).toEqual({
      archived: false,
      modelProviders: ['azure'],
      sourceKinds: ['cli', 'vscode', 'exec', 'appServer', 'unknown'],
      includeEmptyPreview: true,
    });
  });
});
