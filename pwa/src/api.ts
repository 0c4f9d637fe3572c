// HTTP to the node's /api: bearer token, one refresh on 401 (one at a time across tabs and the
// service worker), a timeout on every request, problem+json errors, offline cache.
import { getCached, kvGet, kvSet, putCached } from './db'
import type { Problem, Session, TokenPair } from './types'

/** The network could not be reached (offline, DNS, connection dropped mid-response). */
export class NetworkError extends Error {}

/** The server did not answer within the request timeout (a stalled connection). */
export class RequestTimeout extends NetworkError {}

/** How long any request may take before it is abandoned (a stalled 2G link must not hold locks). */
export const REQUEST_TIMEOUT_MS = 20_000
/** Fired on the page (or worker) when the refresh token is refused: the user must log in again. */
export const SESSION_EXPIRED_EVENT = 'xhht-session-expired'
const REFRESH_LOCK = 'xhht-refresh'

/** The server answered with an error status; problem is its RFC 9457 body when it sent one. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
    /** Seconds the server asked us to wait (Retry-After), when it said. */
    readonly retryAfter: number | null = null,
  ) {
    super(problem?.message_en || problem?.title || `HTTP ${status}`)
  }
}

/** The refresh token was refused: the user must log in again (local data is kept). */
export class SessionExpired extends Error {}

export interface RawResponse {
  status: number
  body: unknown
  etag: string | null
  /** Retry-After in seconds (429/503), when the server sent one. */
  retryAfter?: number | null
}

const SESSION = 'session'

export async function getSession(): Promise<Session | undefined> {
  return kvGet<Session>(SESSION)
}

/** A stable id for this browser, made once and kept; the node binds refresh tokens to it. */
export async function deviceId(): Promise<string> {
  let id = await kvGet<string>('device_id')
  if (!id) {
    id = crypto.randomUUID()
    await kvSet('device_id', id)
  }
  return id
}

async function rawFetch(path: string, init: RequestInit, timeoutMs = REQUEST_TIMEOUT_MS): Promise<RawResponse> {
  let res: Response
  let text: string
  try {
    res = await fetch(path, { ...init, signal: AbortSignal.timeout(timeoutMs) })
    text = await res.text()
  } catch (e) {
    const name = (e as Error)?.name
    if (name === 'TimeoutError' || name === 'AbortError') throw new RequestTimeout(`${path}: no answer within ${timeoutMs / 1000} s`)
    throw new NetworkError(String(e))
  }
  let body: unknown = null
  if (text) {
    try {
      body = JSON.parse(text)
    } catch {
      body = text
    }
  }
  return { status: res.status, body, etag: res.headers.get('etag'), retryAfter: retryAfterSeconds(res.headers.get('retry-after')) }
}

/** Retry-After as seconds: a number of seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | null {
  if (!header) return null
  const text = header.trim()
  if (/^\d+$/.test(text)) return Number(text)
  const at = Date.parse(text)
  return Number.isNaN(at) ? null : Math.max(0, Math.round((at - now) / 1000))
}

function jsonInit(method: string, body?: unknown, token?: string, extra?: HeadersInit): RequestInit {
  const headers: Record<string, string> = { Accept: 'application/json', ...(extra as Record<string, string>) }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (token) headers.Authorization = `Bearer ${token}`
  return { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }
}

let refreshing: Promise<Session> | null = null

/** Run `work` holding the origin-wide refresh lock (tabs and the service worker), or directly without Web Locks. */
function withRefreshLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined
  return locks ? (locks.request(REFRESH_LOCK, work) as Promise<T>) : work()
}

/**
 * Exchange the refresh token once, even when several requests, tabs or the service worker see a 401
 * together: whoever takes the lock second finds a session newer than the one refused and uses it.
 */
export function refreshSession(refused?: string): Promise<Session> {
  refreshing ??= withRefreshLock(async () => {
    const session = await getSession()
    if (!session) throw new SessionExpired('not logged in')
    if (refused !== undefined && session.access_token !== refused) return session
    const body = { refresh_token: session.refresh_token, device_id: await deviceId() }
    const res = await rawFetch('/api/auth/refresh', jsonInit('POST', body))
    if (res.status === 401 || res.status === 403) {
      announceExpired()
      throw new SessionExpired('refresh refused')
    }
    if (res.status !== 200) throw new HttpError(res.status, asProblem(res.body))
    const pair = res.body as TokenPair
    const next: Session = { access_token: pair.access_token, refresh_token: pair.refresh_token, user: pair.user ?? session.user }
    await kvSet(SESSION, next)
    return next
  }).finally(() => {
    refreshing = null
  })
  return refreshing
}

function announceExpired(): void {
  if (typeof dispatchEvent === 'function') dispatchEvent(new Event(SESSION_EXPIRED_EVENT))
}

/** A `retry_after` member some problems carry (seconds), for when a proxy dropped the header. */
function problemRetryAfter(body: unknown): number | null {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>).retry_after : null
  return typeof value === 'number' && value >= 0 ? value : null
}

function asProblem(body: unknown): Problem | null {
  return body && typeof body === 'object' && 'status' in body ? (body as Problem) : null
}

/** An authorised request; on 401 the tokens are refreshed once and the request repeated. */
export async function authed(method: string, path: string, body?: unknown, headers?: HeadersInit): Promise<RawResponse> {
  const session = await getSession()
  if (!session) throw new SessionExpired('not logged in')
  const res = await rawFetch(path, jsonInit(method, body, session.access_token, headers))
  if (res.status !== 401) return res
  const fresh = await refreshSession(session.access_token)
  return rawFetch(path, jsonInit(method, body, fresh.access_token, headers))
}

/** GET that must succeed; errors become HttpError. */
export async function getJSON<T>(path: string): Promise<T> {
  const res = await authed('GET', path)
  if (res.status !== 200) throw new HttpError(res.status, asProblem(res.body))
  return res.body as T
}

export interface Fetched<T> {
  data: T
  /** True when the network failed and the last copy kept on this device is shown. */
  stale: boolean
  at: number
}

/** GET with an offline fallback: fresh copies are kept in IndexedDB, old ones used when offline. */
export async function getCachedJSON<T>(path: string): Promise<Fetched<T>> {
  try {
    const data = await getJSON<T>(path)
    await putCached(path, data)
    return { data, stale: false, at: Date.now() }
  } catch (e) {
    const kept = await getCached<T>(path)
    if (e instanceof NetworkError && kept) return { data: kept.data, stale: true, at: kept.at }
    throw e
  }
}

export async function postJSON<T>(path: string, body: unknown): Promise<T> {
  const res = await authed('POST', path, body)
  if (res.status < 200 || res.status > 299) throw new HttpError(res.status, asProblem(res.body))
  return res.body as T
}

export async function putJSON<T>(path: string, body: unknown): Promise<T> {
  const res = await authed('PUT', path, body)
  if (res.status < 200 || res.status > 299) throw new HttpError(res.status, asProblem(res.body))
  return res.body as T
}

/** Log in with a password; the session is kept in IndexedDB until logout. */
export async function login(username: string, password: string): Promise<Session> {
  const body = { username, password, device_id: await deviceId() }
  const res = await rawFetch('/api/auth/login', jsonInit('POST', body))
  if (res.status !== 200) throw new HttpError(res.status, asProblem(res.body), res.retryAfter ?? problemRetryAfter(res.body))
  const pair = res.body as TokenPair
  const session: Session = { access_token: pair.access_token, refresh_token: pair.refresh_token, user: pair.user }
  await kvSet(SESSION, session)
  return session
}

/** Tell the node to revoke this device's refresh token; offline logout still clears locally. */
export async function revokeRemote(): Promise<void> {
  const session = await getSession()
  if (!session) return
  const body = { refresh_token: session.refresh_token, device_id: await deviceId() }
  try {
    await rawFetch('/api/auth/logout', jsonInit('POST', body, session.access_token))
  } catch {
    // Offline: the token simply expires on the server.
  }
}

export { rawFetch, jsonInit, asProblem }
