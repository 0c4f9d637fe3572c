// The village tally form, generated from the cached framework; drafts autosave; submit queues it.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { getCachedJSON } from '../api'
import { getDraft, saveDraft } from '../db'
import { loadFramework } from '../framework'
import { formatTime, useLang } from '../i18n'
import { flushOutbox, listOutbox, submitDraft } from '../outbox'
import { groupDigits } from '../numbers'
import { checkTally, isJump, typingErrors } from '../rules'
import { requestBackgroundSync } from '../sync'
import type { Framework, OutboxItem, Tally } from '../types'
import { FieldInput } from '../components/FieldInput'
import { ErrorBox, StatusBadge, YearSelect, useAsync, useYear } from '../components/common'

/** Where the figures the form opens with come from. */
type Origin = 'draft' | 'queued' | 'sent' | 'empty'

interface Loaded {
  framework: Framework | null
  previous: Record<string, number> | null
  current: Tally | null
  /** The newest submission for this village and year still waiting in the outbox. */
  queued: OutboxItem | null
  draft: Record<string, string> | null
}

/** Figures as the form shows them: whole numbers grouped by dots, yes/no as 1/0. */
export const asInputs = (values: Record<string, number>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, groupDigits(v)]))

/** The form opens on the draft, else what waits in the outbox, else the figures the node holds. */
export function opening(data: Loaded): [Origin, Record<string, string>] {
  if (data.draft && Object.keys(data.draft).length) return ['draft', data.draft]
  if (data.queued) return ['queued', asInputs(data.queued.values)]
  if (data.current) return ['sent', asInputs(data.current.values)]
  return ['empty', {}]
}

async function tallyOf(village: string, year: number): Promise<Tally | null> {
  try {
    const { data } = await getCachedJSON<Tally[]>(`/api/tallies?unit=${encodeURIComponent(village)}&year=${year}`)
    return data.find((x) => x.village === village) ?? null
  } catch {
    return null // no figures to show is not an error for the form
  }
}

async function queuedFor(village: string, year: number): Promise<OutboxItem | null> {
  const items = await listOutbox()
  return items.find((i) => i.village === village && i.year === year && i.state === 'pending') ?? null
}

async function loadAll(village: string, year: number): Promise<Loaded> {
  const [framework, prev, current, draft, queued] = await Promise.all([
    loadFramework(), tallyOf(village, year - 1), tallyOf(village, year), getDraft(village, year), queuedFor(village, year),
  ])
  return { framework, previous: prev?.values ?? null, current, queued, draft: draft?.values ?? null }
}

interface ScreenProps {
  village: string
  initialYear?: number
  onQueued: () => void
}

export function TallyScreen({ village, initialYear, onQueued }: ScreenProps) {
  const { t, pick } = useLang()
  const [year, years, setYear] = useYear(initialYear)
  const loaded = useAsync(() => (year === null ? new Promise<never>(() => undefined) : loadAll(village, year)), [village, year])
  if (year === null || (loaded.loading && !loaded.data)) return <p>{t('loading')}</p>
  if (loaded.error) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />
  const data = loaded.data!
  if (!data.framework) return <p class="error-box" role="alert">{t('no_framework')}</p>
  return (
    <section>
      <h1>{t('tally_title')}</h1>
      <p class="muted">{pick(data.framework.title)}</p>
      <YearSelect year={year} years={years} onChange={setYear} />
      {data.current && (
        <div class="note" role="status">
          {t('current_status', { y: year })}{' '}
          <StatusBadge status={data.current.status as 'submitted'} />
          {data.current.review_reason && <p>{t('return_reason')}: {data.current.review_reason}</p>}
        </div>
      )}
      <TallyForm key={`${village}|${year}`} village={village} year={year} data={data} onQueued={onQueued} />
    </section>
  )
}

interface FormProps {
  village: string
  year: number
  data: Loaded
  onQueued: () => void
}

function TallyForm({ village, year, data, onQueued }: FormProps) {
  const { t, lang } = useLang()
  const framework = data.framework!
  const spec = framework.tally
  const [origin, initial] = opening(data)
  const [raw, setRaw] = useState<Record<string, string>>(initial)
  const [edited, setEdited] = useState(false)
  const [tried, setTried] = useState(false)
  const [saved, setSaved] = useState(false)
  const timer = useRef<ReturnType<typeof setTimeout>>()
  const latest = useRef(raw)
  latest.current = raw
  const result = useMemo(() => checkTally(spec, raw), [spec, raw])
  const shown = tried ? result.errors : typingErrors(result)
  const jump = spec.jump_flag ?? { ratio: 10, minimum_previous: 5 }

  const persist = () => saveDraft(village, year, latest.current).then(() => setSaved(true))
  useEffect(() => {
    const onHide = () => document.visibilityState === 'hidden' && void persist()
    document.addEventListener('visibilitychange', onHide)
    return () => {
      document.removeEventListener('visibilitychange', onHide)
      clearTimeout(timer.current)
    }
  }, [])

  const change = (next: (r: Record<string, string>) => Record<string, string>) => {
    setRaw(next)
    setEdited(true)
    setSaved(false)
    clearTimeout(timer.current)
    timer.current = setTimeout(() => void persist(), 300)
  }
  const onInput = (code: string, value: string) => change((r) => ({ ...r, [code]: value }))

  const onSubmit = async (e: Event) => {
    e.preventDefault()
    setTried(true)
    const bad = spec.fields.find((f) => result.errors[f.code])
    if (bad) {
      document.getElementById(`f-${bad.code}`)?.focus()
      return
    }
    clearTimeout(timer.current)
    await submitDraft(village, year, result.values, framework.version)
    void requestBackgroundSync()
    void flushOutbox({ force: true })
    onQueued()
  }

  const fill = () => change(() => asInputs(data.current?.values ?? {}))

  const errorCount = Object.keys(shown).length
  return (
    <form onSubmit={onSubmit} noValidate>
      {!edited && origin === 'sent' && data.current && (
        <p class="note shown-sent" role="status">{t('shown_sent', { t: formatTime(lang, data.current.received_at) })}</p>
      )}
      {!edited && origin === 'queued' && <p class="note shown-sent" role="status">{t('shown_queued')}</p>}
      {data.current && origin === 'draft' && (
        <button type="button" class="secondary" onClick={fill}>{t('use_sent')}</button>
      )}
      {spec.groups.map((group) => {
        const fields = spec.fields.filter((f) => (f.group ?? 'general') === group.code)
        return fields.length ? (
          <GroupBox key={group.code} label={group.label}>
            {fields.map((f) => {
              const prev = data.previous?.[f.code]
              const cur = result.values[f.code]
              return (
                <FieldInput key={f.code} field={f} raw={raw[f.code] ?? ''} previous={prev} error={shown[f.code]}
                  jump={prev !== undefined && cur !== undefined && isJump(jump.ratio ?? 10, jump.minimum_previous ?? 5, prev, cur)}
                  onInput={onInput} />
              )
            })}
          </GroupBox>
        ) : null
      })}
      <div class="submit-bar">
        {tried && errorCount > 0 && <p class="msg error" role="alert">{t('fix_errors', { n: errorCount })}</p>}
        <p class="muted" aria-live="polite">{saved ? t('draft_saved') : '\u00a0'}</p>
        <button type="submit" class="primary">{t('submit')}</button>
      </div>
    </form>
  )
}

function GroupBox({ label, children }: { label: { vi: string; en: string }; children: preact.ComponentChildren }) {
  const { pick } = useLang()
  return (
    <fieldset class="group">
      <legend>{pick(label)}</legend>
      {children}
    </fieldset>
  )
}
