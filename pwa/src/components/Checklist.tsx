// The criteria checklist: each indicator once, its status in words, symbol and colour, the values used.
import { useState } from 'preact/hooks'
import {
  controlFor,
  findDefinition,
  formatCheck,
  formatCounts,
  formatNum,
  groupIndicators,
  rowStatus,
  type Row,
  type Status,
} from '../assessment'
import { formatTime, useLang, type Key } from '../i18n'
import type { AssessmentEntry, EvidenceMeta, Framework, IndicatorResult, UnitEvaluation } from '../types'
import { AnswerForm } from './AnswerForm'
import { EvidenceItem } from './Evidence'

const sameText = (a: IndicatorResult, b: IndicatorResult) => a.explanation?.vi === b.explanation?.vi

const SYMBOL: Record<Status, string> = { met: '✓', unmet: '✗', no_data: '?' }

export function StatusPill({ status }: { status: Status }) {
  const { t } = useLang()
  return (
    <span class={`pill pill-${status}`}>
      <span aria-hidden="true">{SYMBOL[status]} </span>
      {t(`s_${status}` as Key)}
    </span>
  )
}

/** The values behind a result, by kind: checks for computed, levels entered, shares, yearly measures. */
function Values({ result, year }: { result: IndicatorResult; year: number }) {
  const { t, lang, pick } = useLang()
  const v = result.values ?? {}
  const num = (x: number | null | undefined, d = 1) => (x == null ? '—' : formatNum(lang, x, d))
  if (result.kind === 'computed')
    return (
      <ul class="checks">
        {(result.checks ?? []).map((c, i) => (
          <li key={i}>
            <span class={`ck ck-${c.status}`} aria-hidden="true">{SYMBOL[c.status]}</span>
            <span class="sr">{t(`s_${c.status}` as Key)}: </span>
            {pick(c.label)}: <strong>{formatCheck(lang, c)}</strong> <span class="muted">{formatCounts(lang, c)}</span>
          </li>
        ))}
      </ul>
    )
  if (result.kind === 'entered_level')
    return <p class="vals">{t(v.entered_level == null ? 'v_not_entered' : 'v_entered', { a: num(v.entered_level, 0), b: num(v.required_level, 0) })}</p>
  if (result.kind === 'children_share' && v.total != null)
    return <p class="vals">{t('v_children', { c: num(v.count, 0), n: num(v.total, 0), l: num(v.child_min_level, 0), s: num(v.share), m: num(v.min_share) })}</p>
  if (result.kind === 'previous_year')
    return <p class="vals">{t('v_previous', { y: year, a: num(v.current, 2), p: year - 1, b: num(v.previous, 2) })}</p>
  if (result.kind === 'attested' && v.answer != null)
    return <p class="vals">{t('self_answer', { a: t(v.answer ? 'yes' : 'no') })}</p>
  return null
}

/** Values and, when not met, why; `why` is false when the level above already printed the same reason. */
function Detail({ result, year, why = true }: { result: IndicatorResult; year: number; why?: boolean }) {
  const { pick } = useLang()
  return (
    <>
      <Values result={result} year={year} />
      {why && result.explanation && result.status !== 'met' && <p class="why">{pick(result.explanation)}</p>}
    </>
  )
}

interface RowProps {
  row: Row
  year: number
  unit: { code: string; level: string }
  framework: Framework | null
  entries: Map<string, AssessmentEntry>
  files: Map<string, EvidenceMeta>
  canWrite: boolean
  onSaved: () => void
}

function IndicatorRow({ row, year, unit, framework, entries, files, canWrite, onSaved }: RowProps) {
  const { t, lang, pick } = useLang()
  const [open, setOpen] = useState(false)
  const defs = findDefinition(framework, unit.level, row.criterion, row.code)
  const def = defs[0]
  const control = controlFor(row.kind)
  const pathCode = def?.kind === 'previous_year' ? def.measure : row.code
  const entry = entries.get(pathCode)
  const evidence = row.results[0].result.evidence ?? []
  const id = `ind-${row.criterion}-${row.code}`.replace(/\W/g, '-')
  return (
    <li class={`ind ind-${rowStatus(row)}`} data-indicator={row.code}>
      <div class="ind-head">
        <h3 id={id}><span class="code">{row.code}</span> {pick(row.short)}</h3>
        {row.uniform && <StatusPill status={row.results[0].result.status} />}
      </div>
      {row.uniform ? (
        <Detail result={row.results[0].result} year={year} />
      ) : (
        <ul class="per-level">
          {row.results.map(({ level, result }, i) => (
            <li key={level}>
              <span class="lvl">{t('level_n', { n: level })}</span> <StatusPill status={result.status} />
              <Detail result={result} year={year} why={i === 0 || !sameText(result, row.results[i - 1].result)} />
            </li>
          ))}
        </ul>
      )}
      {evidence.length > 0 && (
        <p class="vals ev-line">
          {t('evidence')}:{' '}
          {evidence.map((item, i) => <span key={item}>{i > 0 && '; '}<EvidenceItem item={item} files={files} /></span>)}
        </p>
      )}
      {entry && (
        <p class="muted small">
          {entry.comment && <>{t('comment')}: {entry.comment} · </>}
          {t('answered_by', { u: entry.recorded_by, t: formatTime(lang, entry.recorded_at) })}
        </p>
      )}
      {canWrite && control && (
        <>
          <button type="button" class="secondary" aria-expanded={open} aria-describedby={id} onClick={() => setOpen(!open)}>
            {open ? t('close') : entry ? t('edit_answer') : t('answer')}
          </button>
          {open && def && (
            <AnswerForm control={control} defs={defs} pathCode={pathCode} unit={unit.code} year={year} entry={entry}
              previous={row.results[0].result.values?.previous ?? null} files={files} onSaved={onSaved} />
          )}
        </>
      )}
    </li>
  )
}

interface ChecklistProps {
  evaluation: UnitEvaluation
  unit: { code: string; level: string }
  framework: Framework | null
  entries: Map<string, AssessmentEntry>
  files: Map<string, EvidenceMeta>
  canWrite: boolean
  onSaved: () => void
}

export function Checklist({ evaluation, ...rest }: ChecklistProps) {
  const { t, pick } = useLang()
  return (
    <section class="checklist" aria-labelledby="checklist-h">
      <h2 id="checklist-h">{t('checklist')}</h2>
      {groupIndicators(evaluation).map((g) => (
        <section key={g.code} class="criterion">
          <h2 class="crit">{t('criterion_n', { c: g.code })}. {pick(g.title)}</h2>
          <ul class="inds">
            {g.rows.map((row) => <IndicatorRow key={row.code} row={row} year={evaluation.year} {...rest} />)}
          </ul>
        </section>
      ))}
    </section>
  )
}
