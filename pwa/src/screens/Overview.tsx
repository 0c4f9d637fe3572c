// District / province: the federation view of the units below (one request), level chart, filter, sort, exports.
import { useEffect, useState } from 'preact/hooks'
import { getCachedJSON } from '../api'
import { levelCounts } from '../assessment'
import { STALE_AFTER_SECONDS, byName, rowEvaluation, relativeAge, fedLevels, fedRows } from '../dossier'
import { formatNumber, formatTime, useLang, type Key, type Lang, type T } from '../i18n'
import type { FederationRow, Unit, UnitStatus, UserInfo } from '../types'
import { BarChart, type Bar } from '../components/BarChart'
import { ErrorBox, StaleNote, YearSelect, useAsync, useYear } from '../components/common'
import { DossierState, TimelinessPill } from '../components/DossierPanel'
import { Downloads } from '../components/Downloads'
import { LevelSummary } from './Assessment'

interface Base {
  own: UnitStatus
  childLevel: string | null
  staleAt: number | null
}

async function loadBase(code: string, year: number): Promise<Base> {
  const q = encodeURIComponent(code)
  const [own, children] = await Promise.all([
    getCachedJSON<UnitStatus>(`/api/units/${q}/status?year=${year}`),
    getCachedJSON<Unit[]>(`/api/units?parent=${q}`),
  ])
  const stale = [own, children].filter((x) => x.stale)
  const childLevel = children.data.find((u) => !u.retired)?.level ?? null
  return { own: own.data, childLevel, staleAt: stale.length ? Math.min(...stale.map((x) => x.at)) : null }
}

const pct = (lang: Lang, v: number | null | undefined) =>
  v == null ? '—' : `${v.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 })} %`

function levelBars(rows: FederationRow[], t: T): Bar[] | null {
  const counts = levelCounts(rows.map((r) => rowEvaluation(r).level_reached))
  return counts && counts.map(([level, value]) => ({ label: level ? t('level_n', { n: level }) : t('level_none'), value }))
}

/** Reached (a link to the unit's checklist), claimed and recognised level, and the dossier state. */
function LevelCell({ row, t }: { row: FederationRow; t: T }) {
  const ev = rowEvaluation(row)
  const n = (v: number | null | undefined) => (v == null ? '—' : v === 0 ? t('level_none') : String(v))
  const reached = ev.level_reached == null ? t('open_short') : ev.level_reached ? t('level_n', { n: ev.level_reached }) : t('level_none')
  return (
    <td class="level-cell">
      <a href={`#/assess/${row.unit}`} aria-label={t('assess_of', { u: row.unit_name, l: reached.toLowerCase() })}>{reached}</a>
      {ev.claimed_level != null && <span class="sub">{t('claimed_short')}: {n(ev.claimed_level)}</span>}
      {ev.recognized_level != null && <span class="sub">{t('recognised_short')}: {n(ev.recognized_level)}</span>}
      {ev.dossier_status && <span class="sub"><DossierState dossier={{ status: ev.dossier_status, status_label: { vi: ev.dossier_status, en: ev.dossier_status } }} /></span>}
    </td>
  )
}

function SyncCell({ row }: { row: FederationRow }) {
  const { t, lang } = useLang()
  const age = relativeAge(lang, row.staleness_seconds)
  const stale = row.staleness_seconds != null && row.staleness_seconds > STALE_AFTER_SECONDS
  return (
    <td class="sync-cell" title={row.last_sync_at ? formatTime(lang, row.last_sync_at) : undefined}>
      {age ?? <span class="muted">{t('never_synced')}</span>}
      {stale && <span class="sub behind-mark"><span aria-hidden="true">⚠ </span>{t('stale_mark')}</span>}
    </td>
  )
}

/** Rows drawn at first and added by each "show more": a whole country's communes stay light. */
export const ROW_STEP = 200

/** The rows drawn now and how many wait behind "show more". */
export function drawn<T>(rows: T[], limit: number): { rows: T[]; more: number } {
  return { rows: rows.slice(0, limit), more: Math.max(0, rows.length - limit) }
}

const SORTS: [string, Key][] = [['unit_name', 'so_name'], ['completeness', 'so_completeness'], ['rate', 'so_rate'], ['-staleness_seconds', 'so_stale'], ['timeliness', 'so_timeliness']]

export function OverviewScreen({ code, user, onOpen }: { code: string; user: UserInfo; onOpen: (unit: Unit) => void }) {
  const { t, lang } = useLang()
  const [year, years, setYear] = useYear()
  const [rate, setRate] = useState<string | null>(null)
  const [level, setLevel] = useState<string | null>(null)
  const [sort, setSort] = useState('unit_name')
  const [typed, setTyped] = useState('')
  const [q, setQ] = useState('')
  const [limit, setLimit] = useState(ROW_STEP)
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 300)
    return () => clearTimeout(timer)
  }, [typed])
  const base = useAsync(() => (year === null ? new Promise<never>(() => undefined) : loadBase(code, year)), [code, year])
  const own = base.data?.own
  const rates = own?.rates ?? []
  const chosen = rate ?? rates.find((r) => r.code === 'citizens_recognized_rate')?.code ?? rates[0]?.code
  const levels = fedLevels(base.data?.childLevel ?? null, code === user.unit)
  const shown = level && levels.includes(level) ? level : levels[0]
  const serverSort = sort === 'rate' ? `-rate:${chosen}` : sort
  // Drilled into a unit below the user's own: the node narrows rows and exports to that unit.
  const scope: Record<string, string> = code !== user.unit ? { parent: code } : {}
  const query = shown && year !== null ? new URLSearchParams({ year: String(year), level: shown, sort: serverSort, q, ...scope }) : null
  useEffect(() => setLimit(ROW_STEP), [query?.toString()])
  const fed = useAsync(
    async () => (query ? { key: query.toString(), ...(await getCachedJSON<FederationRow[]>(`/api/federation/status?${query}`)) } : null),
    [query?.toString()],
  )
  if (base.error) return <ErrorBox error={base.error} onRetry={base.reload} />
  if (!base.data || !own) return <p>{t('loading')}</p>
  const kept = fedRows(fed.data?.data ?? [], code, user.unit)
  const rows = sort === 'unit_name' ? byName(kept, lang) : kept
  const bars = levelBars(rows, t)
  const page = drawn(rows, limit)
  // Busy until the rows shown answer the current level, sort and (debounced) filter.
  const busy = fed.data?.key !== query?.toString() || typed.trim() !== q
  const staleAt = base.data.staleAt ?? (fed.data?.stale ? fed.data.at : null)
  const label = (r: { label_vi: string; label_en: string }) => (lang === 'vi' ? r.label_vi : r.label_en)
  const q0 = encodeURIComponent(code)
  const exportPath = (format: string) => (query ? `/api/federation/status?${query}&format=${format}` : '')
  return (
    <section>
      <h1>{own.unit.name}</h1>
      <YearSelect year={year!} years={years} onChange={setYear} />
      <StaleNote at={staleAt} />
      <details class="card">
        <summary>{t('totals')}: {own.completeness.villages_reported}/{own.completeness.villages_total} {t('reported').toLowerCase()}</summary>
        <dl class="rates">
          {own.rates.map((r) => <div key={r.code}><dt>{label(r)}</dt><dd>{pct(lang, r.value)}</dd></div>)}
        </dl>
        <LevelSummary status={own} />
        {own.evaluation && <p><a href={`#/assess/${own.unit.code}`}>{t('open_assess')}</a></p>}
      </details>
      {!shown ? <p>{t('no_children')}</p> : (
        <>
          <div class="controls">
            <label class="block wide">{t('filter')}
              <input type="search" value={typed} autoComplete="off" onInput={(e) => setTyped((e.target as HTMLInputElement).value)} />
            </label>
            {levels.length > 1 && (
              <label class="block">{t('fed_level')}
                <select value={shown} onChange={(e) => setLevel((e.target as HTMLSelectElement).value)}>
                  {levels.map((l) => <option key={l} value={l}>{t(`lvl_${l}` as Key)}</option>)}
                </select>
              </label>
            )}
            <label class={levels.length > 1 ? 'block' : 'block wide'}>{t('sort_by')}
              <select value={sort} onChange={(e) => setSort((e.target as HTMLSelectElement).value)}>
                {SORTS.map(([v, k]) => <option key={v} value={v}>{t(k)}</option>)}
              </select>
            </label>
            {rates.length > 0 && (
              <label class="block wide">{t('rate_shown')}
                <select value={chosen} onChange={(e) => setRate((e.target as HTMLSelectElement).value)}>
                  {rates.map((r) => <option key={r.code} value={r.code}>{label(r)}</option>)}
                </select>
              </label>
            )}
          </div>
          {fed.error ? <ErrorBox error={fed.error} onRetry={fed.reload} /> : !fed.data ? <p>{t('loading')}</p> : (
            <>
              <p class="muted small" role="status" aria-busy={busy}>{rows.length ? t('n_units', { n: formatNumber(lang, rows.length) }) : t('no_match')}</p>
              {rows.length > 0 && <p class="scroll-cue" aria-hidden="true">{t('scroll_cue')}</p>}
              {rows.length > 0 && (
                <div class="table-wrap fed-wrap" aria-busy={busy}>
                  <table class="status fed">
                    <thead>
                      <tr>
                        <th scope="col">{t('unit')}</th>
                        <th scope="col" class="level-cell">{t('level_col')}<span class="sr">: {t('col_levels')}</span></th>
                        <th scope="col">{t('col_reported')}</th>
                        <th scope="col">%</th>
                        <th scope="col" class="tl-cell">{t('timeliness')}</th>
                        <th scope="col" class="sync-cell">{t('col_sync')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {page.rows.map((r) => (
                        <tr key={r.unit}>
                          <th scope="row">
                            <a href="#" onClick={(e) => { e.preventDefault(); onOpen({ code: r.unit, name: r.unit_name, level: r.level, parent_code: r.parent, retired: false }) }}>{r.unit_name}</a>
                          </th>
                          <LevelCell row={r} t={t} />
                          <td>
                            {pct(lang, r.completeness)}
                            {!!r.villages_total && <span class="sub nowrap">{formatNumber(lang, r.villages_reported ?? 0)}/{formatNumber(lang, r.villages_total)}</span>}
                          </td>
                          <td>{pct(lang, chosen ? r.rates?.[chosen] : null)}</td>
                          <td class="tl-cell"><TimelinessPill status={r.timeliness ?? 'missing'} /></td>
                          <SyncCell row={r} />
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              {page.more > 0 && (
                <button type="button" class="secondary" onClick={() => setLimit(limit + ROW_STEP)}>
                  {t('show_more', { n: formatNumber(lang, Math.min(ROW_STEP, page.more)), left: formatNumber(lang, page.more) })}
                </button>
              )}
              {bars && <BarChart bars={bars} title={t('levels_chart')} />}
            </>
          )}
          <Downloads title={t('reports')} items={[
            { label: t('download_csv'), path: exportPath('csv'), fallback: `xhht-${shown}-${year}.csv` },
            { label: t('download_xlsx'), path: exportPath('xlsx'), fallback: `xhht-${shown}-${year}.xlsx` },
            { label: t('rep_units'), path: `/api/units/${q0}/reports/units-summary.xlsx?year=${year}`, fallback: `tong-hop-don-vi-${code}-${year}.xlsx` },
          ]} />
        </>
      )}
    </section>
  )
}
