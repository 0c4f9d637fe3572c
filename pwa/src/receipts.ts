// Whether a 200/201 answer is really the node's receipt for one outbox item (not a portal's page).
import type { TallyReceipt, TallySubmission } from './types'

/** Why an answer does not prove delivery; null when it does. */
export type ReceiptFault = 'not_a_receipt' | 'other_item' | 'other_content'

/** JSON with every object's keys sorted and no spaces: the bytes the node hashes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/** SHA-256 hex of the canonical {village, year, values}, as the node computes it; null without Web Crypto. */
export async function contentHash(sub: Pick<TallySubmission, 'village' | 'year' | 'values'>): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle
  if (!subtle) return null
  const bytes = new TextEncoder().encode(canonicalJson({ village: sub.village, year: sub.year, values: sub.values }))
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes))
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** Check an answer body against the item sent: same client_uuid, and the same content hash when it carries one. */
export async function receiptFault(body: unknown, sent: TallySubmission): Promise<ReceiptFault | null> {
  if (!body || typeof body !== 'object') return 'not_a_receipt'
  const receipt = body as Partial<TallyReceipt>
  if (typeof receipt.client_uuid !== 'string' || typeof receipt.revision !== 'number') return 'not_a_receipt'
  if (receipt.client_uuid.toLowerCase() !== sent.client_uuid.toLowerCase()) return 'other_item'
  if (typeof receipt.content_hash === 'string' && receipt.content_hash) {
    const mine = await contentHash(sent)
    if (mine !== null && mine !== receipt.content_hash) return 'other_content'
  }
  return null
}
