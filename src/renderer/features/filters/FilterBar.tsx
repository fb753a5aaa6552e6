// Sort, direction, archived, sub-agents and the filters (project, provider, source, dates) — all
// combinable, all kept in the URL. Counts come from spool/facets under the other filters.
import { useMemo, useState } from 'react';
import type { FacetsResult } from '../../../shared/protocol/index.ts';
import { Menu } from '../../components/Menu.tsx';
import {
  activeFilterCount,
  clearFilters,
  facetParams,
  KIND_CHOICES,
  type KindChoice,
  type ListFilters,
  type SortChoice,
} from '../../app/route.ts';
import { baseName, formatCount, shortenPath } from '../../lib/format.ts';
import { useFacets } from './useFacets.ts';

interface Props {
  filters: ListFilters;
  facets: FacetsResult | null;
  onChange: (f: ListFilters) => void;
}

const SORT_LABEL: Record<SortChoice, string> = { updated: 'Last updated', created: 'Created', recency: 'Recent activity' };
const KIND_LABEL: Record<KindChoice, string> = { cli: 'CLI', vscode: 'VS Code', exec: 'Exec', appServer: 'App server', unknown: 'Other' };

function toggleIn<T>(list: readonly T[], v: T): T[] {
  return list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
}

function ProjectPicker({ filters, onChange }: { filters: ListFilters; onChange: (f: ListFilters) => void }): React.JSX.Element {
  const [query, setQuery] = useState('');
  const params = useMemo(() => ({ ...facetParams(filters), cwdQuery: query.trim() || null, cwdLimit: 300 }), [filters, query]);
  const { facets } = useFacets(params);
  const chosen = new Set(filters.cwds);
  const rows = facets?.cwds ?? [];
  // Chosen projects stay listed (with their count under the other filters) even when the text hides them.
  const extra = filters.cwds.filter((c) => !rows.some((r) => r.value === c)).map((value) => ({ value, count: 0 }));
  return (
    <div className="picker" data-testid="project-picker">
      <input
        type="search"
        placeholder="Find a project…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        aria-label="Find a project"
        spellCheck={false}
      />
      <div className="picker-list" role="group" aria-label="Projects">
        {[...extra, ...rows].map((c) => (
          <label key={c.value} className="picker-row" title={c.value || '(no working directory)'}>
            <input
              type="checkbox"
              checked={chosen.has(c.value)}
              onChange={() => onChange({ ...filters, cwds: toggleIn(filters.cwds, c.value) })}
            />
            <span className="picker-name">{c.value ? baseName(c.value) : '(none)'}</span>
            <span className="picker-path">{shortenPath(c.value, 3)}</span>
            <span className="count">{formatCount(c.count)}</span>
          </label>
        ))}
        {facets && rows.length === 0 ? <div className="picker-empty">No project matches “{query}”.</div> : null}
      </div>
      {facets && facets.cwdCount > rows.length ? (
        <div className="picker-foot">
          Showing {formatCount(rows.length)} of {formatCount(facets.cwdCount)} — type to narrow
        </div>
      ) : null}
      {filters.cwds.length > 0 ? (
        <button type="button" className="link" onClick={() => onChange({ ...filters, cwds: [] })}>
          All projects
        </button>
      ) : null}
    </div>
  );
}

function isoDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function FilterBar({ filters, facets, onChange }: Props): React.JSX.Element {
  const n = activeFilterCount(filters);
  const kindCount = (k: KindChoice): number | null => facets?.sourceKinds.find((s) => s.value === k)?.count ?? (facets ? 0 : null);
  const subAgentCount = facets ? facets.sourceKinds.filter((s) => s.value.startsWith('subAgent')).reduce((a, s) => a + s.count, 0) : null;
  const projectLabel =
    filters.cwds.length === 0 ? 'All projects' : filters.cwds.length === 1 ? baseName(filters.cwds[0]!) : `${filters.cwds.length} projects`;
  const providerLabel =
    filters.providers.length === 0
      ? 'Any provider'
      : filters.providers.length === 1
        ? filters.providers[0]!
        : `${filters.providers.length} providers`;
  const kindLabel =
    filters.kinds.length === 0
      ? 'Any source'
      : filters.kinds.length === 1
        ? KIND_LABEL[filters.kinds[0]!]
        : `${filters.kinds.length} sources`;
  const dateLabel =
    filters.from && filters.to
      ? `${filters.from} – ${filters.to}`
      : filters.from
        ? `Since ${filters.from}`
        : filters.to
          ? `Until ${filters.to}`
          : 'Any date';
  // Every kind is "any kind"; unticking the last one is not a filter that lists nothing.
  const setKinds = (kinds: KindChoice[]): void => {
    if (kinds.length === 0) return;
    onChange({ ...filters, kinds: kinds.length === KIND_CHOICES.length ? [] : kinds });
  };
  const preset = (days: number): void => {
    const d = new Date();
    d.setDate(d.getDate() - days + 1);
    onChange({ ...filters, from: isoDay(d), to: null });
  };
  return (
    <div className="filter-bar" data-testid="filter-bar">
      <div className="filter-row">
        <label className="sort">
          <span className="sr-only">Sort by</span>
          <select
            value={filters.sort}
            data-testid="sort-key"
            onChange={(e) => onChange({ ...filters, sort: e.target.value as SortChoice })}
          >
            {(Object.keys(SORT_LABEL) as SortChoice[]).map((k) => (
              <option key={k} value={k}>
                {SORT_LABEL[k]}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="icon-button"
          data-testid="sort-direction"
          aria-label={filters.dir === 'desc' ? 'Newest first (click for oldest first)' : 'Oldest first (click for newest first)'}
          title={filters.dir === 'desc' ? 'Newest first' : 'Oldest first'}
          onClick={() => onChange({ ...filters, dir: filters.dir === 'desc' ? 'asc' : 'desc' })}
        >
          <svg viewBox="0 0 16 16" aria-hidden="true" className={filters.dir}>
            <path
              d="M8 2v11M4 9l4 4 4-4"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.6"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
        </button>
        <div className="segmented small" role="radiogroup" aria-label="Collection">
          <button
            type="button"
            role="radio"
            aria-checked={!filters.archived}
            className={!filters.archived ? 'on' : ''}
            data-testid="show-active"
            onClick={() => onChange({ ...filters, archived: false })}
          >
            Active
          </button>
          <button
            type="button"
            role="radio"
            aria-checked={filters.archived}
            className={filters.archived ? 'on' : ''}
            data-testid="show-archived"
            onClick={() => onChange({ ...filters, archived: true })}
          >
            Archived
          </button>
        </div>
        <button
          type="button"
          className={`chip toggle${filters.subAgents === 'grouped' ? ' on' : ''}`}
          aria-pressed={filters.subAgents === 'grouped'}
          data-testid="toggle-subagents"
          title={filters.subAgents === 'grouped' ? 'Sub-agents are shown under their parents' : 'Sub-agents are hidden'}
          onClick={() => onChange({ ...filters, subAgents: filters.subAgents === 'grouped' ? 'hidden' : 'grouped' })}
        >
          Sub-agents
          {subAgentCount !== null && filters.subAgents === 'grouped' ? <span className="count">{formatCount(subAgentCount)}</span> : null}
        </button>
      </div>
      <div className="filter-row">
        <Menu label={projectLabel} active={filters.cwds.length > 0} testId="filter-project">
          <ProjectPicker filters={filters} onChange={onChange} />
        </Menu>
        <Menu label={providerLabel} active={filters.providers.length > 0} testId="filter-provider">
          <div className="picker-list short" role="group" aria-label="Providers">
            {(facets?.providers ?? []).map((p) => (
              <label key={p.value} className="picker-row">
                <input
                  type="checkbox"
                  checked={filters.providers.includes(p.value)}
                  onChange={() => onChange({ ...filters, providers: toggleIn(filters.providers, p.value) })}
                />
                <span className="picker-name">{p.value}</span>
                <span className="count">{formatCount(p.count)}</span>
              </label>
            ))}
          </div>
        </Menu>
        <Menu label={kindLabel} active={filters.kinds.length > 0} testId="filter-source">
          <div className="picker-list short" role="group" aria-label="Sources">
            {KIND_CHOICES.map((k) => {
              const c = kindCount(k);
              return (
                <label key={k} className="picker-row">
                  <input
                    type="checkbox"
                    checked={filters.kinds.length === 0 || filters.kinds.includes(k)}
                    onChange={() => setKinds(toggleIn(filters.kinds.length === 0 ? [...KIND_CHOICES] : filters.kinds, k))}
                  />
                  <span className="picker-name">{KIND_LABEL[k]}</span>
                  <span className="count">{c === null ? '' : formatCount(c)}</span>
                </label>
              );
            })}
          </div>
        </Menu>
        <Menu label={dateLabel} active={filters.from !== null || filters.to !== null} testId="filter-date">
          <div className="dates">
            <div className="presets">
              <button type="button" onClick={() => preset(1)}>
                Today
              </button>
              <button type="button" onClick={() => preset(7)}>
                7 days
              </button>
              <button type="button" onClick={() => preset(30)}>
                30 days
              </button>
              <button type="button" onClick={() => preset(365)}>
                A year
              </button>
            </div>
            <label>
              Created from
              <input
                type="date"
                value={filters.from ?? ''}
                data-testid="date-from"
                onChange={(e) => onChange({ ...filters, from: e.target.value || null })}
              />
            </label>
            <label>
              to
              <input
                type="date"
                value={filters.to ?? ''}
                data-testid="date-to"
                onChange={(e) => onChange({ ...filters, to: e.target.value || null })}
              />
            </label>
            {filters.from || filters.to ? (
              <button type="button" className="link" onClick={() => onChange({ ...filters, from: null, to: null })}>
                Any date
              </button>
            ) : null}
          </div>
        </Menu>
        {n > 0 ? (
          <button type="button" className="link clear" data-testid="clear-filters" onClick={() => onChange(clearFilters(filters))}>
            Clear filters
          </button>
        ) : null}
      </div>
    </div>
  );
}
