import { describe, expect, it } from 'vitest'
import { db, getDraft, saveDraft } from '../src/db'
import { NetworkError, type RawResponse } from '../src/api'
import { flushOutbox, listOutbox, reopenRejected, submitDraft, type Sender } from '../src/outbox'
import type { TallySubmission } from '../src/types'

const VALUES = { households_total: 120, families_registered: 100, families_recognized: 90 }
const reply = (status: number, body: unknown = {}): RawResponse => ({ status, body, etag: null })
const receipt = (sub: TallySubmission, extra: Record<string, unknown> = {}) => ({ id: 1, client_uuid: sub.client_uuid, village: sub.village, year: sub.year, revision: 1, status: 'submitted', received_at: '2025-12-01T00:00:00Z', flags: [], ...extra })

async function queued() {
  await saveDraft('V1', 2025, { households_total: '120' })
  return submitDraft('V1', 2025, VALUES, '2026.1')
}

describe('submit', () => {
  it('moves the draft into the outbox with a new client_uuid', async () => {
    const item = await queued()
    expect(item.client_uuid).toMatch(/^[0-9a-f-]{36}$/)
    expect(await getDraft('V1', 2025)).toBeUndefined()
    const items = await listOutbox()
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({ state: 'pending', village: 'V1', year: 2025, values: VALUES })
  })

  it('keeps the draft when the outbox write fails (one transaction)', async () => {
    const first = await queued()
    await saveDraft('V1', 2025, { households_total: '7' })
    const original = crypto.randomUUID
    crypto.randomUUID = () => first.client_uuid as ReturnType<typeof crypto.randomUUID> // duplicate key
    try {
      await expect(submitDraft('V1', 2025, { households_total: 7 }, '2026.1')).rejects.toBeTruthy()
    } finally {
      crypto.randomUUID = original
    }
    expect((await getDraft('V1', 2025))?.values).toEqual({ households_total: '7' })
    expect(await listOutbox()).toHaveLength(1)
  })
})

describe('flush', () => {
  it.each([201, 200])('marks an item sent on %i and keeps the receipt', async (status) => {
    const item = await queued()
    const result = await flushOutbox({ send: async (s) => reply(status, receipt(s)) })
    expect(result).toMatchObject({ sent: 1, pending: 0 })
    const [stored] = await listOutbox()
    expect(stored.state).toBe('sent')
    expect(stored.receipt?.client_uuid).toBe(item.client_uuid)
  })

  it.each([
    [409, 'tally_uuid_conflict'],
    [422, 'tally_invalid'],
    [403, 'forbidden'],
  ])('marks an item rejected on %i with the server reason', async (status, code) => {
    await queued()
    const problem = { type: 'about:blank', title: 't', status, code, message_vi: 'Lý do', message_en: 'Reason', errors: [{ field: 'households_total', code: 'negative', message_vi: 'Âm', message_en: 'Negative' }] }
    const result = await flushOutbox({ send: async () => reply(status, problem) })
    expect(result.rejected).toBe(1)
    const [stored] = await listOutbox()
    expect(stored.state).toBe('rejected')
    expect(stored.problem).toMatchObject({ code, message_vi: 'Lý do', errors: [{ field: 'households_total' }] })
  })

  it('keeps an item pending on a network error and on 5xx, with a later retry time', async () => {
    await queued()
    const offline = await flushOutbox({ send: async () => { throw new NetworkError('offline') } })
    expect(offline).toMatchObject({ pending: 1, stopped: 'offline' })
    let [stored] = await listOutbox()
    expect(stored).toMatchObject({ state: 'pending', attempts: 1, last_error: 'network' })
    expect(stored.next_try_at).toBeGreaterThan(Date.now())

    await flushOutbox({ send: async () => reply(503, { status: 503, code: 'unavailable' }), force: true })
    ;[stored] = await listOutbox()
    expect(stored).toMatchObject({ state: 'pending', attempts: 2, last_error: 'http_503' })
  })

  it('respects the backoff unless forced', async () => {
    await queued()
    await flushOutbox({ send: async () => { throw new NetworkError('x') } })
    let calls = 0
    const counting: Sender = async (s) => { calls++; return reply(201, receipt(s)) }
    expect((await flushOutbox({ send: counting })).pending).toBe(1)
    expect(calls).toBe(0)
    expect((await flushOutbox({ send: counting, force: true })).sent).toBe(1)
    expect(calls).toBe(1)
  })

  it('never sends the same item twice when flushes overlap', async () => {
    await queued()
    await submitDraft('V1', 2024, VALUES, '2026.1')
    const seen: string[] = []
    let release!: () => void
    const gate = new Promise<void>((r) => { release = r })
    const slow: Sender = async (s) => { seen.push(s.client_uuid); await gate; return reply(201, receipt(s)) }
    const runs = [flushOutbox({ send: slow }), flushOutbox({ send: slow }), flushOutbox({ send: slow, force: true })]
    await new Promise((r) => setTimeout(r, 20))
    release()
    const results = await Promise.all(runs)
    expect(seen).toHaveLength(2)
    expect(new Set(seen).size).toBe(2)
    expect(results.filter((r) => r.busy)).toHaveLength(2)
    expect((await listOutbox()).every((i) => i.state === 'sent')).toBe(true)
    // A later flush has nothing left to send.
    await flushOutbox({ send: slow, force: true })
    expect(seen).toHaveLength(2)
  })

  it('resends with the same client_uuid after a lost response, so the node can deduplicate', async () => {
    const item = await queued()
    const uuids: string[] = []
    await flushOutbox({ send: async (s) => { uuids.push(s.client_uuid); throw new NetworkError('reset') } })
    await flushOutbox({ send: async (s) => { uuids.push(s.client_uuid); return reply(200, receipt(s)) }, force: true })
    expect(uuids).toEqual([item.client_uuid, item.client_uuid])
    expect((await listOutbox())[0].state).toBe('sent')
  })

  it('keeps items pending and stops when the session needs a new login', async () => {
    await queued()
    const { SessionExpired } = await import('../src/api')
    const result = await flushOutbox({ send: async () => { throw new SessionExpired('refused') } })
    expect(result).toMatchObject({ stopped: 'login', pending: 1 })
    expect((await listOutbox())[0]).toMatchObject({ state: 'pending', last_error: 'login' })
  })
})

describe('correcting a rejected item', () => {
  it('turns it back into a draft; the resubmission gets a new client_uuid', async () => {
    const item = await queued()
    await flushOutbox({ send: async () => reply(422, { status: 422, code: 'tally_invalid' }) })
    await reopenRejected(item.client_uuid)
    expect(await listOutbox()).toHaveLength(0)
    expect((await getDraft('V1', 2025))?.values.households_total).toBe('120')
    const again = await submitDraft('V1', 2025, { ...VALUES, households_total: 130 }, '2026.1')
    expect(again.client_uuid).not.toBe(item.client_uuid)
  })

  it('cannot reopen a pending item', async () => {
    const item = await queued()
    await reopenRejected(item.client_uuid)
    expect((await (await db()).get('outbox', item.client_uuid))?.state).toBe('pending')
  })
})
