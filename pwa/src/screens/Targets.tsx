// Planners: upload a targets/roadmap CSV, see every row and the roadmap warnings by unit name, then save; or enter one target.
import '../onboard.css'
import { useState } from 'preact/hooks'
import { useLang } from '../i18n'
import { importTargets, listTargets, previewTargets, putTarget, roadmapCheck, type RoadmapProblemView, type TargetsPreview } from '../onboard-api'
import { useOnboardText } from '../onboard-i18n'
import type { UserInfo } from '../types'
import { ErrorBox, useAsync } from '../components/common'

function Warnings({ items }: { items: RoadmapProblemView[] }) {
  const o = useOnboardText()
  const { lang } = useLang()
  return (
    <section class="card" aria-live="polite" data-testid="roadmap-warnings">
      <h2>{o('warnings')}</h2>
      {items.length === 0 ? <p>{o('no_warnings')}</p> : (
        <ul>{items.map((w) => <li key={`${w.unit}-${w.year}-${w.indicator}`} class="msg error">{lang === 'vi' ? w.message_vi : w.message_en}</li>)}</ul>
      )}
    </section>
  )
}

export function TargetsScreen({ user }: { user: UserInfo }) {
  const o = useOnboardText()
  const { lang } = useLang()
  const [text, setText] = useState<string | null>(null)
  const [preview, setPreview] = useState<TargetsPreview | null>(null)
  const [saved, setSaved] = useState<number | null>(null)
  const [error, setError] = useState<unknown>(null)
  const check = useAsync(() => roadmapCheck(user.unit), [user.unit, saved])
  const pick = async (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0]
    if (!file) return
    setError(null)
    setSaved(null)
    try {
      const content = await file.text()
      setText(content)
      setPreview(await previewTargets(content))
    } catch (err) {
      setError(err)
    }
  }
  const save = async () => {
    if (!text) return
    try {
      setSaved((await importTargets(text)).imported)
      setPreview(null)
    } catch (err) {
      setError(err)
    }
  }
  return (
    <section class="targets">
      <h1>{o('targets_title')}</h1>
      <section class="card upload">
        <p class="help">{o('targets_help')}</p>
        <label class="file-input">{o('choose_csv')}<input type="file" accept=".csv,text/csv" onChange={pick} data-testid="targets-csv" /></label>
        {error ? <ErrorBox error={error} /> : null}
        {saved !== null && <p role="status">{o('saved_targets', { n: saved })}</p>}
        {preview && (
          <>
            <p role="status">{o('rows_ok', { v: preview.valid, i: preview.invalid })}</p>
            <Warnings items={preview.warnings} />
            {preview.invalid === 0 && preview.valid > 0 && <button type="button" class="primary" onClick={save}>{o('save_targets', { n: preview.valid })}</button>}
            <div class="table-wrap">
              <table class="import-preview">
                <thead><tr><th>{o('col_line')}</th><th>{o('col_unit')}</th><th>{o('col_year')}</th><th>{o('col_level')}</th><th>{o('col_problem')}</th></tr></thead>
                <tbody>
                  {preview.rows.map((r) => (
                    <tr key={r.line} class={r.errors?.length ? 'behind' : ''}>
                      <td>{r.line}</td><td>{r.unit_name || r.unit_code}</td><td>{r.year ?? ''}</td><td>{r.target_level ?? ''}</td>
                      <td>{(r.errors ?? []).map((e) => <div key={e.field} class="small">{lang === 'vi' ? e.message_vi : e.message_en}</div>)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
      {!preview && check.data && <Warnings items={check.data} />}
      <ManualTarget user={user} onSaved={() => setSaved(0)} />
    </section>
  )
}

function ManualTarget({ user, onSaved }: { user: UserInfo; onSaved: () => void }) {
  const o = useOnboardText()
  const [unit, setUnit] = useState(user.unit)
  const [year, setYear] = useState(new Date().getFullYear())
  const [level, setLevel] = useState('1')
  const [error, setError] = useState<unknown>(null)
  const [tick, setTick] = useState(0)
  const stored = useAsync(() => listTargets(user.unit), [user.unit, tick])
  const submit = async (e: Event) => {
    e.preventDefault()
    setError(null)
    try {
      await putTarget(unit.trim(), year, level === '' ? null : Number(level), {})
      setTick(tick + 1)
      onSaved()
    } catch (err) {
      setError(err)
    }
  }
  return (
    <details class="card">
      <summary>{o('manual')}</summary>
      <form onSubmit={submit}>
        <label>{o('unit_code')}<input required value={unit} onInput={(e) => setUnit((e.target as HTMLInputElement).value)} /></label>
        <label>{o('col_year')}<input type="number" required value={year} onInput={(e) => setYear(Number((e.target as HTMLInputElement).value))} /></label>
        <label>{o('target_level')}<input type="number" min={0} max={10} value={level} onInput={(e) => setLevel((e.target as HTMLInputElement).value)} /></label>
        {error ? <ErrorBox error={error} /> : null}
        <button type="submit" class="primary">{o('save')}</button>
      </form>
      {stored.data && stored.data.length > 0 && (
        <>
          <h3>{o('stored_targets')}</h3>
          <ul class="small">{stored.data.map((t) => <li key={`${t.unit}-${t.year}`}>{t.unit} · {t.year} · {o('col_level')} {t.target_level ?? '—'}</li>)}</ul>
        </>
      )}
    </details>
  )
}
