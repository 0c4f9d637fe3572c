// District / province: child units' status (completeness, a chosen rate), level chart, CSV, drill-down.
import { useState } from 'preact/hooks'
import { getCachedJSON } from '../api'
import { levelCounts } from '../assessment'
import { levelOf, statusCsv, downloadText } from '../csv'
import { formatNumber, useLang, type Lang, type T } from '../i18n'
import type { Unit, UnitStatus } from '../types'
import { BarChart, type Bar } from '../components/BarChart'
import { ErrorBox, StaleNote, YearSelect, pool, recentYears, useAsync } from '../components/common'
import { LevelSummary } from './Assessment'

interface Loaded {
  own: UnitStatus | null
  rows: UnitStatus[]
  staleAt: number | null
}

async function load(code: string, year: number): Promise<Loaded> {
  const q = encodeURIComponent(code)
  const children = await getCachedJSON<Unit[]>(`/api/units?parent=${q}`)
  const statusOf = (c: string) => getCachedJSON<UnitStatus>(`/api/units/${encodeURIComponent(c)}/status?year=${year}`)
  const [own, ...rows] = await pool([code, ...children.data.filter((u) => !u.retired).map((u) => u.code)], 4, statusOf)
  const stale = [children, own, ...rows].filter((x) => x.stale)
  return {
    own: own.data,
    rows: rows.map((r) => r.data),
    staleAt: stale.length ? Math.min(...stale.map((x) => x.at)) : null,
  }
}

const pct = (lang: Lang, v: number | null | undefined) =>
  v == null ? '—' : `${v.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 })} %`

/** Bars of the chart: how many child units stand at each level reached (from their evaluation). */
function levelBars(rows: UnitStatus[], t: T): Bar[] | null {
  const counts = levelCounts(rows.map(levelOf))
  return counts && counts.map(([level, value]) => ({ label: level ? t('level_n', { n: level }) : t('level_none'), value }))
}

/** Level reached (a link to the unit's checklist), recognised and target level, behind-plan marker. */
function LevelCell({ row, t }: { row: UnitStatus; t: T }) {
  const ev = row.evaluation
  if (!ev) return <td>—</td>
  const level = ev.level_reached ? t('level_n', { n: ev.level_reached }) : t('level_none')
  return (
    <td class="level-cell">
      <a href={`#/assess/${row.unit.code}`} aria-label={t('assess_of', { u: row.unit.name, l: level.toLowerCase() })}>{level}</a>
      {row.recognized_level != null && <span class="sub">{t('recognized')}: {row.recognized_level}</span>}
      {row.target?.target_level != null && <span class="sub">{t('target')}: {row.target.target_level}</span>}
      {row.progress?.behind && <span class="sub behind-mark"><span aria-hidden="true">⚠ </span>{t('behind')}</span>}
    </td>
  )
}

export function OverviewScreen({ code, onOpen }: { code: string; onOpen: (unit: Unit) => void }) {
  const { t, lang } = useLang()
  const [year, setYear] = useState(recentYears()[0])
  const [rate, setRate] = useState<string | null>(null)
  const state = useAsync(() => load(code, year), [code, year])
  if (state.error) return <ErrorBox error={state.error} onRetry={state.reload} />
  if (!state.data) return <p>{t('loading')}</p>
  const { own, rows, staleAt } = state.data
  const rates = own?.rates ?? rows[0]?.rates ?? []
  const chosen = rate ?? rates.find((r) => r.code === 'citizens_recognized_rate')?.code ?? rates[0]?.code
  const bars = levelBars(rows, t)
  const withLevel = rows.some((r) => r.evaluation)
  const label = (r: { label_vi: string; label_en: string }) => (lang === 'vi' ? r.label_vi : r.label_en)
  return (
    <section>
      <h1>{own?.unit.name ?? code}</h1>
      <YearSelect year={year} years={recentYears()} onChange={setYear} />
      <StaleNote at={staleAt} />
      {own && (
        <details class="card" open>
          <summary>{t('totals')}: {own.completeness.villages_reported}/{own.completeness.villages_total} {t('reported').toLowerCase()}</summary>
          <dl class="rates">
            {own.rates.map((r) => (
              <div key={r.code}><dt>{label(r)}</dt><dd>{pct(lang, r.value)}</dd></div>
            ))}
          </dl>
          {own.evaluation && (
            <>
              <LevelSummary status={own} />
              <p><a href={`#/assess/${own.unit.code}`}>{t('open_assess')}</a></p>
            </>
          )}
        </details>
      )}
      {rows.length === 0 ? <p>{t('no_children')}</p> : (
        <>
          {rates.length > 0 && (
            <label class="block">
              {t('rate_shown')}
              <select value={chosen} onChange={(e) => setRate((e.target as HTMLSelectElement).value)}>
                {rates.map((r) => <option key={r.code} value={r.code}>{label(r)}</option>)}
              </select>
            </label>
          )}
          <div class="table-wrap">
            <table class="status">
              <thead>
                <tr>
                  <th scope="col">{t('unit')}</th>
                  <th scope="col">{t('reported')}</th>
                  <th scope="col">%</th>
                  {withLevel && <th scope="col" class="level-cell">{t('level_col')}</th>}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => {
                  const c = r.completeness
                  const v = r.rates.find((x) => x.code === chosen)?.value
                  return (
                    <tr key={r.unit.code}>
                      <th scope="row">
                        {r.unit.level === 'village' ? r.unit.name : <a href="#" onClick={(e) => { e.preventDefault(); onOpen(r.unit) }}>{r.unit.name}</a>}
                      </th>
                      <td>
                        {formatNumber(lang, c.villages_reported)}/{formatNumber(lang, c.villages_total)}
                        <span class="sub nowrap"><span aria-hidden="true">✓ </span>{formatNumber(lang, c.villages_confirmed)}<span class="sr"> {t('confirmed_n').toLowerCase()}</span></span>
                      </td>
                      <td>{pct(lang, v)}</td>
                      {withLevel && <LevelCell row={r} t={t} />}
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </div>
          <p class="muted small" aria-hidden="true">✓: {t('confirmed_legend')}</p>
          {bars && <BarChart bars={bars} title={t('levels_chart')} />}
          <button type="button" class="secondary" onClick={() => downloadText(`xhht-${code}-${year}.csv`, statusCsv(rows, lang))}>
            {t('download_csv')}
          </button>
        </>
      )}
    </section>
  )
}
