// Our own outbox: a submission is kept until the node has answered for it, and never sent twice at once.
// Items belong to the user who queued them: a shared phone sends each user's items under their own login.
import { authed, getSession, NetworkError, RequestTimeout, SessionExpired, asProblem, type RawResponse } from './api'
import { db, draftKey } from './db'
import { receiptFault } from './receipts'
import type { OutboxItem, Problem, TallyReceipt, TallySubmission } from './types'

export type Sender = (sub: TallySubmission) => Promise<RawResponse>

const CHANNEL = 'xhht-outbox'
const BASE_DELAY_MS = 15_000
const MAX_DELAY_MS = 30 * 60_000

/** The default sender: POST /api/tallies with the session's token. */
export const postTally: Sender = (sub) => authed('POST', '/api/tallies', sub)

/** Move a draft into the outbox in ONE transaction: both happen or neither does. */
export async function submitDraft(
  village: string,
  year: number,
  values: Record<string, number>,
  frameworkVersion: string,
): Promise<OutboxItem> {
  const now = Date.now()
  const owner = (await getSession())?.user.username
  const item: OutboxItem = {
    client_uuid: crypto.randomUUID(),
    ...(owner ? { owner } : {}),
    village,
    year,
    values,
    framework_version: frameworkVersion,
    state: 'pending',
    created_at: now,
    attempts: 0,
    next_try_at: now,
  }
  const tx = (await db()).transaction(['drafts', 'outbox'], 'readwrite')
  await Promise.all([
    tx.objectStore('outbox').add(item),
    tx.objectStore('drafts').delete(draftKey(village, year)),
    tx.done,
  ])
  announce()
  return item
}

/** A rejected item goes back to being a draft (same values); resending it makes a new client_uuid. */
export async function reopenRejected(clientUuid: string): Promise<void> {
  const tx = (await db()).transaction(['drafts', 'outbox'], 'readwrite')
  const item = await tx.objectStore('outbox').get(clientUuid)
  if (!item || item.state !== 'rejected') {
    tx.abort()
    await tx.done.catch(() => undefined)
    return
  }
  const values = Object.fromEntries(Object.entries(item.values).map(([k, v]) => [k, String(v)]))
  await tx.objectStore('drafts').put({ key: draftKey(item.village, item.year), village: item.village, year: item.year, values, updated_at: Date.now() })
  await tx.objectStore('outbox').delete(clientUuid)
  await tx.done
  announce()
}

/** Drop answered (sent or rejected) items the user has seen; pending ones can never be dropped here. */
export async function forgetAnswered(clientUuid: string): Promise<void> {
  const tx = (await db()).transaction('outbox', 'readwrite')
  const item = await tx.store.get(clientUuid)
  if (item && item.state !== 'pending') await tx.store.delete(clientUuid)
  await tx.done
  announce()
}

/** Items queued before outboxes were kept per user have no owner: whoever is logged in may send them. */
export const ownedBy = (item: OutboxItem, username: string | undefined): boolean => !item.owner || item.owner === username

/** The logged-in user's items (all items when `username` is omitted), newest first. */
export async function listOutbox(username?: string | null): Promise<OutboxItem[]> {
  const items = await (await db()).getAll('outbox')
  const mine = username === undefined ? items : items.filter((i) => ownedBy(i, username ?? undefined))
  return mine.sort((a, b) => b.created_at - a.created_at)
}

/** Unsent items of other users on this device, counted per username (a shared phone). */
export async function othersPending(username: string | undefined): Promise<Record<string, number>> {
  const pending = await (await db()).getAllFromIndex('outbox', 'by_state', 'pending')
  const counts: Record<string, number> = {}
  for (const item of pending) if (!ownedBy(item, username)) counts[item.owner!] = (counts[item.owner!] ?? 0) + 1
  return counts
}

export interface FlushResult {
  sent: number
  rejected: number
  pending: number
  /** The flush stopped early: offline, or the session needs a new login. */
  stopped?: 'offline' | 'login'
  /** Another flush (this tab, another tab or the service worker) was already running. */
  busy?: boolean
}

function backoff(attempts: number): number {
  const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1))
  return delay / 2 + Math.random() * (delay / 2)
}

/** Record the server's answer (or its absence) for one item, re-reading it inside the transaction. */
async function record(clientUuid: string, change: (item: OutboxItem) => void): Promise<void> {
  const tx = (await db()).transaction('outbox', 'readwrite')
  const item = await tx.store.get(clientUuid)
  if (item) {
    change(item)
    await tx.store.put(item)
  }
  await tx.done
}

type Outcome = 'sent' | 'rejected' | 'pending'

/** What an HTTP status means for an outbox item. */
export function outcomeOf(status: number): Outcome {
  if (status === 200 || status === 201) return 'sent'
  if (status === 401 || status === 408 || status === 425 || status === 429 || status >= 500) return 'pending'
  return status >= 400 ? 'rejected' : 'pending'
}

/** Why a pending item was not delivered, as stored in `last_error`. */
function failureOf(e: unknown): 'login' | 'timeout' | 'network' {
  return e instanceof SessionExpired ? 'login' : e instanceof RequestTimeout ? 'timeout' : 'network'
}

async function sendOne(item: OutboxItem, send: Sender): Promise<Outcome | 'offline' | 'login'> {
  const sub: TallySubmission = {
    client_uuid: item.client_uuid,
    village: item.village,
    year: item.year,
    values: item.values,
    framework_version: item.framework_version,
  }
  let res: RawResponse
  try {
    res = await send(sub)
  } catch (e) {
    if (!(e instanceof NetworkError) && !(e instanceof SessionExpired)) console.warn('outbox send', e)
    const why = failureOf(e)
    await record(item.client_uuid, (it) => {
      it.attempts += 1
      it.next_try_at = Date.now() + backoff(it.attempts)
      it.last_error = why
    })
    return why === 'login' ? 'login' : 'offline'
  }
  let outcome = outcomeOf(res.status)
  // A captive portal or a proxy can answer 200 too: only the node's receipt for this item counts.
  const fault = outcome === 'sent' ? await receiptFault(res.body, sub) : null
  if (fault) outcome = 'pending'
  await record(item.client_uuid, (it) => {
    it.attempts += 1
    if (fault) {
      it.next_try_at = Date.now() + backoff(it.attempts)
      it.last_error = fault
    } else if (outcome === 'sent') {
      it.state = 'sent'
      it.receipt = res.body as TallyReceipt
      it.answered_at = Date.now()
      delete it.problem
      delete it.last_error
    } else if (outcome === 'rejected') {
      it.state = 'rejected'
      it.problem = asProblem(res.body) ?? ({ status: res.status, title: `HTTP ${res.status}`, type: 'about:blank', code: 'http_error' } as Problem)
      it.answered_at = Date.now()
    } else {
      it.next_try_at = Date.now() + backoff(it.attempts)
      it.last_error = `http_${res.status}`
    }
  })
  return fault ? 'offline' : outcome
}

async function flushUnlocked(send: Sender, force: boolean): Promise<FlushResult> {
  const now = Date.now()
  const user = (await getSession())?.user.username
  const all = (await (await db()).getAllFromIndex('outbox', 'by_state', 'pending')).filter((i) => ownedBy(i, user))
  const due = all.filter((i) => force || i.next_try_at <= now).sort((a, b) => a.created_at - b.created_at)
  const result: FlushResult = { sent: 0, rejected: 0, pending: all.length - due.length }
  for (const [index, item] of due.entries()) {
    const outcome = await sendOne(item, send)
    if (outcome === 'offline' || outcome === 'login') {
      result.pending += due.length - index
      result.stopped = outcome
      break
    }
    result[outcome] += 1
  }
  announce()
  return result
}

let running: Promise<FlushResult> | null = null

/** Send every due pending item, one at a time; concurrent calls share one run (a flush lock). */
export function flushOutbox(options: { send?: Sender; force?: boolean } = {}): Promise<FlushResult> {
  if (running) return running.then((r) => ({ ...r, busy: true }))
  const send = options.send ?? postTally
  const force = options.force ?? false
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined
  const run: Promise<FlushResult> = locks
    ? // Across tabs and the service worker: whoever holds the lock flushes, the others skip.
      (locks.request(CHANNEL, { ifAvailable: true }, (lock): Promise<FlushResult> =>
        lock ? flushUnlocked(send, force) : Promise.resolve({ sent: 0, rejected: 0, pending: 0, busy: true }),
      ) as unknown as Promise<FlushResult>)
    : flushUnlocked(send, force)
  const mine = run.finally(() => {
    running = null
  })
  running = mine
  return mine
}

/** Tell other tabs and the page (when the service worker flushed) that the outbox changed. */
function announce(): void {
  if (typeof BroadcastChannel === 'undefined') return
  const ch = new BroadcastChannel(CHANNEL)
  ch.postMessage('changed')
  ch.close()
}

export function onOutboxChange(listener: () => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined
  const ch = new BroadcastChannel(CHANNEL)
  ch.onmessage = listener
  return () => ch.close()
}
