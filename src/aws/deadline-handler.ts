// Every request attempt gets a TOTAL deadline, from sending the request to the last byte of the
// answer. The SDK's own timeouts are idle timeouts (no byte for N ms; the request timeout even
// stops once the headers arrive), so a server or proxy trickling one byte a second holds a request,
// its check and the process for as long as it likes. The deadline aborts the attempt on the wire
// and destroys a body still streaming, with a TimeoutError the retry strategy treats like any
// other timeout.

import type { Readable } from 'node:stream';
import type { NodeHttpHandler } from '@smithy/node-http-handler';

/** Budget for the answer itself, plus time to send the request body at a slow but working link. */
export const DEFAULT_REQUEST_DEADLINE_MS = 30_000;
/** Bytes of request body per extra second of budget (a 5 MiB probe part gets 80 s more). */
const UPLOAD_BYTES_PER_SECOND = 64 * 1024;

type HandleOptions = { abortSignal?: unknown; requestTimeout?: number };
type HttpRequestLike = { headers?: Record<string, string | undefined>; body?: unknown };
type HttpResponseLike = { body?: unknown };

function requestBytes(request: HttpRequestLike): number {
  const length = Number(request.headers?.['content-length'] ?? request.headers?.['Content-Length']);
  if (Number.isFinite(length) && length > 0) return length;
  const body = request.body;
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof Uint8Array) return body.byteLength;
  return 0;
}

export function deadlineError(ms: number): Error {
  // name TimeoutError + code ETIMEDOUT: what the SDK's own request timeout throws, so errorCode(),
  // the explanations and the retry strategy treat both alike.
  return Object.assign(new Error(`the answer did not arrive in full within the request deadline of ${Math.round(ms / 1000)} s`), { name: 'TimeoutError', code: 'ETIMEDOUT' });
}

const isStream = (body: unknown): body is Readable =>
  typeof body === 'object' && body !== null && typeof (body as Readable).destroy === 'function' && typeof (body as Readable).once === 'function';

/** What the deadline wraps: the SDK's Node HTTP handler or one routing to several (src/aws/network.ts). */
export type InnerHttpHandler = Pick<NodeHttpHandler, 'handle' | 'updateHttpClientConfig' | 'httpHandlerConfigs' | 'destroy'>;

/** An SDK HTTP handler with a total deadline per attempt, around whichever handler sends the request. */
export class DeadlineHttpHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  private readonly inner: InnerHttpHandler;
  private readonly deadlineMs: number;

  constructor(inner: InnerHttpHandler, deadlineMs = DEFAULT_REQUEST_DEADLINE_MS) {
    this.inner = inner;
    this.deadlineMs = deadlineMs;
  }

  async handle(request: HttpRequestLike, options: HandleOptions = {}): Promise<{ response: HttpResponseLike }> {
    const budget = this.deadlineMs + Math.ceil(requestBytes(request) / UPLOAD_BYTES_PER_SECOND) * 1000;
    const expired = deadlineError(budget);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(expired), budget);
    // The deadline never keeps the process alive by itself.
    timer.unref();
    // The run's or a probe step's signal (always a native AbortSignal here).
    const outer = options.abortSignal instanceof AbortSignal ? options.abortSignal : undefined;
    const signal = outer ? AbortSignal.any([outer, deadline.signal]) : deadline.signal;
    let response: HttpResponseLike;
    try {
      ({ response } = await this.inner.handle(request as never, { ...options, abortSignal: signal } as never));
    } catch (e) {
      clearTimeout(timer);
      if (deadline.signal.aborted && !outer?.aborted) throw expired;
      throw e;
    }
    const body = response.body;
    if (!isStream(body) || body.readableEnded || body.destroyed) {
      clearTimeout(timer);
      return { response };
    }
    // The headers are in; the body may still trickle: the same deadline ends it.
    const onExpired = () => body.destroy(expired);
    deadline.signal.addEventListener('abort', onExpired, { once: true });
    body.once('close', () => {
      clearTimeout(timer);
      deadline.signal.removeEventListener('abort', onExpired);
    });
    return { response };
  }

  updateHttpClientConfig(key: never, value: never): void {
    this.inner.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs(): ReturnType<NodeHttpHandler['httpHandlerConfigs']> {
    return this.inner.httpHandlerConfigs();
  }

  destroy(): void {
    this.inner.destroy();
  }
}
