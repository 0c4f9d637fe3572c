// The recognition dossier: its state and history, claimed level, deadlines; submit for the unit, review for the recogniser.
import { useRef, useState } from 'preact/hooks'
import { NetworkError, postJSON } from '../api'
import { allowedActions, dossierStateKey, eventKey, dossierTone, formatDate, levelChoices, timelinessLabel, todayInVietnam, type DossierAction } from '../dossier'
import { formatTime, useLang } from '../i18n'
import type { Dossier, TimelinessItem, UnitStatus, UserInfo } from '../types'
import { ErrorBox, useOnline } from './common'

interface Props {
  dossier: Dossier
  status: UnitStatus
  user: UserInfo
  /** False when the data shown is an offline copy: actions need the node. */
  live: boolean
  onChanged: () => void
}

const SYMBOL = { neutral: '✎', info: '⧗', ok: '✓', bad: '↩' } as const

export function DossierState({ dossier }: { dossier: Pick<Dossier, 'status' | 'status_label'> }) {
  const { t, pick } = useLang()
  const key = dossierStateKey(dossier.status)
  const tone = dossierTone(dossier.status)
  return (
    <span class={`badge ds-${tone}`} data-status={dossier.status}>
      <span aria-hidden="true">{SYMBOL[tone]} </span>
      {key ? t(key) : pick(dossier.status_label)}
    </span>
  )
}

export function TimelinessPill({ status }: { status: string }) {
  const { t } = useLang()
  const l = timelinessLabel(status)
  return <span class={`pill tl-${l.tone}`}><span aria-hidden="true">{l.symbol} </span>{t(l.key)}</span>
}

function Deadlines({ items }: { items: TimelinessItem[] }) {
  const { t, lang, pick } = useLang()
  if (!items.length) return null
  return (
    <ul class="deadlines">
      {items.map((i) => (
        <li key={i.step} data-tracks={i.tracks}>
          <span>{pick(i.label)}</span>
          <span class="nowrap">{t('ds_deadline', { d: formatDate(lang, i.deadline) })} · <TimelinessPill status={i.status} /></span>
        </li>
      ))}
    </ul>
  )
}

function History({ dossier }: { dossier: Dossier }) {
  const { t, lang } = useLang()
  const events = dossier.history ?? []
  return (
    <details class="history">
      <summary>{t('ds_history')} ({events.length})</summary>
      {events.length ? (
        <ol>
          {events.map((e, i) => (
            <li key={i}>
              {t('ds_event', { t: formatTime(lang, e.at), u: e.actor, a: eventKey(e.action) ? t(eventKey(e.action)!) : e.action })}
              {' → '}<DossierState dossier={{ status: e.to_status, status_label: { vi: e.to_status, en: e.to_status } }} />
              {e.reason && <p class="reason">{e.reason}</p>}
            </li>
          ))}
        </ol>
      ) : <p class="muted">{t('ds_no_history')}</p>}
    </details>
  )
}

export function DossierPanel({ dossier, status, user, live, onChanged }: Props) {
  const { t, lang } = useLang()
  const online = useOnline()
  const ev = status.evaluation
  const max = ev?.max_level ?? 1
  const computed = ev?.level_reached ?? 0
  const actions = allowedActions(user, dossier)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [form, setForm] = useState<'return' | 'recognise' | null>(null)
  const [done, setDone] = useState('')
  const dialog = useRef<HTMLDialogElement>(null)
  const [confirming, setConfirming] = useState(false)
  const [claim, setClaim] = useState('')
  const [reason, setReason] = useState('')
  const [rec, setRec] = useState({ level: String(Math.max(1, dossier.claimed_level ?? computed)), decision_no: '', decided_on: todayInVietnam(), signer: '' })

  const act = async (action: DossierAction, body?: unknown) => {
    setError(null)
    setDone('')
    if (!navigator.onLine) return setError(new Error(t('action_offline')))
    setBusy(true)
    try {
      const next = await postJSON<Dossier>(`/api/units/${encodeURIComponent(dossier.unit)}/dossier/${dossier.year}/${action}`, body ?? {})
      dialog.current?.close()
      setForm(null)
      setDone(t('done_action', { s: t(dossierStateKey(next.status) ?? 'ds_draft') }))
      onChanged()
    } catch (e) {
      setError(e instanceof NetworkError ? new Error(t('action_offline')) : e)
    } finally {
      setBusy(false)
    }
  }
  const returnIt = (e: Event) => {
    e.preventDefault()
    if (!reason.trim()) return setError(new Error(t('reason_needed')))
    void act('return', { reason: reason.trim() })
  }
  const recognise = (e: Event) => {
    e.preventDefault()
    if (!rec.decision_no.trim() || !rec.signer.trim() || !rec.decided_on) return setError(new Error(t('fill_all')))
    void act('recognise', { level: Number(rec.level), decision_no: rec.decision_no.trim(), decided_on: rec.decided_on, signer: rec.signer.trim() })
  }
  const disabled = busy || !online || !live
  const r = dossier.recognition
  return (
    <section class="dossier" aria-labelledby="dossier-h">
      <h2 id="dossier-h">{t('dossier')}</h2>
      <p class="ds-state">{t('ds_status')}: <DossierState dossier={dossier} /></p>
      <dl class="facts">
        <div><dt>{t('ds_computed')}</dt><dd>{computed ? t('level_n', { n: computed }) : t('level_none')}</dd></div>
        <div><dt>{t('ds_claimed')}</dt><dd>{dossier.claimed_level ? t('level_n', { n: dossier.claimed_level }) : '—'}</dd></div>
      </dl>
      {dossier.status === 'returned' && dossier.return_reason && <p class="reason" role="note">{t('ds_return_reason', { r: dossier.return_reason })}</p>}
      {r && <p class="decision">{t('ds_decision', { n: r.decision_no, d: formatDate(lang, r.decided_on), s: r.signer, l: r.level })}</p>}
      <Deadlines items={status.timeliness ?? []} />
      <History dossier={dossier} />
      {actions.length > 0 && (
        <div class="actions">
          {actions.includes('submit') && <button type="button" class="primary" disabled={disabled} onClick={() => { setError(null); setConfirming(true); dialog.current?.showModal() }}>{t('act_submit')}</button>}
          {actions.includes('open') && <button type="button" class="primary" disabled={disabled} onClick={() => act('open')}>{t('act_open')}</button>}
          {actions.includes('recognise') && <button type="button" class="secondary" aria-expanded={form === 'recognise'} disabled={disabled} onClick={() => setForm(form === 'recognise' ? null : 'recognise')}>{t('act_recognise')}</button>}
          {actions.includes('return') && <button type="button" class="secondary" aria-expanded={form === 'return'} disabled={disabled} onClick={() => setForm(form === 'return' ? null : 'return')}>{t('act_return')}</button>}
        </div>
      )}
      {actions.length > 0 && (!online || !live) && <p class="msg warn">{t('action_offline')}</p>}
      {form === 'return' && (
        <form class="ds-form" onSubmit={returnIt} noValidate>
          <label for="ds-reason">{t('return_reason_label')}</label>
          <textarea id="ds-reason" rows={3} maxLength={2000} required value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
          <button type="submit" class="danger" disabled={disabled}>{t('act_return')}</button>
        </form>
      )}
      {form === 'recognise' && (
        <form class="ds-form" onSubmit={recognise} noValidate>
          <label for="ds-level">{t('rec_level')}</label>
          <select id="ds-level" value={rec.level} onChange={(e) => setRec({ ...rec, level: (e.target as HTMLSelectElement).value })}>
            {levelChoices(max).map((n) => <option key={n} value={n}>{t('level_n', { n })}</option>)}
          </select>
          {(['decision_no', 'decided_on', 'signer'] as const).map((k) => (
            <div key={k}>
              <label for={`ds-${k}`}>{t(`rec_${k}`)}</label>
              <input id={`ds-${k}`} type={k === 'decided_on' ? 'date' : 'text'} required autoComplete="off" value={rec[k]}
                onInput={(e) => setRec({ ...rec, [k]: (e.target as HTMLInputElement).value })} />
            </div>
          ))}
          <button type="submit" class="primary" disabled={disabled}>{t('act_recognise')}</button>
        </form>
      )}
      <p role="status" class="msg ok">{done}</p>
      {error && !confirming ? <ErrorBox error={error} /> : null}
      <dialog ref={dialog} class="confirm" aria-labelledby="submit-h" onClose={() => setConfirming(false)}>
        <form method="dialog" onSubmit={(e) => { e.preventDefault(); void act('submit', claim ? { claimed_level: Number(claim) } : {}) }}>
          <h2 id="submit-h">{t('submit_confirm_h')}</h2>
          <p>{t('ds_computed')}: <strong>{computed ? t('level_n', { n: computed }) : t('level_none')}</strong></p>
          <p class="muted">{t('submit_confirm')}</p>
          <label for="ds-claim">{t('claim_pick')}</label>
          <select id="ds-claim" value={claim} onChange={(e) => setClaim((e.target as HTMLSelectElement).value)}>
            <option value="">{t('claim_computed', { l: computed ? t('level_n', { n: computed }) : t('level_none') })}</option>
            {levelChoices(max).map((n) => <option key={n} value={n}>{t('level_n', { n })}</option>)}
          </select>
          {error && confirming ? <ErrorBox error={error} /> : null}
          <div class="actions">
            <button type="submit" class="primary" disabled={disabled}>{busy ? t('saving') : t('act_submit')}</button>
            <button type="button" class="secondary" onClick={() => dialog.current?.close()}>{t('cancel')}</button>
          </div>
        </form>
      </dialog>
    </section>
  )
}
