// A unit's standing: level reached (large), recognised and target level, what is missing, and the checklist.
import { getCachedJSON } from '../api'
import { canWriteAssessment, entriesByCode } from '../assessment'
import { loadFramework } from '../framework'
import { useLang } from '../i18n'
import type { AssessmentView, Dossier, EvidenceMeta, Framework, UnitStatus, UserInfo } from '../types'
import { Checklist } from '../components/Checklist'
import { DossierPanel } from '../components/DossierPanel'
import { Downloads } from '../components/Downloads'
import { ErrorBox, StaleNote, YearSelect, useAsync, useYear } from '../components/common'

interface Loaded {
  status: UnitStatus
  view: AssessmentView | null
  dossier: Dossier | null
  files: Map<string, EvidenceMeta>
  framework: Framework | null
  staleAt: number | null
}

async function load(code: string, year: number): Promise<Loaded> {
  const q = encodeURIComponent(code)
  const [status, framework] = await Promise.all([
    getCachedJSON<UnitStatus>(`/api/units/${q}/status?year=${year}`),
    loadFramework(),
  ])
  const evaluated = !!status.data.evaluation
  const [view, dossier, files] = evaluated
    ? await Promise.all([
        getCachedJSON<AssessmentView>(`/api/units/${q}/assessment?year=${year}`),
        getCachedJSON<Dossier>(`/api/units/${q}/dossier?year=${year}`),
        getCachedJSON<EvidenceMeta[]>(`/api/units/${q}/evidence?year=${year}`),
      ])
    : [null, null, null]
  const stale = [status, view, dossier, files].filter((x) => x?.stale)
  return {
    status: status.data,
    view: view?.data ?? null,
    dossier: dossier?.data ?? null,
    files: new Map((files?.data ?? []).map((f) => [f.id, f])),
    framework,
    staleAt: stale.length ? Math.min(...stale.map((x) => x!.at)) : null,
  }
}

/** Level reached in large type, with recognised and target levels and the behind-plan marker. */
export function LevelSummary({ status }: { status: UnitStatus }) {
  const { t } = useLang()
  // A unit run by a node below carries its level in the roll-up, without the indicator details.
  const reached = status.evaluation?.level_reached ?? status.level_reached
  const max = status.evaluation?.max_level ?? status.max_level
  if (reached == null) return null
  return (
    <div class="level-box" aria-live="polite">
      <span class="label">{t('level_reached')}</span>
      <strong class="big" data-level={reached}>{reached ? t('level_n', { n: reached }) : t('level_zero')}</strong>
      {max != null && <span class="muted">{t('level_max', { n: max })}</span>}
      <dl class="facts">
        <div><dt>{t('recognized')}</dt><dd>{status.recognized_level ? t('level_n', { n: status.recognized_level }) : '—'}</dd></div>
        <div><dt>{t('target')}</dt><dd>{status.target?.target_level ? t('level_n', { n: status.target.target_level }) : '—'}</dd></div>
      </dl>
      {status.progress?.behind && <p class="behind"><span aria-hidden="true">⚠ </span>{t('behind')}</p>}
    </div>
  )
}

function Missing({ view }: { view: AssessmentView }) {
  const { t, pick } = useLang()
  const ev = view.evaluation!
  if (ev.next_level == null) return <p class="note">{t('all_met')}</p>
  return (
    <section class="missing" aria-labelledby="missing-h">
      <h2 id="missing-h">{t('missing_for', { n: ev.next_level, k: ev.missing.length })}</h2>
      <ul>
        {ev.missing.map((m) => (
          <li key={`${m.criterion}-${m.code}`} data-indicator={m.code}>
            {m.explanation ? pick(m.explanation) : `${m.code} ${pick(m.short)}`}
          </li>
        ))}
      </ul>
    </section>
  )
}

export function AssessmentScreen({ code, user }: { code: string; user: UserInfo }) {
  const { t } = useLang()
  const [year, years, setYear] = useYear()
  const state = useAsync(() => (year === null ? new Promise<never>(() => undefined) : load(code, year)), [code, year])
  if (state.error) return <ErrorBox error={state.error} onRetry={state.reload} />
  if (!state.data) return <p>{t('loading')}</p>
  const { status, view, dossier, files, framework, staleAt } = state.data
  const q = encodeURIComponent(code)
  const canWrite = canWriteAssessment(user, code) && !staleAt
  const unit = status.unit
  const childHref = unit.level === 'commune' ? `#/commune/${unit.code}` : `#/unit/${unit.code}`
  return (
    <section>
      <h1>{unit.name}</h1>
      <p class="muted">{t('assess_title')}</p>
      <YearSelect year={year!} years={years} onChange={setYear} />
      <StaleNote at={staleAt} />
      {!view?.evaluation ? (
        <p>{t('no_assessment')}</p>
      ) : (
        <>
          <LevelSummary status={status} />
          <Missing view={view} />
          <p class="muted">
            {t('reported')}: {status.completeness.villages_reported}/{status.completeness.villages_total} · <a href={childHref}>{unit.level === 'commune' ? t('nav_villages') : t('nav_overview')}</a>
          </p>
          {dossier && <DossierPanel dossier={dossier} status={status} user={user} live={!staleAt} onChanged={state.reload} />}
          <Downloads title={t('reports')} items={[
            { label: t('rep_self'), path: `/api/units/${q}/reports/self-assessment.docx?year=${year}`, fallback: `bao-cao-tu-danh-gia-${code}-${year}.docx` },
            { label: t('rep_criteria'), path: `/api/units/${q}/reports/criteria-summary.xlsx?year=${year}`, fallback: `bang-tong-hop-tieu-chi-${code}-${year}.xlsx` },
          ]} />
          {!canWriteAssessment(user, code) && <p class="note">{t('read_only')}</p>}
          <Checklist evaluation={view.evaluation} unit={unit} framework={framework} entries={entriesByCode(view.entries)}
            files={files} canWrite={canWrite} onSaved={state.reload} />
        </>
      )}
    </section>
  )
}
