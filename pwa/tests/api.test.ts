import { afterEach, describe, expect, it, vi } from 'vitest'
import { authed, deviceId, getSession, login, NetworkError, SessionExpired } from '../src/api'
import { clearUserData, kvGet } from '../src/db'

const user = { username: 'thon', role: 'village_head', unit: 'V1', unit_name: 'Thôn Nà Mạ', unit_level: 'village' }
const pair = (n: number) => ({ access_token: `a${n}`, refresh_token: `r${n}`, token_type: 'Bearer', expires_in: 900, refresh_expires_in: 1e6, user })
const json = (status: number, body: unknown) => new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>
function serve(handler: Handler) {
  const calls: { url: string; body: unknown; auth: string | undefined }[] = []
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    const headers = init.headers as Record<string, string>
    calls.push({ url, body: init.body ? JSON.parse(init.body as string) : null, auth: headers.Authorization })
    return handler(url, init)
  })
  return calls
}

afterEach(() => vi.unstubAllGlobals())

describe('session', () => {
  it('logs in with a device id made once and keeps the tokens in IndexedDB', async () => {
    const calls = serve(() => json(200, pair(1)))
    await login('thon', 'pw')
    const id = await deviceId()
    expect(calls[0].body).toEqual({ username: 'thon', password: 'pw', device_id: id })
    expect((await getSession())?.refresh_token).toBe('r1')
    await clearUserData('thon', 'V1') // logout keeps the device id, drops the session
    expect(await getSession()).toBeUndefined()
    expect(await kvGet('device_id')).toBe(id)
  })

  it('refreshes once on 401 (even for parallel requests) and repeats the request', async () => {
    serve(() => json(200, pair(1)))
    await login('thon', 'pw')
    const calls = serve((url, init) => {
      const auth = (init.headers as Record<string, string>).Authorization
      if (url === '/api/auth/refresh') return json(200, pair(2))
      return auth === 'Bearer a2' ? json(200, { ok: true }) : json(401, { status: 401, code: 'token_expired' })
    })
    const [a, b] = await Promise.all([authed('GET', '/api/x'), authed('GET', '/api/y')])
    expect([a.status, b.status]).toEqual([200, 200])
    expect(calls.filter((c) => c.url === '/api/auth/refresh')).toHaveLength(1)
    expect(calls.find((c) => c.url === '/api/auth/refresh')?.body).toMatchObject({ refresh_token: 'r1' })
    expect((await getSession())?.refresh_token).toBe('r2')
  })

  it('keeps the session when offline; a refused refresh asks for a new login', async () => {
    serve(() => json(200, pair(1)))
    await login('thon', 'pw')
    serve(() => {
      throw new TypeError('Failed to fetch')
    })
    await expect(authed('GET', '/api/x')).rejects.toBeInstanceOf(NetworkError)
    expect(await getSession()).toBeDefined()
    serve((url) => (url === '/api/auth/refresh' ? json(401, { status: 401, code: 'refresh_invalid' }) : json(401, {})))
    await expect(authed('GET', '/api/x')).rejects.toBeInstanceOf(SessionExpired)
    expect(await getSession()).toBeDefined() // local data stays until the user logs in again or out
  })
})
