// The queue the user can see: each submission pending, sent or rejected with the server's reason.
import { useEffect, useState } from 'preact/hooks'
import { REQUEST_TIMEOUT_MS } from '../api'
import { getCached } from '../db'
import { formatNumber, formatTime, useLang, type Key } from '../i18n'
import { formatDuration } from '../numbers'
import { flushOutbox, forgetAnswered, listOutbox, onOutboxChange, reopenRejected } from '../outbox'
import type { Framework, OutboxItem, TallyField } from '../types'
import { StatusBadge } from '../components/common'

/** names: village code → name, for the villages this user reports for; username: whose outbox this is. */
export function OutboxScreen({ onCorrect, names = {}, username }: { onCorrect: (year: number) => void; names?: Record<string, string>; username?: string }) {
  const { t } = useLang()
  const [items, setItems] = useState<OutboxItem[] | null>(null)
  const [fields, setFields] = useState<TallyField[]>([])
  const refresh = () => void listOutbox(username ?? null).then(setItems)
  useEffect(() => {
    refresh()
    void getCached<Framework>('/api/framework').then((c) => setFields(c?.data.tally.fields ?? []))
    return onOutboxChange(refresh)
  }, [username])
  if (!items) return <p>{t('loading')}</p>
  const pending = items.some((i) => i.state === 'pending')
  return (
    <section>
      <h1>{t('nav_outbox')}</h1>
      {pending && (
        <button type="button" class="primary" onClick={() => void flushOutbox({ force: true }).then(refresh)}>
          {t('send_now')}
        </button>
      )}
      {items.length === 0 && <p>{t('outbox_empty')}</p>}
      <ul class="cards" aria-live="polite">
        {items.map((item) => (
          <OutboxCard key={item.client_uuid} item={item} fields={fields} village={names[item.village] ?? item.village}
            onCorrect={() => void reopenRejected(item.client_uuid).then(() => onCorrect(item.year))}
            onRemove={() => void forgetAnswered(item.client_uuid).then(refresh)} />
        ))}
      </ul>
    </section>
  )
}

interface CardProps {
  item: OutboxItem
  fields: TallyField[]
  village: string
  onCorrect: () => void
  onRemove: () => void
}

/** Why a pending item is still waiting, in words (durations stated, not "a while"). */
function waitReason(item: OutboxItem, t: (k: Key, v?: Record<string, string | number>) => string, lang: 'vi' | 'en'): string {
  const why = item.last_error ?? ''
  if (why === 'timeout') return t('why_timeout', { s: formatDuration(lang, REQUEST_TIMEOUT_MS / 1000) })
  if (why.startsWith('http_')) return t('why_http', { c: why.slice(5) })
  const known = ['network', 'not_a_receipt', 'other_item', 'other_content', 'login']
  return known.includes(why) ? t(`why_${why}` as Key) : ''
}

/** Every figure of the submission, in the framework's order, as the user typed it. */
function Figures({ item, fields }: { item: OutboxItem; fields: TallyField[] }) {
  const { t, lang, pick } = useLang()
  const known = new Set(fields.map((f) => f.code))
  const rows: [string, string][] = [
    ...fields.filter((f) => f.code in item.values).map((f): [string, string] => [
      pick(f.label),
      f.kind === 'yes_no' ? t(item.values[f.code] ? 'yes' : 'no') : formatNumber(lang, item.values[f.code]),
    ]),
    ...Object.entries(item.values).filter(([code]) => !known.has(code)).map(([code, v]): [string, string] => [code, formatNumber(lang, v)]),
  ]
  return (
    <dl class="figures" aria-label={t('figures')}>
      {rows.map(([label, value]) => <div key={label}><dt>{label}</dt><dd>{value}</dd></div>)}
    </dl>
  )
}

function OutboxCard({ item, fields, village, onCorrect, onRemove }: CardProps) {
  const { t, lang, pick } = useLang()
  const p = item.problem
  const byCode = Object.fromEntries(fields.map((f) => [f.code, f.label]))
  const label = (code: string) => (byCode[code] ? pick(byCode[code]) : code)
  return (
    <li class={`card outbox-item state-${item.state}`} data-uuid={item.client_uuid} data-state={item.state}>
      <div class="row">
        <strong>{village} · {item.year}</strong>
        <StatusBadge status={item.state} />
      </div>
      <p class="muted">{formatTime(lang, item.created_at)}</p>
      {item.state === 'pending' && item.attempts > 0 && (
        <p class="wait-reason" role="status">
          {waitReason(item, t, lang)}{waitReason(item, t, lang) ? '. ' : ''}
          {t('next_try', { n: item.attempts, t: formatTime(lang, item.next_try_at) })}
        </p>
      )}
      <Figures item={item} fields={fields} />
      {item.state === 'sent' && item.receipt && (
        <>
          <p>{t('receipt', { t: formatTime(lang, item.receipt.received_at), r: item.receipt.revision })}</p>
          {(item.receipt.flags ?? []).length > 0 && (
            <ul class="flags" aria-label={t('flags')}>
              {item.receipt.flags!.map((f) => (
                <li key={f.field}>{label(f.field)}: {lang === 'vi' ? f.message_vi : f.message_en}</li>
              ))}
            </ul>
          )}
        </>
      )}
      {item.state === 'rejected' && p && (
        <div class="reason" role="alert">
          <p>{(lang === 'vi' ? p.message_vi : p.message_en) || p.title}</p>
          {(p.errors ?? []).length > 0 && (
            <ul>
              {p.errors!.map((e) => (
                <li key={e.field + e.code}>{label(e.field)}: {lang === 'vi' ? e.message_vi : e.message_en}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div class="actions">
        {item.state === 'rejected' && <button type="button" class="primary" onClick={onCorrect}>{t('correct_resend')}</button>}
        {item.state !== 'pending' && <button type="button" class="secondary" onClick={onRemove}>{t('remove')}</button>}
      </div>
    </li>
  )
}
