// IndexedDB: session, cached server data, drafts and our own outbox; one database per origin.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import type { Draft, OutboxItem } from './types'

export interface CacheEntry {
  url: string
  data: unknown
  etag?: string
  at: number
}

interface XhhtDB extends DBSchema {
  kv: { key: string; value: unknown }
  cache: { key: string; value: CacheEntry }
  drafts: { key: string; value: Draft }
  outbox: { key: string; value: OutboxItem; indexes: { by_state: string } }
}

export type DB = IDBPDatabase<XhhtDB>
export const DB_NAME = 'xhht'
let opening: Promise<DB> | null = null

/** The shared connection, opened (and upgraded) once per page or worker. */
export function db(): Promise<DB> {
  opening ??= openDB<XhhtDB>(DB_NAME, 1, {
    upgrade(d) {
      d.createObjectStore('kv')
      d.createObjectStore('cache', { keyPath: 'url' })
      d.createObjectStore('drafts', { keyPath: 'key' })
      d.createObjectStore('outbox', { keyPath: 'client_uuid' }).createIndex('by_state', 'state')
    },
    blocking() {
      // A newer version of the app wants to upgrade: let it.
      void opening?.then((d) => d.close())
      opening = null
    },
  })
  return opening
}

/** Forget the connection (tests delete the database between cases). */
export async function closeDb(): Promise<void> {
  const d = await opening
  d?.close()
  opening = null
}

export async function kvGet<T>(key: string): Promise<T | undefined> {
  return (await (await db()).get('kv', key)) as T | undefined
}

export async function kvSet(key: string, value: unknown): Promise<void> {
  await (await db()).put('kv', value, key)
}

export async function kvDelete(key: string): Promise<void> {
  await (await db()).delete('kv', key)
}

export const draftKey = (village: string, year: number): string => `${village}|${year}`

export async function getDraft(village: string, year: number): Promise<Draft | undefined> {
  return (await db()).get('drafts', draftKey(village, year))
}

export async function saveDraft(village: string, year: number, values: Record<string, string>) {
  const draft: Draft = { key: draftKey(village, year), village, year, values, updated_at: Date.now() }
  await (await db()).put('drafts', draft)
}

export async function getCached<T>(url: string): Promise<CacheEntry & { data: T } | undefined> {
  return (await (await db()).get('cache', url)) as (CacheEntry & { data: T }) | undefined
}

export async function putCached(url: string, data: unknown, etag?: string): Promise<void> {
  await (await db()).put('cache', { url, data, etag, at: Date.now() })
}

/** Another user logs in on this device: server data cached for the previous one goes; outboxes and drafts stay. */
export async function clearCache(): Promise<void> {
  await (await db()).clear('cache')
}

/**
 * Logout: the session, cached server data, this user's drafts and outbox items go; other users'
 * unsent items and the device id stay (one phone is often shared by a village).
 */
export async function clearUserData(username: string, unit: string): Promise<void> {
  const d = await db()
  const tx = d.transaction(['kv', 'cache', 'drafts', 'outbox'], 'readwrite')
  const outbox = tx.objectStore('outbox')
  const drafts = tx.objectStore('drafts')
  const [items, draftList] = await Promise.all([outbox.getAll(), drafts.getAll()])
  await Promise.all([
    tx.objectStore('kv').delete('session'),
    tx.objectStore('cache').clear(),
    ...items.filter((i) => !i.owner || i.owner === username).map((i) => outbox.delete(i.client_uuid)),
    ...draftList.filter((x) => x.village === unit).map((x) => drafts.delete(x.key)),
  ])
  await tx.done
}
