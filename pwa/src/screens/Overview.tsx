// District / province: child units' status (completeness, a chosen rate), level chart, CSV, drill-down.
import { useState } from 'preact/hooks'
import { getCachedJSON } from '../api'
import { levelOf, statusCsv, downloadText } from '../csv'
import { formatNumber, useLang, type Lang } from '../i18n'
import type { Unit, UnitStatus } from '../types'
import { BarChart, type Bar } from '../components/BarChart'
import { ErrorBox, StaleNote, YearSelect, pool, recentYears, useAsync } from '../components/common'

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

function levelBars(rows: UnitStatus[], lang: Lang, none: string): Bar[] | null {
  const levels = rows.map(levelOf)
  if (!levels.some((l) => l !== undefined)) return null
  const counts = new Map<string, number>()
  for (const l of levels) {
    const key = l == null || l === 0 || l === '' ? none : typeof l === 'number' ? `${lang === 'vi' ? 'Mức' : 'Level'} ${l}` : String(l)
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts].map(([label, value]) => ({ label, value })).sort((a, b) => (a.label === none ? -1 : b.label === none ? 1 : a.label.localeCompare(b.label)))
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
  const bars = levelBars(rows, lang, t('level_none'))
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
                  <th scope="col">{t('confirmed_n')}</th>
                  <th scope="col">%</th>
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
                      <td>{formatNumber(lang, c.villages_reported)}/{formatNumber(lang, c.villages_total)}</td>
                      <td>{formatNumber(lang, c.villages_confirmed)}</td>
                      <td>{pct(lang, v)}</td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </div>
          {bars && <BarChart bars={bars} title={t('levels_chart')} />}
          <button type="button" class="secondary" onClick={() => downloadText(`xhht-${code}-${year}.csv`, statusCsv(rows, lang))}>
            {t('download_csv')}
          </button>
        </>
      )}
    </section>
  )
}
