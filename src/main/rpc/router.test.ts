import { describe, expect, it } from 'vitest';
import { createRouter, JsonText, serializeResponse, type EngineLike } from './router.ts';
import { CHECK_RESULTS_ENV } from './result-check.ts';
import { RpcError } from '../../shared/jsonrpc.ts';
import { codexSchemaDir } from '../../../test/support/codex-schema.ts';

const engine: EngineLike = {
  call: (method, params) => {
    if (method === 'thread/read') throw new RpcError(-32600, `thread not loaded: ${(params as { threadId: string }).threadId}`);
    if (method === 'spool/index/status') return Promise.reject(new Error('boom'));
    return Promise.resolve({ method, params } as never);
  },
};
// The stand-in engine answers with its request, which is no codex result: routing only here.
const router = createRouter({ engine, checkResults: false });

describe('router', () => {
  it('answers a parse error for bad JSON', async () => {
    expect(await router.handle('{nope')).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
  });
  it('answers an invalid request for a malformed envelope, keeping the id when it can', async () => {
    expect(await router.handle({ id: 7, method: 42 })).toMatchObject({ id: 7, error: { code: -32600 } });
    expect(await router.handle([1, 2])).toMatchObject({ id: null, error: { code: -32600 } });
    // An id the envelope refuses is not echoed (found by the fuzzer: 1.5 came back as the id).
    expect(await router.handle({ id: 1.5, method: 'thread/list' })).toMatchObject({ id: null, error: { code: -32600 } });
    expect(await router.handle({ id: 2 ** 60, method: 'thread/list' })).toMatchObject({ id: null, error: { code: -32600 } });
  });
  it('answers method not found for an unknown method', async () => {
    expect(await router.handle({ id: 1, method: 'thread/bogus' })).toMatchObject({
      id: 1,
      error: { code: -32601, message: 'method not found: thread/bogus' },
    });
  });
  it('reports schema errors of codex methods as codex does (-32600 "Invalid request: …")', async () => {
    const r = await router.handle({ id: 2, method: 'thread/list', params: { limit: 'x' } });
    expect(r).toMatchObject({ id: 2, error: { code: -32600, message: expect.stringMatching(/^Invalid request: limit/) } });
    const r2 = await router.handle({ id: 3, method: 'thread/read', params: {} });
    expect(r2).toMatchObject({ error: { code: -32600, message: expect.stringMatching(/threadId/) } });
  });
  it('reports schema errors of Spool methods as invalid params (-32602)', async () => {
    expect(await router.handle({ id: 4, method: 'spool/search', params: { query: 5 } })).toMatchObject({ error: { code: -32602 } });
  });
  it('passes engine errors through and hides internal ones behind -32603', async () => {
    expect(await router.handle({ id: 5, method: 'thread/read', params: { threadId: 'x' } })).toMatchObject({
      error: { code: -32600, message: 'thread not loaded: x' },
    });
    expect(await router.handle({ id: 6, method: 'spool/index/status' })).toMatchObject({
      error: { code: -32603, message: 'internal error: boom' },
    });
  });
  it('returns validated params to the engine and results to the caller', async () => {
    expect(await router.handle({ jsonrpc: '2.0', id: 'a', method: 'thread/list', params: { limit: 3, extra: 1 } })).toEqual({
      jsonrpc: '2.0',
      id: 'a',
      result: { method: 'thread/list', params: { limit: 3 } },
    });
  });
  it('ignores client notifications such as initialized', async () => {
    expect(await router.handle({ method: 'initialized' })).toBeNull();
  });
  it('refuses host methods the host does not provide', async () => {
    expect(
      await router.handle({ id: 9, method: 'host/saveFile', params: { suggestedName: 'a', content: '', mimeType: 'text/plain' } }),
    ).toMatchObject({ error: { code: -32601 } });
  });
  it('writes a result the engine serialised itself exactly as it would have written the object', async () => {
    const textual = createRouter({
      engine: {
        ...engine,
        callJson: async (method, params) => new JsonText(JSON.stringify(await engine.call(method as 'thread/list', params as never))),
      },
      engineJson: true,
      checkResults: false,
    });
    for (const id of [7, 'a "quoted" id \\ with ünïcode']) {
      const message = { jsonrpc: '2.0', id, method: 'thread/list', params: { limit: 3, searchTerm: 'x"y' } };
      const viaText = await textual.handle(message);
      const viaObject = await router.handle(message);
      expect(JSON.parse(serializeResponse(viaText!))).toEqual(viaObject);
      expect(serializeResponse(viaText!)).toBe(JSON.stringify(viaObject));
    }
    // Errors are never JsonText.
    expect(serializeResponse((await textual.handle('{')) as never)).toBe(JSON.stringify(await router.handle('{')));
  });
});

describe("router: results of codex methods against codex's schema", () => {
  const thread = { id: 'x' }; // far from a codex Thread
  const answering = (result: unknown): EngineLike => ({ call: () => Promise.resolve(result as never) });
  const internal: string[] = [];
  const checkedRouter = (result: unknown, engineJson = false): ReturnType<typeof createRouter> =>
    createRouter({
      engine: { ...answering(result), callJson: () => Promise.resolve(new JsonText(JSON.stringify(result))) },
      engineJson,
      onInternalError: (m) => internal.push(m),
    });

  it('are checked in tests: the test setup names the pinned codex schema folder', () => {
    expect(process.env[CHECK_RESULTS_ENV]).toBe(codexSchemaDir());
  });

  it('answer a result that fails the schema with an internal error, as objects and as JSON text', async () => {
    for (const engineJson of [false, true]) {
      const r = await checkedRouter({ data: [thread], nextCursor: null }, engineJson).handle({ id: 1, method: 'thread/list' });
      expect(r).toMatchObject({
        id: 1,
        error: { code: -32603, message: expect.stringMatching(/result of thread\/list does not match codex's schema/) },
      });
    }
    expect(internal).toEqual(['thread/list', 'thread/list']);
    const read = await checkedRouter({ thread }).handle({ id: 2, method: 'thread/read', params: { threadId: 'x' } });
    expect(read).toMatchObject({ error: { code: -32603 } });
  });

  it("pass a result that matches, and leave Spool's own methods and those codex has no schema for alone", async () => {
    const page = { data: [], nextCursor: null, backwardsCursor: null };
    expect(await checkedRouter(page).handle({ id: 3, method: 'thread/list' })).toEqual({ jsonrpc: '2.0', id: 3, result: page });
    expect(await checkedRouter({ data: [thread] }).handle({ id: 4, method: 'spool/search', params: { query: 'a' } })).toMatchObject({
      result: { data: [thread] },
    });
    expect(await checkedRouter({ outcomes: [] }).handle({ id: 5, method: 'thread/close', params: { threadId: 'x' } })).toMatchObject({
      result: { outcomes: [] },
    });
  });

  it('are not checked when the router is told not to, or given its own check', async () => {
    const bad = { data: [thread], nextCursor: null };
    expect(await createRouter({ engine: answering(bad), checkResults: false }).handle({ id: 6, method: 'thread/list' })).toMatchObject({
      result: bad,
    });
    const seen: string[] = [];
    const own = createRouter({ engine: answering(bad), checkResults: (m) => (seen.push(m), ['no']) });
    expect(await own.handle({ id: 7, method: 'thread/list' })).toMatchObject({
      error: { code: -32603, message: expect.stringMatching(/: no$/) },
    });
    expect(seen).toEqual(['thread/list']);
  });
});
