// The method table's flags as the hosts and the engine read them, and its result types as
// ResultOf derives them (checked by `tsc`, which type-checks this file; at runtime those are no-ops).
import { describe, expect, expectTypeOf, it } from 'vitest';
import { isHostMethod, isMutation, isRepaired, methods, type EngineMethodName, type MethodName, type ResultOf } from './methods.ts';
import type { InitializeResult, ThreadListResult, ThreadReadResult } from './results.ts';
import type { CascadeResult, HostOpenDemoHomeResult, TreeResult } from './spool-results.ts';

const names = Object.keys(methods) as MethodName[];

describe('method table', () => {
  it('read-repair covers the methods whose results carry threads from the index', () => {
    expect(names.filter(isRepaired).sort()).toEqual(['spool/thread/families', 'thread/list', 'thread/read']);
  });

  it('tells mutations, host methods and unknown names apart', () => {
    expect(names.filter((m) => isMutation(m)).sort()).toEqual([
      'host/openDemoHome',
      'spool/thread/reopen',
      'spool/threads/bulk',
      'thread/archive',
      'thread/close',
      'thread/metadata/update',
      'thread/name/set',
      'thread/unarchive',
    ]);
    expect(isMutation('thread/nope')).toBe(false);
    expect(isMutation(42)).toBe(false);
    expect(names.filter(isHostMethod).every((m) => m.startsWith('host/'))).toBe(true);
  });

  it('carries each method’s result type (no runtime content)', () => {
    expectTypeOf<ResultOf<'thread/list'>>().toEqualTypeOf<ThreadListResult>();
    expectTypeOf<ResultOf<'thread/read'>>().toEqualTypeOf<ThreadReadResult>();
    expectTypeOf<ResultOf<'initialize'>>().toEqualTypeOf<InitializeResult>();
    expectTypeOf<ResultOf<'thread/close'>>().toEqualTypeOf<CascadeResult>();
    expectTypeOf<ResultOf<'spool/thread/tree'>>().toEqualTypeOf<TreeResult>();
    expectTypeOf<ResultOf<'host/openDemoHome'>>().toEqualTypeOf<HostOpenDemoHomeResult>();
    expectTypeOf<EngineMethodName>().not.toEqualTypeOf<MethodName>();
    expectTypeOf<'host/info'>().not.toExtend<EngineMethodName>();
    expect(Object.keys(methods['thread/list'].result)).toEqual([]);
  });
});
