// The IPC request handler with Electron-shaped events: the sender and the argument checks come
// before anything reaches the router; whatever arrives, the answer is a JSON-RPC response. (The
// fuzz in test/fuzz/ipc.fuzz.test.ts drives it with thousands of hostile calls on a real engine.)
import { describe, expect, it } from 'vitest';
import { createRouter, type EngineLike } from '../rpc/router.ts';
import { createIpcRequestHandler } from './ipc.ts';
import { APP_ORIGIN, type IpcSenderLike } from './policy.ts';

const reached: string[] = [];
// A tripwire, not a fake: these calls never get as far as the engine.
const engine: EngineLike = {
  call: (method) => {
    reached.push(method);
    return Promise.reject(new Error('the engine must not be reached'));
  },
};
const router = createRouter({
  engine,
  host: { 'host/info': () => ({ host: 'electron', platform: 'linux', canReveal: true, canSaveDialog: true }) },
});
const handle = createIpcRequestHandler(router, () => new Set([APP_ORIGIN]));
const frame = (url: string, top = true): IpcSenderLike => {
  const main = { url: top ? url : `${APP_ORIGIN}/index.html` };
  return { senderFrame: top ? main : { url }, sender: { mainFrame: main } };
};
const ours = frame(`${APP_ORIGIN}/index.html`);

describe('IPC request handler', () => {
  it('answers our top frame', async () => {
    expect(await handle(ours, 'host/info')).toMatchObject({ jsonrpc: '2.0', id: expect.any(Number), result: { host: 'electron' } });
    expect(await handle(ours, 'host/info', null)).toMatchObject({ result: { host: 'electron' } });
  });
  it('refuses a subframe, a foreign origin and a destroyed frame before the router sees them', async () => {
    for (const ev of [
      frame(`${APP_ORIGIN}/index.html`, false),
      frame('https://evil.example/'),
      frame('file:///etc/passwd'),
      { senderFrame: null, sender: { mainFrame: null } },
    ]) {
      expect(await handle(ev, 'thread/read', { threadId: '../../etc/passwd' })).toEqual({
        jsonrpc: '2.0',
        id: null,
        error: { code: -32600, message: 'untrusted sender' },
      });
    }
    expect(reached).toEqual([]);
  });
  it('refuses malformed arguments: none, too many, a method that is not a string', async () => {
    expect(await handle(ours)).toMatchObject({ id: null, error: { code: -32600 } });
    expect(await handle(ours, 'host/info', {}, 'extra')).toMatchObject({ id: null, error: { code: -32600 } });
    for (const m of [42, null, undefined, { method: 'host/info' }, ['host/info']])
      expect(await handle(ours, m), String(m)).toMatchObject({
        id: null,
        error: { code: -32600, message: 'Invalid request: method must be a string' },
      });
    expect(reached).toEqual([]);
  });
  it('gives each call its own id, so no answer is taken for a notification', async () => {
    const a = (await handle(ours, 'host/info')) as { id: number };
    const b = (await handle(ours, 'host/info')) as { id: number };
    expect(b.id).toBeGreaterThan(a.id);
  });
  it('validates params with the shared schemas (unknown methods, bad params) without reaching the engine', async () => {
    expect(await handle(ours, 'thread/bogus', {})).toMatchObject({ error: { code: -32601 } });
    expect(await handle(ours, 'thread/read', { threadId: 5 })).toMatchObject({ error: { code: -32600 } });
    expect(await handle(ours, 'host/saveFile', {})).toMatchObject({ error: { code: -32601 } });
    expect(reached).toEqual([]);
  });
});
