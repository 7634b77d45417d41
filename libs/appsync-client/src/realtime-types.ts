import type { AppSyncErrorEntry, AuthHeader, GraphQLRequest } from '@tickerflow/appsync-protocol';
import type { RetryPolicy } from '@tickerflow/core';

/** How the connection's auth header travels: `header`/`payload` query parameters (AWS docs) or an Amplify-style `header-…` subprotocol. */
export type AuthTransport = 'query' | 'subprotocol';

/**
 * Reconnects and restarts: `retries` failed attempts in a row before giving up (0: never retry),
 * 500 ms initial, doubling, capped at 15 s, full jitter.
 */
export const DEFAULT_RECONNECT: RetryPolicy = Object.freeze({ retries: 10, initialRetryTime: 500, multiplier: 2, maxRetryTime: 15_000, factor: 1 });

export interface RealtimeClientOptions {
  /** The GraphQL API URL; the realtime URL is derived from it unless `realtimeUrl` is given. */
  readonly url: string;
  /** The realtime WebSocket URL, when it is not the derived one. */
  readonly realtimeUrl?: string;
  /** API key; the auth header becomes `{host, 'x-api-key'}`. Give this or `authHeader`. */
  readonly apiKey?: string;
  /** A ready auth header (tokens, IAM-signed headers); overrides `apiKey`. */
  readonly authHeader?: AuthHeader;
  /** Default 'query'. */
  readonly authTransport?: AuthTransport;
  /** Bound on the WebSocket handshake plus `connection_ack`, in ms. Default 10000. */
  readonly ackTimeoutMs?: number;
  /** Bound on each `start_ack`, in ms. Default 10000. */
  readonly startAckTimeoutMs?: number;
  /** Bound on waiting for `complete` after `stop` when closing, in ms. Default 2000. */
  readonly stopTimeoutMs?: number;
  /** Backoff between connection attempts. Default {@link DEFAULT_RECONNECT}. */
  readonly reconnect?: Partial<RetryPolicy>;
  /** Randomness for the jitter (tests). Default Math.random. */
  readonly random?: () => number;
  /** Every frame in and out, secrets masked (for `--verbose`). Off by default: it costs a string per frame. */
  readonly onFrame?: (direction: 'in' | 'out', text: string) => void;
  /** Lifecycle notifications, for logs. */
  readonly onEvent?: (event: RealtimeClientEvent) => void;
}

export type RealtimeClientEvent =
  | { readonly type: 'connecting'; readonly attempt: number; readonly url: string }
  | { readonly type: 'connected'; readonly epoch: number; readonly connectionTimeoutMs: number }
  | { readonly type: 'disconnected'; readonly reason: string }
  | { readonly type: 'retrying'; readonly attempt: number; readonly delayMs: number; readonly error: Error }
  | { readonly type: 'keepalive-timeout'; readonly silentMs: number }
  /** A start timed out or was refused and is tried again after `delayMs` (attempt counts from 1). */
  | {
      readonly type: 'subscription-retrying';
      readonly id: string;
      readonly attempt: number;
      readonly delayMs: number;
      readonly errors: readonly AppSyncErrorEntry[];
    }
  | { readonly type: 'server-error'; readonly errors: readonly AppSyncErrorEntry[] }
  | { readonly type: 'protocol-error'; readonly error: Error };

export interface SubscriptionHandlers {
  /**
   * One `data` message: `payload.data` as parsed, and the connection epoch it came on
   * (0 on the first connection, +1 per reconnect: data with epoch > 0 follows a reconnect,
   * and whatever was published while disconnected is lost — AppSync does not replay).
   */
  onData(data: Readonly<Record<string, unknown>> | null, epoch: number, errors?: readonly AppSyncErrorEntry[]): void;
  /** `start_ack` arrived (again after each reconnect). */
  onStarted?(epoch: number): void;
  /**
   * The subscription is given up: the server refused a document it never accepted (a
   * non-transient `error`), or its start kept failing for `reconnect.retries` retries. Final.
   */
  onError?(errors: readonly AppSyncErrorEntry[]): void;
}

export type SubscriptionState = 'pending' | 'active' | 'failed' | 'stopping' | 'stopped';

export interface Subscription {
  readonly id: string;
  readonly state: SubscriptionState;
  /** Sends `stop` and waits (bounded by `stopTimeoutMs`) for `complete`. */
  stop(): Promise<void>;
}

export interface RealtimeClient {
  /** Starts connecting (with retries); resolves on the first `connection_ack`. Rejects like `done`. */
  connect(): Promise<void>;
  /** Registers a subscription; it is started now if connected, on connect otherwise, and again after every reconnect. */
  subscribe(request: GraphQLRequest, handlers: SubscriptionHandlers, id?: string): Subscription;
  /** Stops every subscription (bounded wait for `complete`), then closes the socket. */
  close(): Promise<void>;
  /**
   * Stops reading the socket (backpressure: the consumer cannot keep up, e.g. stdout is full).
   * Frames wait in the kernel and then on the server, which may drop a slow subscriber. The
   * keep-alive watchdog and the start_ack deadlines stop counting while paused (keep-alives
   * are queued unread, not missing) and start a fresh window on resume, so a long pause is
   * not taken for a dead server.
   */
  pause(): void;
  /** Resumes reading after {@link RealtimeClient.pause}; new connections start resumed. */
  resume(): void;
  /**
   * Settles when the client ends: resolves after `close()`, rejects with AuthError when the
   * credentials are refused, TransportError (code CONNECT_FAILED) when retries are exhausted.
   */
  readonly done: Promise<void>;
  /** Successful connections so far minus one (-1 before the first). */
  readonly epoch: number;
  /** Reconnects so far (successful connections after the first). */
  readonly reconnects: number;
  /** The realtime URL dialled (without the auth query parameters). */
  readonly realtimeUrl: string;
}
