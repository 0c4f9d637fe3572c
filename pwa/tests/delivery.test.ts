import { afterEach, describe, expect, it, vi } from 'vitest'
import { clearUserData, getDraft, kvSet, saveDraft } from '../src/db'
import { authed, RequestTimeout, refreshSession, retryAfterSeconds, type RawResponse } from '../src/api'
import { flushOutbox, listOutbox, othersPending, submitDraft } from '../src/outbox'
import { canonicalJson, contentHash, receiptFault } from '../src/receipts'
import type { TallySubmission } from '../src/types'

// uv run python -c "from backend.services.tallies import content_hash; print(content_hash('V1', 2025, {'b': 2, 'a': 1}))"
const NODE_HASH = 'e0251c9183953e5971996899f4b678fe595490bb8e8e80fcde8ac4b5e75c7a48'
const VALUES = { households_total: 120, families_registered: 100, scholarship_fund_vnd: 52_000_000 }
const reply = (status: number, body: unknown = {}): RawResponse => ({ status, body, etag: null })
const receipt = (sub: TallySubmission, extra: Record<string, unknown> = {}) => ({ id: 1, client_uuid: sub.client_uuid, village: sub.village, year: sub.year, revision: 1, status: 'submitted', received_at: '2025-12-01T00:00:00Z', flags: [], ...extra })
const user = (username: string, unit: string) => ({ username, role: 'village_head', unit, unit_name: unit, unit_level: 'village' })

async function logIn(username: string, unit = 'V1') {
  await kvSet('session', { access_token: `a-${username}`, refresh_token: `r-${username}`, user: user(username, unit) })
}

afterEach(() => vi.unstubAllGlobals())

describe('receipts', () => {
  it('hashes the canonical JSON the node hashes (sorted keys, no spaces)', async () => {
    expect(canonicalJson({ year: 2025, village: 'V1', values: { b: 2, a: 1 } })).toBe('{"values":{"a":1,"b":2},"village":"V1","year":2025}')
    // The node's content_hash for this tally (backend/services/tallies.py: msgspec, order="sorted").
    expect(await contentHash({ village: 'V1', year: 2025, values: { b: 2, a: 1 } })).toBe(NODE_HASH)
  })

  it.each([
    ['a captive portal page', '<html>Đăng nhập Wi-Fi</html>', 'not_a_receipt'],
    ['an empty JSON object', {}, 'not_a_receipt'],
    ['another item\'s receipt', 'other', 'other_item'],
    ['a receipt for other figures', 'hash', 'other_content'],
  ])('refuses %s', async (_, body, fault) => {
    const sub = { client_uuid: crypto.randomUUID(), village: 'V1', year: 2025, values: VALUES }
    const answer = body === 'other' ? receipt({ ...sub, client_uuid: crypto.randomUUID() }) : body === 'hash' ? receipt(sub, { content_hash: 'f'.repeat(64) }) : body
    expect(await receiptFault(answer, sub)).toBe(fault)
  })

  it('accepts the receipt for the item, with or without a matching hash', async () => {
    const sub = { client_uuid: crypto.randomUUID(), village: 'V1', year: 2025, values: VALUES }
    expect(await receiptFault(receipt(sub), sub)).toBeNull()
    expect(await receiptFault(receipt(sub, { content_hash: await contentHash(sub) }), sub)).toBeNull()
  })
})

describe('delivery', () => {
  it('keeps an item queued with the reason when a 200 is not a receipt', async () => {
    await submitDraft('V1', 2025, VALUES, '2026.1')
    const result = await flushOutbox({ send: async () => reply(200, '<html>portal</html>') })
    expect(result).toMatchObject({ sent: 0, stopped: 'offline' })
    const [item] = await listOutbox()
    expect(item).toMatchObject({ state: 'pending', attempts: 1, last_error: 'not_a_receipt' })
    expect(item.next_try_at).toBeGreaterThan(Date.now())
  })

  it('marks an item sent only on its own receipt with the matching hash', async () => {
    await submitDraft('V1', 2025, VALUES, '2026.1')
    const result = await flushOutbox({ send: async (s) => reply(201, receipt(s, { content_hash: await contentHash(s) })) })
    expect(result.sent).toBe(1)
    expect((await listOutbox())[0].state).toBe('sent')
  })

  it('backs off after a timed-out send and lets the next flush run', async () => {
    await submitDraft('V1', 2025, VALUES, '2026.1')
    const stalled = await flushOutbox({ send: async () => { throw new RequestTimeout('no answer') } })
    expect(stalled).toMatchObject({ stopped: 'offline', pending: 1 })
    expect((await listOutbox())[0]).toMatchObject({ state: 'pending', last_error: 'timeout' })
    const later = await flushOutbox({ send: async (s) => reply(201, receipt(s)), force: true })
    expect(later).toMatchObject({ sent: 1 })
    expect(later.busy).toBeUndefined()
  })

  it('gives every request a timeout signal', async () => {
    await logIn('thon')
    let signal: AbortSignal | undefined
    vi.stubGlobal('fetch', async (_: string, init: RequestInit) => {
      signal = init.signal ?? undefined
      return new Response('{}', { status: 200 })
    })
    await authed('GET', '/api/x')
    expect(signal).toBeInstanceOf(AbortSignal)
  })

  it('turns an aborted (timed-out) fetch into RequestTimeout', async () => {
    await logIn('thon')
    vi.stubGlobal('fetch', async () => { throw new DOMException('timed out', 'TimeoutError') })
    await expect(authed('GET', '/api/x')).rejects.toBeInstanceOf(RequestTimeout)
  })
})

describe('shared phone: outboxes per user', () => {
  it('sends only the logged-in user\'s items and counts the others', async () => {
    await logIn('a', 'VA')
    await submitDraft('VA', 2025, VALUES, '2026.1')
    await logIn('b', 'VB')
    await submitDraft('VB', 2025, VALUES, '2026.1')
    const sent: string[] = []
    await flushOutbox({ send: async (s) => { sent.push(s.village); return reply(201, receipt(s)) } })
    expect(sent).toEqual(['VB'])
    expect(await othersPending('b')).toEqual({ a: 1 })
    expect((await listOutbox('b')).map((i) => i.village)).toEqual(['VB'])

    await logIn('a', 'VA')
    await flushOutbox({ send: async (s) => { sent.push(s.village); return reply(201, receipt(s)) } })
    expect(sent).toEqual(['VB', 'VA'])
    expect(await othersPending('a')).toEqual({})
  })

  it('logging out removes only that user\'s items and drafts', async () => {
    await logIn('a', 'VA')
    await submitDraft('VA', 2025, VALUES, '2026.1')
    await saveDraft('VA', 2024, { households_total: '1' })
    await logIn('b', 'VB')
    await submitDraft('VB', 2025, VALUES, '2026.1')
    await saveDraft('VB', 2024, { households_total: '2' })
    await clearUserData('b', 'VB')
    expect((await listOutbox()).map((i) => i.owner)).toEqual(['a'])
    expect(await getDraft('VA', 2024)).toBeDefined()
    expect(await getDraft('VB', 2024)).toBeUndefined()
  })
})

describe('refresh', () => {
  it('uses a session another context already refreshed instead of spending the token again', async () => {
    await logIn('thon')
    await kvSet('session', { access_token: 'newer', refresh_token: 'r2', user: user('thon', 'V1') })
    const calls: string[] = []
    vi.stubGlobal('fetch', async (url: string) => { calls.push(url); return new Response('{}', { status: 500 }) })
    const session = await refreshSession('a-thon')
    expect(session.access_token).toBe('newer')
    expect(calls).toEqual([])
  })

  it('reads Retry-After as seconds or as a date', () => {
    expect(retryAfterSeconds('900')).toBe(900)
    expect(retryAfterSeconds('Wed, 01 Jan 2025 00:15:00 GMT', Date.parse('2025-01-01T00:00:00Z'))).toBe(900)
    expect(retryAfterSeconds(null)).toBeNull()
    expect(retryAfterSeconds('soon')).toBeNull()
  })
})
