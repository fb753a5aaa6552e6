// The engine a host is currently talking to. A host can switch homes (e.g. to the demo home)
// without its clients re-subscribing: listeners stay attached to the session, not to one engine.
import fs from 'node:fs';
import path from 'node:path';
import type { AnyNotification, EngineMethodName, ParamsOf, ResultOf } from '../../shared/protocol/index.ts';
import type { EngineLike, JsonText } from '../rpc/router.ts';
import { generateDemoHome } from '../engine/demo/generate.ts';
import { EngineClient } from './engine-client.ts';
import type { EngineWorkerData } from './engine-protocol.ts';

export class EngineSession implements EngineLike {
  private client: EngineClient;
  private readonly listeners = new Set<(n: AnyNotification) => void>();
  private detach: () => void;
  private readonly workerUrl: URL | string | undefined;
  data: EngineWorkerData;

  private constructor(client: EngineClient, data: EngineWorkerData, workerUrl: URL | string | undefined) {
    this.client = client;
    this.data = data;
    this.workerUrl = workerUrl;
    this.detach = this.attach(client);
  }

  static async start(data: EngineWorkerData, workerUrl?: URL | string): Promise<EngineSession> {
    return new EngineSession(await EngineClient.start(data, workerUrl), data, workerUrl);
  }

  get startupMessages(): string[] {
    return this.client.startupMessages;
  }

  private attach(c: EngineClient): () => void {
    return c.onNotification((n) => {
      for (const l of this.listeners) l(n);
    });
  }

  call<M extends EngineMethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    return this.client.call(method, params);
  }

  callJson(method: EngineMethodName, params: unknown): Promise<JsonText> {
    return this.client.callJson(method, params);
  }

  onNotification(listener: (n: AnyNotification) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async switchTo(data: EngineWorkerData): Promise<void> {
    const next = await EngineClient.start(data, this.workerUrl);
    const prev = this.client;
    this.detach();
    this.client = next;
    this.data = data;
    this.detach = this.attach(next);
    await prev.close();
    for (const l of this.listeners) l({ method: 'spool/index/changed', params: { threadIds: [], removedIds: [], reason: 'rebuild' } });
  }

  /** Writes (once) a demo home under `baseDir` and switches to it, with its own index. */
  async openDemoHome(baseDir: string): Promise<{ home: string }> {
    const home = path.join(baseDir, 'demo-home');
    if (!fs.existsSync(path.join(home, 'sessions'))) generateDemoHome({ home, threads: 300, seed: 7 });
    await this.switchTo({ ...this.data, home, dataDir: path.join(baseDir, 'demo-index') });
    return { home };
  }

  close(): Promise<void> {
    this.detach();
    return this.client.close();
  }
}
