// The browse screen's pure state: the URL route (what survives a reload), the thread/list and
// search queries built from it, bulk selections, and the splitting of highlighted snippets.
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
} from '../../src/renderer/app/route.ts';
import { EMPTY_SELECTION, extendTo, isSelected, selectAll, selectedCount, toggle } from '../../src/renderer/features/threads/selection.ts';
import { splitHighlights } from '../../src/renderer/lib/search-marks.ts';
import { ALL_SOURCE_KINDS, ThreadListParams } from '../../src/shared/protocol/index.ts';

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

describe('selection', () => {
  const order = ['a', 'b', 'c', 'd', 'e'];
  it('toggles ids and extends ranges from the last toggled row, in the order shown', () => {
    let s = toggle(EMPTY_SELECTION, 'b');
    s = extendTo(s, order, 'd');
    expect(order.filter((id) => isSelected(s, id))).toEqual(['b', 'c', 'd']);
    s = toggle(s, 'c');
    expect(selectedCount(s, null)).toBe(2);
  });

  it('selects everything the filter matches, minus exclusions, without listing it', () => {
    let s = selectAll();
    expect(selectedCount(s, 12_345)).toBe(12_345);
    s = toggle(s, 'x');
    expect(isSelected(s, 'x')).toBe(false);
    expect(isSelected(s, 'never-seen')).toBe(true);
    expect(selectedCount(s, 12_345)).toBe(12_344);
  });
});

describe('splitHighlights', () => {
  it('splits the engine’s markers into text and marked parts, keeping markup as text', () => {
    expect(splitHighlights('a \uE000<b>x</b>\uE001 and \uE000y\uE001')).toEqual([
      { text: 'a ', hit: false },
      { text: '<b>x</b>', hit: true },
      { text: ' and ', hit: false },
      { text: 'y', hit: true },
    ]);
    expect(splitHighlights('no marks')).toEqual([{ text: 'no marks', hit: false }]);
    expect(splitHighlights('\uE001stray\uE000')).toEqual([{ text: 'stray', hit: false }]);
  });
});
