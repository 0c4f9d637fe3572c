// On a unit's page: the recognition decisions it received, and for recognisers a form to record one outside a dossier.
import '../onboard.css'
import { useState } from 'preact/hooks'
import { useLang } from '../i18n'
import { RECOGNISERS, listRecognitions, recordRecognition } from '../onboard-api'
import { useOnboardText } from '../onboard-i18n'
import type { UserInfo } from '../types'
import { ErrorBox, useAsync } from './common'

export function RecognitionsPanel({ code, user }: { code: string; user: UserInfo }) {
  const o = useOnboardText()
  const { lang } = useLang()
  const [tick, setTick] = useState(0)
  const list = useAsync(() => listRecognitions(code), [code, tick])
  const canRecord = RECOGNISERS.includes(user.role) && code !== user.unit
  return (
    <section class="card recognitions">
      <h2>{o('recognitions')}</h2>
      {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      {list.data && (list.data.length === 0 ? <p class="muted">{o('no_recognitions')}</p> : (
        <ul>
          {list.data.map((r) => (
            <li key={r.id}>{r.year} · {o('level')} {r.level} · {r.decision_no} · {new Date(r.decided_on).toLocaleDateString(lang === 'vi' ? 'vi-VN' : 'en-GB')} · {r.signer}</li>
          ))}
        </ul>
      ))}
      {canRecord && <RecordForm code={code} onDone={() => setTick(tick + 1)} />}
    </section>
  )
}

function RecordForm({ code, onDone }: { code: string; onDone: () => void }) {
  const o = useOnboardText()
  const [form, setForm] = useState({ year: String(new Date().getFullYear() - 1), level: '1', decision_no: '', decided_on: '', signer: '' })
  const [error, setError] = useState<unknown>(null)
  const [done, setDone] = useState(false)
  const field = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: (e.target as HTMLInputElement).value })
  const submit = async (e: Event) => {
    e.preventDefault()
    setError(null)
    setDone(false)
    try {
      await recordRecognition(code, { ...form, year: Number(form.year), level: Number(form.level) })
      setDone(true)
      onDone()
    } catch (err) {
      setError(err)
    }
  }
  return (
    <details>
      <summary>{o('record_recognition')}</summary>
      <form onSubmit={submit}>
        <label>{o('col_year')}<input type="number" required value={form.year} onInput={field('year')} /></label>
        <label>{o('level')}<input type="number" min={1} required value={form.level} onInput={field('level')} /></label>
        <label>{o('decision_no')}<input required value={form.decision_no} onInput={field('decision_no')} /></label>
        <label>{o('decided_on')}<input type="date" required value={form.decided_on} onInput={field('decided_on')} /></label>
        <label>{o('signer')}<input required value={form.signer} onInput={field('signer')} /></label>
        {error ? <ErrorBox error={error} /> : null}
        {done && <p role="status">{o('recorded')}</p>}
        <button type="submit" class="primary">{o('record')}</button>
      </form>
    </details>
  )
}
