// Bulk onboarding: pick a CSV, see every row judged by the node, then create all (or only the valid rows).
import { useState } from 'preact/hooks'
import { useLang } from '../i18n'
import { importUsers, type ImportReport } from '../onboard-api'
import { useOnboardText } from '../onboard-i18n'
import { ErrorBox } from './common'

const grouped = (code: string) => (code ? `${code.slice(0, 3)} ${code.slice(3, 6)} ${code.slice(6)}` : '')

export function UserImport({ onDone }: { onDone: () => void }) {
  const o = useOnboardText()
  const { lang } = useLang()
  const [text, setText] = useState<string | null>(null)
  const [report, setReport] = useState<ImportReport | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const run = async (work: () => Promise<ImportReport>) => {
    setBusy(true)
    setError(null)
    try {
      setReport(await work())
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }
  const pick = async (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0]
    if (!file) return
    const content = await file.text()
    setText(content)
    await run(() => importUsers(content, 'preview'))
  }
  const commit = (mode: 'all' | 'valid') => text && run(async () => {
    const done = await importUsers(text, mode)
    onDone()
    return done
  })
  return (
    <section class="card upload">
      <h2>{o('import_title')}</h2>
      <p class="help">{o('import_help')}</p>
      <label class="file-input">{o('choose_csv')}<input type="file" accept=".csv,text/csv" onChange={pick} data-testid="users-csv" /></label>
      {error ? <ErrorBox error={error} /> : null}
      {report && (
        <>
          <p role="status">{report.committed ? o('created_n', { n: report.created }) : o('rows_ok', { v: report.valid, i: report.invalid })}</p>
          <div class="table-wrap">
            <table class="import-preview">
              <thead><tr><th>{o('col_line')}</th><th>{o('col_village')}</th><th>{o('full_name')}</th><th>{report.committed ? o('col_code') : o('col_problem')}</th></tr></thead>
              <tbody>
                {report.rows.map((r) => (
                  <tr key={r.line} class={r.errors?.length ? 'behind' : ''}>
                    <td>{r.line}</td>
                    <td>{r.village_name || r.village}<br /><span class="muted small">{r.username}</span></td>
                    <td>{r.full_name}</td>
                    <td>{r.code ? <strong class="nowrap">{grouped(r.code)}</strong> : (r.errors ?? []).map((e) => <div key={e.code} class="msg error small">{lang === 'vi' ? e.message_vi : e.message_en}</div>)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {!report.committed && report.valid > 0 && (
            <p class="actions">
              {report.invalid === 0
                ? <button type="button" class="primary" disabled={busy} onClick={() => commit('all')}>{o('create_all', { n: report.valid })}</button>
                : <button type="button" class="secondary" disabled={busy} onClick={() => commit('valid')}>{o('create_valid', { n: report.valid })}</button>}
            </p>
          )}
        </>
      )}
    </section>
  )
}
