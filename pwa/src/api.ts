// HTTP to the node's /api: bearer token, one refresh on 401, problem+json errors, offline cache.
import { getCached, kvGet, kvSet, putCached } from './db'
import type { Problem, Session, TokenPair } from './types'

/** The network could not be reached (offline, DNS, connection dropped mid-response). */
export class NetworkError extends Error {}

/** The server answered with an error status; problem is its RFC 9457 body when it sent one. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
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

async function rawFetch(path: string, init: RequestInit): Promise<RawResponse> {
  let res: Response
  let text: string
  try {
    res = await fetch(path, init)
    text = await res.text()
  } catch (e) {
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
  return { status: res.status, body, etag: res.headers.get('etag') }
}

function jsonInit(method: string, body?: unknown, token?: string, extra?: HeadersInit): RequestInit {
  const headers: Record<string, string> = { Accept: 'application/json', ...(extra as Record<string, string>) }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (token) headers.Authorization = `Bearer ${token}`
  return { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }
}

let refreshing: Promise<Session> | null = null

/** Exchange the refresh token once, even when several requests see a 401 together. */
export function refreshSession(): Promise<Session> {
  refreshing ??= (async () => {
    const session = await getSession()
    if (!session) throw new SessionExpired('not logged in')
    const body = { refresh_token: session.refresh_token, device_id: await deviceId() }
    const res = await rawFetch('/api/auth/refresh', jsonInit('POST', body))
    if (res.status === 401 || res.status === 403) throw new SessionExpired('refresh refused')
    if (res.status !== 200) throw new HttpError(res.status, asProblem(res.body))
    const pair = res.body as TokenPair
    const next: Session = { access_token: pair.access_token, refresh_token: pair.refresh_token, user: pair.user ?? session.user }
    await kvSet(SESSION, next)
    return next
  })().finally(() => {
    refreshing = null
  })
  return refreshing
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
  const fresh = await refreshSession()
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
  if (res.status !== 200) throw new HttpError(res.status, asProblem(res.body))
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
