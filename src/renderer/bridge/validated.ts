// A typed SpoolBridge over a RawBridge: every notification is checked against the protocol's
// schemas, every answer's envelope too (the results in it are checked where they are made: at the
// router, against codex's schema, in development and tests); an error envelope becomes an RpcError
// with its code.
import { RpcError, ResponseEnvelope, ErrorCode } from '../../shared/jsonrpc.ts';
import { isNotificationName, notifications, type AnyNotification } from '../../shared/protocol/index.ts';
import type { EarlyAnswer, RawBridge, SpoolBridge } from '../../shared/bridge.ts';
import type { RawEarlyAnswer } from './prefetch.ts';

/** The raw line's prefetched answer to exactly this request, if there is one (see prefetch.ts). */
export type TakeRawEarly = (method: string, params: unknown) => RawEarlyAnswer | undefined;

function resultOf(envelope: unknown): unknown {
  const res = ResponseEnvelope.safeParse(envelope);
  if (!res.success) throw new RpcError(ErrorCode.Internal, 'malformed response from Spool');
  if ('error' in res.data) throw new RpcError(res.data.error.code, res.data.error.message, res.data.error.data);
  return res.data.result;
}

export function validatedBridge(raw: RawBridge, takeRawEarly: TakeRawEarly = () => undefined): SpoolBridge {
  return {
    async request(method, params) {
      return resultOf(await raw.request(method, params)) as never;
    },
    takePrefetched(method, params) {
      const early = takeRawEarly(method, params);
      if (!early) return undefined;
      let ready: unknown;
      try {
        ready = early.settled ? resultOf(early.settled.envelope) : undefined;
      } catch {
        // An error answer: the taker awaits `answer` and sees the error there.
      }
      return { ready, answer: early.answer.then(resultOf) } as EarlyAnswer<never>;
    },
    subscribe(listener) {
      return raw.subscribe((n) => {
        if (!isNotificationName(n.method)) return;
        const parsed = notifications[n.method].safeParse(n.params);
        if (parsed.success) listener({ method: n.method, params: parsed.data } as AnyNotification);
      });
    },
  };
}
