// Pure helpers of the recognition dossier, timeliness and the federation view: labels, allowed actions, times.
import type { Key } from './i18n'
import type { Lang } from './i18n'
import type { UserInfo } from './types'

export type DossierAction = 'submit' | 'open' | 'return' | 'recognise'
export type Actor = 'unit' | 'recogniser'

/**
 * The lifecycle of shared_schema/dossier_flow.yaml (who acts; state before → after). The node enforces
 * it; the PWA uses it only to offer the buttons that can succeed. A vitest compares it with the YAML.
 */
export const FLOW: Record<DossierAction, { by: Actor; from: Record<string, string> }> = {
  submit: { by: 'unit', from: { draft: 'submitted', returned: 'resubmitted' } },
  open: { by: 'recogniser', from: { submitted: 'under_review', resubmitted: 'under_review' } },
  recognise: { by: 'recogniser', from: { under_review: 'recognised' } },
  return: { by: 'recogniser', from: { under_review: 'returned' } },
}

export const DOSSIER_STATES = ['draft', 'submitted', 'under_review', 'recognised', 'returned', 'resubmitted'] as const

/** i18n key of a dossier state; unknown states fall back to the node's own label (null here). */
export function dossierStateKey(status: string | null | undefined): Key | null {
  const s = status ?? 'draft'
  return (DOSSIER_STATES as readonly string[]).includes(s) ? (`ds_${s}` as Key) : null
}

/** Tone of a state for its badge colour (always shown with words and a symbol too). */
export function dossierTone(status: string | null | undefined): 'neutral' | 'info' | 'ok' | 'bad' {
  const s = status ?? 'draft'
  return s === 'recognised' ? 'ok' : s === 'returned' ? 'bad' : s === 'draft' ? 'neutral' : 'info'
}

const ASSESSORS = new Set(['commune_officer', 'district_officer', 'province_officer', 'admin'])
const RECOGNISERS = new Set(['district_officer', 'province_officer', 'admin'])

/** Which side of the dossier the user stands on: its own unit's officer, its recogniser, or neither. */
export function actorOf(user: Pick<UserInfo, 'role' | 'unit'>, dossier: { unit: string; recogniser?: string | null }): Actor | null {
  if (user.unit === dossier.unit) return ASSESSORS.has(user.role) ? 'unit' : null
  if (dossier.recogniser && user.unit === dossier.recogniser && RECOGNISERS.has(user.role)) return 'recogniser'
  return null
}

/** The actions this user may take on the dossier in its current state (the node still decides). */
export function allowedActions(
  user: Pick<UserInfo, 'role' | 'unit'>,
  dossier: { unit: string; recogniser?: string | null; status: string },
): DossierAction[] {
  const actor = actorOf(user, dossier)
  if (!actor) return []
  return (Object.keys(FLOW) as DossierAction[]).filter((a) => FLOW[a].by === actor && dossier.status in FLOW[a].from)
}

/** i18n key of a history event's action, or null for an action this client does not know. */
export function eventKey(action: string): Key | null {
  return action in FLOW ? (`evx_${action}` as Key) : null
}

export type Timeliness = 'on_time' | 'late' | 'missing' | 'not_due'

/** Timeliness in words, with a symbol so colour is never the only cue. */
export function timelinessLabel(status: string | null | undefined): { key: Key; symbol: string; tone: 'ok' | 'bad' | 'warn' | 'neutral' } {
  switch (status) {
    case 'on_time':
      return { key: 'tl_on_time', symbol: '✓', tone: 'ok' }
    case 'late':
      return { key: 'tl_late', symbol: '⚠', tone: 'warn' }
    case 'not_due':
      return { key: 'tl_not_due', symbol: '…', tone: 'neutral' }
    default:
      return { key: 'tl_missing', symbol: '✗', tone: 'bad' }
  }
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['week', 7 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
]

/** "3 giờ trước" / "3 hours ago" from an age in seconds; null (never synced) gives null; under a minute "vừa xong". */
export function relativeAge(lang: Lang, seconds: number | null | undefined): string | null {
  if (seconds == null) return null
  const s = Math.max(0, seconds)
  const fmt = new Intl.RelativeTimeFormat(lang === 'vi' ? 'vi' : 'en', { numeric: 'always' })
  for (const [unit, size] of UNITS) if (s >= size) return fmt.format(-Math.floor(s / size), unit)
  return lang === 'vi' ? 'vừa xong' : 'just now'
}

/** Data older than this is marked stale in the federation view (a unit syncs at least daily when online). */
export const STALE_AFTER_SECONDS = 2 * 86400

/**
 * The name a download is saved under: the node's Content-Disposition filename (RFC 6266, with
 * filename* UTF-8 preferred), else the fallback; path parts and characters file systems refuse are removed.
 */
export function downloadName(disposition: string | null | undefined, fallback: string): string {
  let name = ''
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition ?? '')
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/.exec(disposition ?? '')
  if (star) {
    try {
      name = decodeURIComponent(star[1].trim())
    } catch {
      name = ''
    }
  }
  if (!name && plain) name = (plain[1] ?? plain[2] ?? '').trim()
  name = name.split(/[\\/]/).pop()!.replace(/[\x00-\x1f<>:"|?*]/g, '').trim()
  return name && !/^\.+$/.test(name) ? name : fallback
}

/** Levels a recogniser may pick: 1 … the highest level of the unit's criteria. */
export const levelChoices = (max: number): number[] => Array.from({ length: Math.max(1, max) }, (_, i) => i + 1)

/** Today's date as YYYY-MM-DD in Vietnam time (the default decision date). */
export function todayInVietnam(now = new Date()): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10)
}

/** A calendar date (YYYY-MM-DD) as people write it: 15/02/2027 in Vietnamese, 15 Feb 2027 in English. */
export function formatDate(lang: Lang, iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number)
  if (!y || !m || !d) return iso
  const date = new Date(Date.UTC(y, m - 1, d))
  return lang === 'vi'
    ? `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`
    : date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
}

/** What a federation row says about the unit's evaluation (the node fills it from the unit's snapshot). */
export interface RowEvaluation {
  level_reached?: number | null
  claimed_level?: number | null
  recognized_level?: number | null
  dossier_status?: string | null
}

export function rowEvaluation(row: { evaluation?: object }): RowEvaluation {
  const ev = (row.evaluation ?? {}) as Record<string, unknown>
  const num = (v: unknown) => (typeof v === 'number' ? v : null)
  return {
    level_reached: num(ev.level_reached),
    claimed_level: num(ev.claimed_level),
    recognized_level: num(ev.recognized_level ?? ev.recognised_level),
    dossier_status: typeof ev.dossier_status === 'string' ? ev.dossier_status : null,
  }
}

/**
 * Levels the overview can list: the children's level and, on the user's own unit when the children
 * are districts (the four-level hierarchy), the communes below them too.
 */
export function fedLevels(childLevel: string | null, ownUnit: boolean): string[] {
  if (!childLevel || childLevel === 'village') return []
  return ownUnit && childLevel === 'district' ? ['district', 'commune'] : [childLevel]
}

/**
 * The node's federation view covers the caller's whole subtree; on a unit drilled into below the
 * user's own, only its direct children are kept.
 */
export function fedRows<R extends { parent: string }>(rows: R[], viewed: string, ownUnit: string): R[] {
  return viewed === ownUnit ? rows : rows.filter((r) => r.parent === viewed)
}

/** Units by name in Vietnamese alphabetical order (Đ after D), which a code-point sort on the node does not give. */
export function byName<R extends { unit_name: string }>(rows: R[], lang: Lang): R[] {
  const collator = new Intl.Collator(lang === 'vi' ? 'vi' : 'en', { sensitivity: 'base', numeric: true })
  return [...rows].sort((a, b) => collator.compare(a.unit_name, b.unit_name))
}
