import { describe, expect, it } from 'vitest'
import {
  canWriteAssessment,
  cleanEvidence,
  controlFor,
  findDefinition,
  formatCheck,
  formatCounts,
  groupIndicators,
  levelCounts,
  levelOptions,
  parseNumberInput,
  rowStatus,
} from '../src/assessment'
import type { CheckResult, Framework, IndicatorDef, IndicatorResult, UnitEvaluation } from '../src/types'

const text = (vi: string, en = vi) => ({ vi, en })
const check = (value: number | null, threshold: number, status: CheckResult['status'], n: number | null = null, d: number | null = null): CheckResult => ({
  label: text('tỷ lệ công dân học tập', 'share of learning citizens'), status, value, compare: '>=', threshold, unit: '%', numerator: n, denominator: d,
})
const ind = (criterion: string, code: string, kind: string, status: IndicatorResult['status'], extra: Partial<IndicatorResult> = {}): IndicatorResult => ({
  criterion, code, kind, short: text(`chỉ tiêu ${code}`), source: 'seed 004', status, values: {}, checks: [], evidence: [], explanation: null, ...extra,
})

describe('formatCheck', () => {
  it('prints value / threshold with a decimal comma in Vietnamese and a point in English', () => {
    expect(formatCheck('vi', check(59.8, 60, 'unmet'))).toBe('59,8% / 60%')
    expect(formatCheck('en', check(59.8, 60, 'unmet'))).toBe('59.8% / 60%')
    expect(formatCheck('vi', check(62.5, 60, 'met'))).toBe('62,5% / 60%')
  })
  it('never prints a missed threshold as reached', () => {
    expect(formatCheck('vi', check(59.999, 60, 'unmet'))).toBe('59,999% / 60%')
    expect(formatCheck('vi', check(60.001, 60, 'met'))).toBe('60% / 60%')
  })
  it('shows a dash when there is no data, and the counts with thousands separators', () => {
    expect(formatCheck('vi', check(null, 12.5, 'no_data'))).toBe('— / 12,5%')
    expect(formatCounts('vi', check(59.8, 60, 'unmet', 598, 1000))).toBe('(598/1.000)')
    expect(formatCounts('en', check(59.8, 60, 'unmet', 598, 1000))).toBe('(598/1,000)')
    expect(formatCounts('vi', check(null, 60, 'no_data'))).toBe('')
  })
})

describe('parseNumberInput', () => {
  it.each([
    ['12,5', 'vi', 12.5],
    ['12.5', 'vi', 12.5],
    ['45.000.000', 'vi', 45_000_000],
    ['45 000 000', 'vi', 45_000_000],
    ['1.234,5', 'vi', 1234.5],
    ['45,000,000', 'en', 45_000_000],
    ['12.5', 'en', 12.5],
    ['12,5', 'en', 12.5],
    ['', 'vi', null],
    ['abc', 'vi', null],
    ['1,2,3', 'vi', null],
  ] as const)('%s (%s) → %s', (input, lang, want) => expect(parseNumberInput(input, lang)).toBe(want))
})

describe('controls', () => {
  it('answers attested with yes/no, entered levels with a picker, measures with a value; the rest are read-only', () => {
    expect(['attested', 'entered_level', 'previous_year', 'computed', 'children_share'].map(controlFor)).toEqual(['yes_no', 'level', 'measure', null, null])
  })
  it('shows write controls only to assessing roles on their own unit', () => {
    expect(canWriteAssessment({ role: 'commune_officer', unit: '23353' }, '23353')).toBe(true)
    expect(canWriteAssessment({ role: 'commune_officer', unit: '23353' }, '23347')).toBe(false)
    expect(canWriteAssessment({ role: 'province_officer', unit: '62' }, '23353')).toBe(false)
    expect(canWriteAssessment({ role: 'province_officer', unit: '62' }, '62')).toBe(true)
    expect(canWriteAssessment({ role: 'viewer', unit: '23353' }, '23353')).toBe(false)
    expect(canWriteAssessment({ role: 'village_head', unit: '23353-01' }, '23353-01')).toBe(false)
  })
  it('offers levels 0 to the top of the scale or the highest required level', () => {
    const entered = (required: number, scale: string) => ({ kind: 'entered_level', code: '4.2', required_level: required, scale: text(scale), short: text('x'), source: '', text: text('x') }) as IndicatorDef
    expect(levelOptions([entered(2, 'Phổ cập giáo dục tiểu học (mức độ 1–3)'), entered(3, 'Phổ cập giáo dục tiểu học (mức độ 1–3)')])).toEqual([0, 1, 2, 3])
    expect(levelOptions([entered(1, 'Phổ cập giáo dục mầm non trẻ 5 tuổi (1 = đạt chuẩn)')])).toEqual([0, 1])
  })
})

describe('groupIndicators', () => {
  const shared = ind('1', '1.1', 'attested', 'met', { values: { answer: 1 }, evidence: ['QĐ 12/QĐ-UBND'] })
  const ev: UnitEvaluation = {
    framework_id: 'f', framework_version: '1', unit_level: 'commune', year: 2026, level_reached: 1, max_level: 2, next_level: 2,
    missing: [],
    levels: [1, 2].map((level) => ({
      level, label: text(`Mức độ ${level}`), status: level === 1 ? 'met' : 'unmet', not_met: [],
      criteria: [
        { code: '1', title: text('Sự lãnh đạo'), status: 'met', indicators: [shared] },
        { code: '5', title: text('Tác dụng'), status: 'met', indicators: [ind('5', '5.1', 'computed', level === 1 ? 'met' : 'unmet', { checks: [check(62.5, level === 1 ? 60 : 70, level === 1 ? 'met' : 'unmet')] })] },
      ],
    })),
  }
  it('lists each indicator once per criterion, in table order, with every level it appears in', () => {
    const groups = groupIndicators(ev)
    expect(groups.map((g) => [g.code, g.rows.map((r) => r.code)])).toEqual([['1', ['1.1']], ['5', ['5.1']]])
    expect(groups[0].rows[0].results.map((r) => r.level)).toEqual([1, 2])
  })
  it('needs one status line when every level agrees, one per level when thresholds differ', () => {
    const [c1, c5] = groupIndicators(ev)
    expect(c1.rows[0].uniform).toBe(true)
    expect(c5.rows[0].uniform).toBe(false)
    expect(rowStatus(c5.rows[0])).toBe('unmet')
    expect(rowStatus(c1.rows[0])).toBe('met')
  })
})

describe('findDefinition', () => {
  it('finds the measure code of a previous-year indicator at every level', () => {
    const py = { kind: 'previous_year', code: '4.2', measure: 'income_per_head_vnd', measure_label: text('thu nhập'), short: text('x'), source: '', text: text('x') }
    const fw = { criteria: { district: { label: text('huyện'), levels: [1, 2].map((level) => ({ level, label: text('m'), criteria: [{ code: '4', title: text('t'), indicators: [py] }] })) } } } as unknown as Framework
    const defs = findDefinition(fw, 'district', '4', '4.2')
    expect(defs).toHaveLength(2)
    expect(defs[0].kind === 'previous_year' && defs[0].measure).toBe('income_per_head_vnd')
    expect(findDefinition(fw, 'commune', '4', '4.2')).toEqual([])
    expect(findDefinition(null, 'district', '4', '4.2')).toEqual([])
  })
})

describe('levels of child units', () => {
  it('counts units per level reached, lowest first, ignoring units without an evaluation', () => {
    expect(levelCounts([1, 0, 2, 1, undefined, 0, 1])).toEqual([[0, 2], [1, 3], [2, 1]])
    expect(levelCounts([undefined, null])).toBeNull()
  })
})

describe('cleanEvidence', () => {
  it('trims, drops blanks and repeats, keeps the order typed', () => {
    expect(cleanEvidence([' QĐ 12/QĐ-UBND ', '', 'KH 3/KH-UBND', 'QĐ 12/QĐ-UBND', '  '])).toEqual(['QĐ 12/QĐ-UBND', 'KH 3/KH-UBND'])
  })
})
