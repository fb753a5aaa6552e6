// Huge strings: a turn with a multi-megabyte output or message is served with the string cut
// (head, a marker, tail; `item.spool.truncated` says where), and spool/item/text returns the whole
// string, page by page, byte-exact — for legacy events and paginated items alike.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import type { ItemTextResult, ItemTruncation, ThreadTurnsListResult } from '../../../shared/protocol/index.ts';
import { writeHandRollouts } from '../../../../test/support/codex-reference.ts';
import { schemaErrors } from '../../../../test/support/codex-schema.ts';
import { buildStub, buildStubFromFile, CUT_BYTES } from '../rollout/history/stub.ts';

/** A string that exercises every escape: quotes, backslashes, control characters, BMP and astral characters. */
function hugeText(bytes: number, seed: string): string {
  const unit = `${seed} "quoted" back\\slash tab\there\nnew line é 日本語 🚀 \u0001 end. `;
  return unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit)));
}

const tmp = (p: string): string => fs.mkdtempSync(path.join(os.tmpdir(), p));

describe('huge strings', () => {
  let engine: Engine;
  let legacyId: string;
  let paginatedId: string;
  const message = hugeText(3_000_000, 'message');
  const output = hugeText(5_000_000, 'output');

  beforeAll(async () => {
    const home = tmp('spool-huge-home-');
    [legacyId, paginatedId] = writeHandRollouts(
      home,
      [
        {
          lines: [
            { type: 'event_msg', payload: { type: 'user_message', message: 'show me' } },
            { type: 'event_msg', payload: { type: 'agent_message', message } },
          ],
        },
        {
          paginated: true,
          lines: [
            { type: 'event_msg', payload: { type: 'task_started', turn_id: 't1' } },
            {
              type: 'event_msg',
              payload: {
                type: 'item_completed',
                thread_id: '$THREAD',
                turn_id: 't1',
                item: {
                  type: 'CommandExecution',
                  id: 'c1',
                  command: ['cat', 'big.log'],
                  cwd: 'file:///tmp',
                  parsed_cmd: [],
                  source: 'agent',
                  status: 'completed',
                  aggregated_output: output,
                  exit_code: 0,
                  duration: { secs: 2, nanos: 0 },
                },
              },
            },
            { type: 'event_msg', payload: { type: 'task_complete', turn_id: 't1' } },
          ],
        },
      ],
      'model_provider = "mock"\n',
    ) as [string, string];
    engine = Engine.open({ home, dataDir: tmp('spool-huge-data-'), parseWorkers: 0 });
    await engine.sync();
  });
  afterAll(() => engine.close());

  async function readAll(threadId: string, handle: string, limit: number): Promise<string> {
    let text = '';
    let offset: number | null = 0;
    let pages = 0;
    while (offset !== null) {
      const page = (await engine.call('spool/item/text', { threadId, handle, offset, limit })) as ItemTextResult;
      expect(page.offset).toBe(offset);
      text += page.text;
      offset = page.nextOffset;
      pages++;
    }
    expect(pages).toBeGreaterThan(1);
    return text;
  }

  it('serves a legacy agent message cut, and its whole text on demand', async () => {
    const r = (await engine.call('thread/turns/list', { threadId: legacyId, itemsView: 'full' })) as ThreadTurnsListResult;
    expect(schemaErrors('response', 'thread/turns/list', r)).toEqual([]);
    expect(JSON.stringify(r).length).toBeLessThan(64 * 1024);
    const item = r.data[0]!.items[1]!;
    const text = item['text'] as string;
    expect(text.startsWith(message.slice(0, 1000))).toBe(true);
    expect(text.endsWith(message.slice(-500))).toBe(true);
    expect(text).toContain('Spool loads long output on demand');
    const truncated = (item['spool'] as { truncated: ItemTruncation[] }).truncated;
    expect(truncated).toHaveLength(1);
    expect(truncated[0]!.path).toBe('/text');
    expect(await readAll(legacyId, truncated[0]!.handle, 256 * 1024)).toBe(message);
  });

  it('serves a paginated command output cut, in turns and in items/list, and its whole text on demand', async () => {
    const turns = (await engine.call('thread/turns/list', { threadId: paginatedId, itemsView: 'full' })) as ThreadTurnsListResult;
    const cmd = turns.data[0]!.items[0]!;
    expect(cmd).toMatchObject({ type: 'commandExecution', command: 'cat big.log', exitCode: 0, durationMs: 2000 });
    const truncated = (cmd['spool'] as { truncated: ItemTruncation[] }).truncated;
    expect(truncated.map((t) => t.path)).toEqual(['/aggregatedOutput']);
    expect(truncated[0]!.totalBytes).toBeGreaterThan(5_000_000);
    const items = (await engine.call('thread/items/list', { threadId: paginatedId })) as { data: { item: Record<string, unknown> }[] };
    expect(schemaErrors('response', 'thread/items/list', items)).toEqual([]);
    expect((items.data[0]!.item['spool'] as { truncated: ItemTruncation[] }).truncated[0]!.handle).toBe(truncated[0]!.handle);
    // Odd page sizes land inside escapes and multi-byte characters; pages still join exactly.
    expect(await readAll(paginatedId, truncated[0]!.handle, 100_003)).toBe(output);
  });

  it('rejects handles it does not know', async () => {
    await expect(engine.call('spool/item/text', { threadId: paginatedId, handle: 'nope' })).rejects.toMatchObject({
      code: -32600,
      message: 'invalid handle: nope',
    });
    await expect(engine.call('spool/item/text', { threadId: paginatedId, handle: `${paginatedId}:1:0` })).rejects.toMatchObject({
      code: -32600,
    });
  });

  it('cuts long strings only, keeps the line valid JSON, and reads lines too long to hold from the file', () => {
    const line = JSON.stringify({ a: 'short', b: output.slice(0, CUT_BYTES * 2), c: ['x', output.slice(0, 100)] });
    const buf = Buffer.from(`junk${line}`);
    const stub = buildStub(buf, 4, buf.length, 1000)!;
    const parsed = JSON.parse(stub.text) as { a: string; b: string; c: string[] };
    expect(parsed.a).toBe('short');
    expect(parsed.c[1]).toBe(output.slice(0, 100));
    expect(parsed.b.length).toBeLessThan(20_000);
    expect(stub.cuts).toHaveLength(1);
    expect(stub.cuts[0]!.start).toBe(1000 + line.indexOf('"b":"') + 5);
    const file = path.join(tmp('spool-stub-'), 'line');
    fs.writeFileSync(file, buf);
    const fd = fs.openSync(file, 'r');
    try {
      expect(buildStubFromFile(fd, 4, buf.length - 4)).toEqual({
        text: stub.text,
        cuts: [{ start: 4 + line.indexOf('"b":"') + 5, length: stub.cuts[0]!.length }],
      });
    } finally {
      fs.closeSync(fd);
    }
    expect(buildStub(Buffer.from(JSON.stringify({ a: 'x'.repeat(100) })), 0, 110, 0)).toBeNull();
  });
});
