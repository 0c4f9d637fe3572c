// Pure helpers of the self-assessment checklist: merging levels, formatting values, which control to show.
import type { Lang } from './i18n'
import type {
  AssessmentEntry,
  CheckResult,
  Framework,
  IndicatorDef,
  IndicatorResult,
  Text,
  UnitEvaluation,
  UserInfo,
} from './types'

export type Status = IndicatorResult['status']
export type Control = 'yes_no' | 'level' | 'measure' | null

/** One indicator's result at one level (levels repeat indicators, sometimes with stricter thresholds). */
export interface AtLevel {
  level: number
  result: IndicatorResult
}

/** One row of the checklist: an indicator, once, with its result at every level that lists it. */
export interface Row {
  criterion: string
  code: string
  kind: string
  short: Text
  results: AtLevel[]
  /** True when every level gives the same result, so one status line is enough. */
  uniform: boolean
}

export interface CriterionGroup {
  code: string
  title: Text
  rows: Row[]
}

const same = (a: IndicatorResult, b: IndicatorResult) =>
  a.status === b.status && JSON.stringify([a.checks, a.values, a.explanation]) === JSON.stringify([b.checks, b.values, b.explanation])

/** Criteria in table order, each indicator once with its per-level results. */
export function groupIndicators(ev: UnitEvaluation): CriterionGroup[] {
  const groups = new Map<string, CriterionGroup>()
  const rows = new Map<string, Row>()
  for (const level of ev.levels) {
    for (const c of level.criteria) {
      let group = groups.get(c.code)
      if (!group) groups.set(c.code, (group = { code: c.code, title: c.title, rows: [] }))
      for (const r of c.indicators) {
        const key = `${c.code}|${r.code}`
        let row = rows.get(key)
        if (!row) {
          row = { criterion: c.code, code: r.code, kind: r.kind, short: r.short, results: [], uniform: true }
          rows.set(key, row)
          group.rows.push(row)
        }
        if (row.results.length && !same(row.results[0].result, r)) row.uniform = false
        row.results.push({ level: level.level, result: r })
      }
    }
  }
  return [...groups.values()]
}

/** The status the row shows when one line is enough: the worst over its levels otherwise. */
export function rowStatus(row: Row): Status {
  const all = row.results.map((r) => r.result.status)
  return all.includes('unmet') ? 'unmet' : all.includes('no_data') ? 'no_data' : 'met'
}

/** The write control an indicator kind takes; computed and children_share are read-only. */
export function controlFor(kind: string): Control {
  return kind === 'attested' ? 'yes_no' : kind === 'entered_level' ? 'level' : kind === 'previous_year' ? 'measure' : null
}

const WRITERS = new Set(['commune_officer', 'district_officer', 'province_officer', 'admin'])

/** Show write controls only on the user's own unit, for roles that assess (the server decides anyway). */
export function canWriteAssessment(user: Pick<UserInfo, 'role' | 'unit'>, unitCode: string): boolean {
  return user.unit === unitCode && WRITERS.has(user.role)
}

/** The framework's definition of an indicator (for the measure code, the level scale, the full text). */
export function findDefinition(fw: Framework | null, unitLevel: string, criterion: string, code: string): IndicatorDef[] {
  const levels = fw?.criteria?.[unitLevel]?.levels ?? []
  return levels.flatMap((l) => l.criteria.filter((c) => c.code === criterion).flatMap((c) => c.indicators.filter((i) => i.code === code)))
}

/** Levels offered by the picker: 0 (not reached) up to the scale's top ("mức độ 1–3") or the highest required. */
export function levelOptions(defs: IndicatorDef[]): number[] {
  let top = 1
  for (const d of defs) {
    if (d.kind !== 'entered_level') continue
    top = Math.max(top, d.required_level)
    const range = /(\d+)\s*[–-]\s*(\d+)/.exec(d.scale.vi)
    if (range) top = Math.max(top, Number(range[2]))
  }
  return Array.from({ length: Math.min(top, 10) + 1 }, (_, i) => i)
}

/** Current answers by the code they were saved under (indicator code, or measure code). */
export function entriesByCode(entries: AssessmentEntry[]): Map<string, AssessmentEntry> {
  return new Map(entries.map((e) => [e.indicator, e]))
}

const locale = (lang: Lang) => (lang === 'vi' ? 'vi-VN' : 'en-GB')

export function formatNum(lang: Lang, n: number, digits = 1): string {
  return n.toLocaleString(locale(lang), { maximumFractionDigits: digits })
}

/** A value beside its threshold; never printed equal to a threshold it missed (59,999 → "59,999", not "60"). */
export function formatClose(lang: Lang, value: number, threshold: number, met: boolean): string {
  for (const digits of [2, 4, 6]) {
    const rounded = Number(value.toFixed(digits))
    if (met || rounded !== threshold) return formatNum(lang, value, digits)
  }
  return formatNum(lang, value, 8)
}

const unitSuffix = (unit: string) => (unit === '%' ? '%' : unit ? ` ${unit}` : '')

/** "59,75% / 60%" — the value used (up to 2 decimals, as the node's explanations print it) and the threshold, in the language's number style. */
export function formatCheck(lang: Lang, check: CheckResult): string {
  const u = unitSuffix(check.unit)
  const limit = `${formatNum(lang, check.threshold, 2)}${u}`
  if (check.value == null) return `— / ${limit}`
  return `${formatClose(lang, check.value, check.threshold, check.status === 'met')}${u} / ${limit}`
}

/** Counts behind a check: "(598/1.000)". */
export function formatCounts(lang: Lang, check: CheckResult): string {
  if (check.numerator == null || check.denominator == null) return ''
  return `(${formatNum(lang, check.numerator, 0)}/${formatNum(lang, check.denominator, 0)})`
}

/**
 * A number typed by an officer: "12,5" and "12.5" both mean 12.5; in Vietnamese "45.000.000" is 45 million
 * (dots grouping thousands), in English "45,000,000" is. Returns null when it is not a number.
 */
export function parseNumberInput(text: string, lang: Lang): number | null {
  let s = text.replace(/[\s\u00a0]/g, '')
  if (!s) return null
  const group = lang === 'vi' ? '.' : ','
  const decimal = lang === 'vi' ? ',' : '.'
  const grouped = new RegExp(`^-?\\d{1,3}(\\${group}\\d{3})+(\\${decimal}\\d+)?$`)
  if (grouped.test(s)) s = s.split(group).join('')
  s = s.replace(',', '.')
  if (!/^-?\d+(\.\d+)?$/.test(s)) return null
  return Number(s)
}

/** Evidence identifiers typed one per line (or added one by one): trimmed, blanks and repeats dropped. */
export function cleanEvidence(items: string[]): string[] {
  const out: string[] = []
  for (const raw of items) {
    const e = raw.trim()
    if (e && !out.includes(e)) out.push(e)
  }
  return out
}

/** Level counts for the chart: "Chưa đạt" first, then level 1, 2, …; null when no unit is evaluated. */
export function levelCounts(levels: (number | null | undefined)[]): [number, number][] | null {
  const known = levels.filter((l): l is number => typeof l === 'number')
  if (!known.length) return null
  const counts = new Map<number, number>()
  for (const l of known) counts.set(l, (counts.get(l) ?? 0) + 1)
  return [...counts].sort((a, b) => a[0] - b[0])
}
