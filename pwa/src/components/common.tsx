// Small shared pieces: status badges, year picker, offline notice, error box, async loader.
import { useCallback, useEffect, useState } from 'preact/hooks'
import { HttpError } from '../api'
import { reportingYearInForce, yearChoices } from '../calendar'
import { getCached } from '../db'
import { loadFramework } from '../framework'
import type { Framework } from '../types'
import { formatTime, useLang, type Key } from '../i18n'

export type Badge = 'pending' | 'sent' | 'rejected' | 'missing' | 'submitted' | 'confirmed' | 'returned' | 'flagged'

export function StatusBadge({ status }: { status: Badge }) {
  const { t } = useLang()
  return <span class={`badge badge-${status}`}>{t(`st_${status}` as Key)}</span>
}

export function YearSelect({ year, onChange, years }: { year: number; onChange: (y: number) => void; years: number[] }) {
  const { t } = useLang()
  return (
    <label class="inline">
      {t('year')}{' '}
      <select value={year} onChange={(e) => onChange(Number((e.target as HTMLSelectElement).value))}>
        {years.map((y) => (
          <option key={y} value={y}>{y}</option>
        ))}
      </select>
    </label>
  )
}

/** The reporting year in force from the framework calendar (the kept copy when there is one). */
export async function defaultYear(): Promise<number> {
  const kept = await getCached<Framework>('/api/framework')
  const framework = kept?.data ?? (await loadFramework().catch(() => null))
  return reportingYearInForce(framework?.calendar)
}

/** The year a screen shows: the one asked for, else the reporting year in force; null while it is read. */
export function useYear(initial?: number): [number | null, number[], (y: number) => void] {
  const [year, setYear] = useState<number | null>(initial ?? null)
  const [inForce, setInForce] = useState<number | null>(null)
  useEffect(() => {
    let live = true
    void defaultYear().then((y) => {
      if (!live) return
      setInForce(y)
      setYear((current) => current ?? y)
    })
    return () => {
      live = false
    }
  }, [])
  const years = yearChoices(inForce ?? year ?? new Date().getFullYear(), year ?? undefined)
  return [year, years, setYear]
}

export function StaleNote({ at }: { at: number | null }) {
  const { t, lang } = useLang()
  return at ? <p class="note" role="status">{t('stale', { t: formatTime(lang, at) })}</p> : null
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, lang } = useLang()
  const p = error instanceof HttpError ? error.problem : null
  const text = p ? (lang === 'vi' ? p.message_vi : p.message_en) || p.title : String((error as Error)?.message ?? error)
  return (
    <div class="error-box" role="alert">
      <strong>{t('error')}:</strong> {text}
      {onRetry && <button type="button" class="secondary" onClick={onRetry}>{t('retry')}</button>}
    </div>
  )
}

export interface AsyncState<T> {
  data: T | null
  error: unknown
  loading: boolean
  reload: () => void
}

/** Run a loader when its dependencies change; the latest call wins. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({ data: null, error: null, loading: true })
  const [tick, setTick] = useState(0)
  useEffect(() => {
    let live = true
    setState((s) => ({ ...s, loading: true }))
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error) => live && setState({ data: null, error, loading: false }),
    )
    return () => {
      live = false
    }
  }, [...deps, tick])
  const reload = useCallback(() => setTick((n) => n + 1), [])
  return { ...state, reload }
}

export function useOnline(): boolean {
  const [online, setOnline] = useState(typeof navigator === 'undefined' ? true : navigator.onLine)
  useEffect(() => {
    const on = () => setOnline(true)
    const off = () => setOnline(false)
    addEventListener('online', on)
    addEventListener('offline', off)
    return () => {
      removeEventListener('online', on)
      removeEventListener('offline', off)
    }
  }, [])
  return online
}

/** Run async work with at most `limit` in flight (status calls for many child units). */
export async function pool<I, O>(items: I[], limit: number, work: (item: I) => Promise<O>): Promise<O[]> {
  const out: O[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await work(items[i])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}
