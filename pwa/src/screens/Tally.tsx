// The village tally form, generated from the cached framework; drafts autosave; submit queues it.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { getCachedJSON } from '../api'
import { getDraft, saveDraft } from '../db'
import { loadFramework } from '../framework'
import { useLang } from '../i18n'
import { flushOutbox, submitDraft } from '../outbox'
import { checkTally, isJump, typingErrors } from '../rules'
import { requestBackgroundSync } from '../sync'
import type { Framework, Tally } from '../types'
import { FieldInput } from '../components/FieldInput'
import { ErrorBox, StatusBadge, YearSelect, recentYears, useAsync } from '../components/common'

interface Loaded {
  framework: Framework | null
  previous: Record<string, number> | null
  current: Tally | null
  draft: Record<string, string>
}

async function tallyOf(village: string, year: number): Promise<Tally | null> {
  try {
    const { data } = await getCachedJSON<Tally[]>(`/api/tallies?unit=${encodeURIComponent(village)}&year=${year}`)
    return data.find((x) => x.village === village) ?? null
  } catch {
    return null // no figures to show is not an error for the form
  }
}

async function loadAll(village: string, year: number): Promise<Loaded> {
  const [framework, prev, current, draft] = await Promise.all([
    loadFramework(), tallyOf(village, year - 1), tallyOf(village, year), getDraft(village, year),
  ])
  return { framework, previous: prev?.values ?? null, current, draft: draft?.values ?? {} }
}

interface ScreenProps {
  village: string
  initialYear?: number
  onQueued: () => void
}

export function TallyScreen({ village, initialYear, onQueued }: ScreenProps) {
  const { t, pick } = useLang()
  const [year, setYear] = useState(initialYear ?? recentYears()[0])
  const years = recentYears().includes(year) ? recentYears() : [year, ...recentYears()]
  const loaded = useAsync(() => loadAll(village, year), [village, year])
  if (loaded.loading && !loaded.data) return <p>{t('loading')}</p>
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
  const { t } = useLang()
  const framework = data.framework!
  const spec = framework.tally
  const [raw, setRaw] = useState<Record<string, string>>(data.draft)
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

  const fill = () => {
    const values = data.current?.values ?? {}
    change(() => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])))
  }

  const errorCount = Object.keys(shown).length
  return (
    <form onSubmit={onSubmit} noValidate>
      {data.current && Object.keys(raw).length === 0 && (
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
