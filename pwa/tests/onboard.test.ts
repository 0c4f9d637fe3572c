import { afterEach, describe, expect, it, vi } from 'vitest'
import { getSession } from '../src/api'
import { activate, codeDigits, importUsers } from '../src/onboard-api'
import { kvSet } from '../src/db'

const user = { username: 'th23350-01', role: 'village_head', unit: '23350-01', unit_name: 'Thôn 1', unit_level: 'village' }
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

afterEach(() => vi.unstubAllGlobals())

describe('onboarding calls', () => {
  it('reads a code typed with spaces or dashes as its digits', () => {
    expect(codeDigits('380 445-5007')).toBe('3804455007')
  })

  it('activates with the code and keeps the session like a login', async () => {
    const sent: unknown[] = []
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      sent.push(JSON.parse(init.body as string))
      return json(200, { access_token: 'a', refresh_token: 'r', token_type: 'Bearer', expires_in: 900, refresh_expires_in: 1, user })
    })
    await activate('3804455007', 'Lúa-chiêm-xanh')
    expect(sent[0]).toMatchObject({ code: '3804455007', password: 'Lúa-chiêm-xanh' })
    expect((await getSession())?.user.username).toBe('th23350-01')
  })

  it('sends the CSV as text/csv with the token, preview first', async () => {
    await kvSet('session', { access_token: 'a1', refresh_token: 'r1', user })
    const seen: { url: string; type: string; auth: string; body: string }[] = []
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      const h = init.headers as Record<string, string>
      seen.push({ url, type: h['Content-Type'], auth: h.Authorization, body: init.body as string })
      return json(200, { rows: [], valid: 0, invalid: 0, created: 0, committed: false })
    })
    await importUsers('village\n23350-01\n', 'preview')
    expect(seen[0]).toEqual({ url: '/api/users/import?dry_run=true', type: 'text/csv; charset=utf-8', auth: 'Bearer a1', body: 'village\n23350-01\n' })
  })
})
