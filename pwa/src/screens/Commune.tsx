// Commune officer: each village's tally status for a year; confirm, or return with a reason.
import { useState } from 'preact/hooks'
import { getCachedJSON, HttpError, postJSON } from '../api'
import { loadFramework } from '../framework'
import { formatNumber, formatTime, useLang } from '../i18n'
import type { Framework, Tally, Unit } from '../types'
import { ErrorBox, StaleNote, StatusBadge, YearSelect, useAsync, useYear, type Badge } from '../components/common'

export type VillageStatus = 'missing' | 'submitted' | 'confirmed' | 'returned' | 'flagged'

/** One badge per village: flags matter only while the tally still awaits review. */
export function villageStatus(tally: Tally | undefined): VillageStatus {
  if (!tally) return 'missing'
  if (tally.status === 'submitted' && (tally.flags ?? []).length > 0) return 'flagged'
  return tally.status as VillageStatus
}

interface Loaded {
  villages: Unit[]
  tallies: Map<string, Tally>
  framework: Framework | null
  staleAt: number | null
}

async function load(code: string, year: number): Promise<Loaded> {
  const q = encodeURIComponent(code)
  const [units, tallies, framework] = await Promise.all([
    getCachedJSON<Unit[]>(`/api/units?parent=${q}`),
    getCachedJSON<Tally[]>(`/api/tallies?unit=${q}&year=${year}`),
    loadFramework(),
  ])
  const stale = units.stale || tallies.stale
  return {
    villages: units.data.filter((u) => !u.retired),
    tallies: new Map(tallies.data.map((x) => [x.village, x])),
    framework,
    staleAt: stale ? Math.min(units.at, tallies.at) : null,
  }
}

export function CommuneScreen({ code, canReview }: { code: string; canReview: boolean }) {
  const { t } = useLang()
  const [year, years, setYear] = useYear()
  const state = useAsync(() => (year === null ? new Promise<never>(() => undefined) : load(code, year)), [code, year])
  const [open, setOpen] = useState<string | null>(null)
  if (state.error) return <ErrorBox error={state.error} onRetry={state.reload} />
  if (!state.data) return <p>{t('loading')}</p>
  const { villages, tallies, framework, staleAt } = state.data
  return (
    <section>
      <h1>{t('nav_villages')}</h1>
      <p><a href={`#/assess/${code}`}>{t('open_assess')}</a></p>
      <YearSelect year={year!} years={years} onChange={setYear} />
      <StaleNote at={staleAt} />
      {villages.length === 0 && <p>{t('no_children')}</p>}
      <ul class="cards">
        {villages.map((v) => {
          const tally = tallies.get(v.code)
          const expanded = open === v.code
          return (
            <li key={v.code} class="card" data-village={v.code}>
              <button type="button" class="row" aria-expanded={expanded} onClick={() => setOpen(expanded ? null : v.code)}>
                <span>{v.name}</span>
                <StatusBadge status={villageStatus(tally) as Badge} />
              </button>
              {expanded && tally && (
                <TallyDetail tally={tally} framework={framework} canReview={canReview && !staleAt} onDone={state.reload} />
              )}
            </li>
          )
        })}
      </ul>
    </section>
  )
}

interface DetailProps {
  tally: Tally
  framework: Framework | null
  canReview: boolean
  onDone: () => void
}

function TallyDetail({ tally, framework, canReview, onDone }: DetailProps) {
  const { t, lang, pick } = useLang()
  const [reason, setReason] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const flagged = new Map((tally.flags ?? []).map((f) => [f.field, f]))
  const review = async (action: 'confirm' | 'return') => {
    if (action === 'return' && !reason.trim()) {
      setError(new Error(t('reason_needed')))
      return
    }
    setBusy(true)
    try {
      await postJSON<Tally>(`/api/tallies/${tally.id}/review`, { action, reason: reason.trim() })
      onDone()
    } catch (e) {
      setError(e instanceof HttpError ? e : new Error(String(e)))
    } finally {
      setBusy(false)
    }
  }
  const fields = framework?.tally.fields ?? Object.keys(tally.values).map((code) => ({ code, label: { vi: code, en: code } }))
  return (
    <div class="detail">
      <p class="muted">
        {t('submitted_by')}: {tally.submitted_by} · {formatTime(lang, tally.received_at)} · #{tally.revision}
      </p>
      {tally.review_reason && <p>{t('return_reason')}: {tally.review_reason}</p>}
      <table class="values">
        <tbody>
          {fields.filter((f) => f.code in tally.values).map((f) => {
            const flag = flagged.get(f.code)
            return (
              <tr key={f.code} class={flag ? 'flagged' : undefined}>
                <th scope="row">{pick(f.label)}</th>
                <td>
                  {'kind' in f && f.kind === 'yes_no' ? t(tally.values[f.code] ? 'yes' : 'no') : formatNumber(lang, tally.values[f.code])}
                  {flag && <div class="msg warn">{lang === 'vi' ? flag.message_vi : flag.message_en}{flag.previous != null && ` (${t('last_year')}: ${formatNumber(lang, flag.previous)})`}</div>}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {canReview && tally.status === 'submitted' && (
        <div class="review">
          <label for={`reason-${tally.id}`}>{t('return_reason')}</label>
          <textarea id={`reason-${tally.id}`} rows={2} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
          <div class="actions">
            <button type="button" class="primary" disabled={busy} onClick={() => review('confirm')}>{t('confirm')}</button>
            <button type="button" class="danger" disabled={busy} onClick={() => review('return')}>{t('return')}</button>
          </div>
        </div>
      )}
      {error ? <ErrorBox error={error} /> : null}
    </div>
  )
}
