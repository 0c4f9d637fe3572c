// One answer of the self-assessment: yes/no with evidence, an entered level, or a yearly measure. Online only.
import { useState } from 'preact/hooks'
import { NetworkError, putJSON } from '../api'
import { cleanEvidence, formatNum, levelOptions, parseNumberInput, type Control } from '../assessment'
import { formatTime, useLang } from '../i18n'
import type { AssessmentEntry, AssessmentEntryIn, EvidenceMeta, IndicatorDef } from '../types'
import { ErrorBox, useOnline } from './common'
import { EvidenceItem, EvidenceUpload } from './Evidence'

interface Props {
  control: Exclude<Control, null>
  defs: IndicatorDef[]
  /** The path segment: the indicator code, or the measure code of a previous-year indicator. */
  pathCode: string
  unit: string
  year: number
  entry: AssessmentEntry | undefined
  previous: number | null
  /** Uploaded evidence files of the unit and year, by id (names shown instead of ids). */
  files: Map<string, EvidenceMeta>
  onSaved: () => void
}

export function AnswerForm({ control, defs, pathCode, unit, year, entry, previous, files, onSaved }: Props) {
  const { t, lang, pick } = useLang()
  const def = defs[0]
  const id = `ans-${pathCode}`.replace(/\W/g, '-')
  const asText = (n: number | null | undefined) => (n == null ? '' : formatNum(lang, n, 6))
  const [met, setMet] = useState<boolean | null>(entry?.met ?? null)
  const [evidence, setEvidence] = useState<string[]>(entry?.evidence ?? [])
  const [draft, setDraft] = useState('')
  const [comment, setComment] = useState(entry?.comment ?? '')
  const [level, setLevel] = useState(String(entry?.level ?? 0))
  const [value, setValue] = useState(asText(entry?.value))
  const [before, setBefore] = useState(asText(previous))
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [savedAt, setSavedAt] = useState<number | null>(null)
  const [uploaded, setUploaded] = useState<EvidenceMeta[]>([])
  const known = new Map([...files, ...uploaded.map((m) => [m.id, m] as const)])
  const online = useOnline()

  const addFile = (meta: EvidenceMeta) => {
    setUploaded((u) => [...u, meta])
    setEvidence((items) => cleanEvidence([...items, meta.id]))
  }
  const addEvidence = () => {
    setEvidence(cleanEvidence([...evidence, draft]))
    setDraft('')
  }
  const put = (y: number, body: AssessmentEntryIn) =>
    putJSON<AssessmentEntry>(`/api/units/${encodeURIComponent(unit)}/assessment/${y}/${encodeURIComponent(pathCode)}`, body)

  const save = async (e: Event) => {
    e.preventDefault()
    setError(null)
    setSavedAt(null)
    if (typeof navigator !== 'undefined' && !navigator.onLine) return setError(new Error(t('save_offline')))
    const items = cleanEvidence([...evidence, draft])
    const calls: [number, AssessmentEntryIn][] = []
    if (control === 'yes_no') {
      if (met === null) return setError(new Error(t('choose_answer')))
      calls.push([year, { met, evidence: items, comment: comment.trim() }])
    } else if (control === 'level') {
      calls.push([year, { level: Number(level), evidence: items, comment: comment.trim() }])
    } else {
      const now = parseNumberInput(value, lang)
      const last = before.trim() ? parseNumberInput(before, lang) : null
      if (now === null || (before.trim() && last === null)) return setError(new Error(t('number_invalid')))
      calls.push([year, { value: now, comment: comment.trim() }])
      if (last !== null && last !== previous) calls.push([year - 1, { value: last, comment: '' }])
    }
    setBusy(true)
    try {
      for (const [y, body] of calls) await put(y, body)
      setEvidence(items)
      setDraft('')
      setSavedAt(Date.now())
      onSaved()
    } catch (err) {
      setError(err instanceof NetworkError ? new Error(t('save_offline')) : err)
    } finally {
      setBusy(false)
    }
  }

  const needsEvidence = control === 'yes_no' && met === true && def.kind === 'attested' && def.evidence_required !== false
  return (
    <form class="answer" onSubmit={save} noValidate>
      {control === 'yes_no' && (
        <fieldset class="yes-no">
          <legend>{t('ans_question')}</legend>
          {([true, false] as const).map((v) => (
            <label key={String(v)} class="choice">
              <input type="radio" name={`${id}-met`} checked={met === v} onChange={() => setMet(v)} />
              {t(v ? 'ans_yes' : 'ans_no')}
            </label>
          ))}
        </fieldset>
      )}
      {control === 'level' && def.kind === 'entered_level' && (
        <div class="field">
          <label for={`${id}-level`}>{t('level_pick')} — {pick(def.scale)}</label>
          <select id={`${id}-level`} value={level} onChange={(e) => setLevel((e.target as HTMLSelectElement).value)}>
            {levelOptions(defs).map((n) => (
              <option key={n} value={n}>{n === 0 ? t('level_opt_zero') : t('level_n', { n })}</option>
            ))}
          </select>
        </div>
      )}
      {control === 'measure' && def.kind === 'previous_year' && (
        <fieldset class="measure">
          <legend>{pick(def.measure_label)}</legend>
          {([[year, value, setValue], [year - 1, before, setBefore]] as const).map(([y, v, set]) => (
            <div class="field" key={y}>
              <label for={`${id}-${y}`}>{t('value_year', { y })}</label>
              <input id={`${id}-${y}`} inputMode="decimal" autoComplete="off" value={v} onInput={(e) => set((e.target as HTMLInputElement).value)} />
            </div>
          ))}
        </fieldset>
      )}
      {control !== 'measure' && (
        <fieldset class="evidence">
          <legend>{t('evidence')}</legend>
          {evidence.length ? (
            <ul>
              {evidence.map((item) => (
                <li key={item}>
                  <EvidenceItem item={item} files={known} />
                  <button type="button" class="link" aria-label={t('evidence_remove', { e: known.get(item)?.filename ?? item })}
                    onClick={() => setEvidence(evidence.filter((x) => x !== item))}>✕</button>
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">{t('evidence_none')}</p>
          )}
          {needsEvidence && !evidence.length && !draft.trim() && <p class="msg warn">{t('evidence_needed')}</p>}
          <label for={`${id}-ev`}>{t('evidence_new')}</label>
          <div class="add-row">
            <input id={`${id}-ev`} autoComplete="off" value={draft} onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
              onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); addEvidence() } }} />
            <button type="button" class="secondary" disabled={!draft.trim()} onClick={addEvidence}>{t('evidence_add')}</button>
          </div>
          <EvidenceUpload id={`${id}-file`} target={{ unit, year, indicator: pathCode }} onUploaded={addFile} />
        </fieldset>
      )}
      <div class="field">
        <label for={`${id}-comment`}>{t('comment')}</label>
        <textarea id={`${id}-comment`} rows={2} maxLength={2000} value={comment} onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)} />
      </div>
      {!online && <p class="msg warn">{t('save_offline')}</p>}
      <button type="submit" class="primary" disabled={busy}>{busy ? t('saving') : t('save')}</button>
      <p role="status" class="msg ok">{savedAt ? t('saved_at', { t: formatTime(lang, savedAt) }) : ''}</p>
      {error ? <ErrorBox error={error} /> : null}
    </form>
  )
}
