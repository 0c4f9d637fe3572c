// The queue the user can see: each submission pending, sent or rejected with the server's reason.
import { useEffect, useState } from 'preact/hooks'
import { getCached } from '../db'
import { formatTime, useLang } from '../i18n'
import { flushOutbox, forgetAnswered, listOutbox, onOutboxChange, reopenRejected } from '../outbox'
import type { Framework, OutboxItem } from '../types'
import { StatusBadge } from '../components/common'

/** names: village code → name, for the villages this user reports for. */
export function OutboxScreen({ onCorrect, names = {} }: { onCorrect: (year: number) => void; names?: Record<string, string> }) {
  const { t } = useLang()
  const [items, setItems] = useState<OutboxItem[] | null>(null)
  const [labels, setLabels] = useState<Record<string, { vi: string; en: string }>>({})
  const refresh = () => void listOutbox().then(setItems)
  useEffect(() => {
    refresh()
    void getCached<Framework>('/api/framework').then((c) =>
      setLabels(Object.fromEntries((c?.data.tally.fields ?? []).map((f) => [f.code, f.label]))),
    )
    return onOutboxChange(refresh)
  }, [])
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
          <OutboxCard key={item.client_uuid} item={item} labels={labels} village={names[item.village] ?? item.village}
            onCorrect={() => void reopenRejected(item.client_uuid).then(() => onCorrect(item.year))}
            onRemove={() => void forgetAnswered(item.client_uuid).then(refresh)} />
        ))}
      </ul>
    </section>
  )
}

interface CardProps {
  item: OutboxItem
  labels: Record<string, { vi: string; en: string }>
  village: string
  onCorrect: () => void
  onRemove: () => void
}

function OutboxCard({ item, labels, village, onCorrect, onRemove }: CardProps) {
  const { t, lang, pick } = useLang()
  const p = item.problem
  const label = (code: string) => (labels[code] ? pick(labels[code]) : code)
  return (
    <li class={`card outbox-item state-${item.state}`} data-uuid={item.client_uuid} data-state={item.state}>
      <div class="row">
        <strong>{village} · {item.year}</strong>
        <StatusBadge status={item.state} />
      </div>
      <p class="muted">{formatTime(lang, item.created_at)}</p>
      {item.state === 'pending' && item.attempts > 0 && (
        <p class="muted">
          {item.last_error === 'network' ? `${t('waiting_network')}. ` : ''}
          {t('attempts', { n: item.attempts, t: formatTime(lang, item.next_try_at) })}
        </p>
      )}
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
