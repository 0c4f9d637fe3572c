import { describe, expect, it } from 'vitest'
import { reportingYearInForce, yearChoices } from '../src/calendar'
import { tidyNumber } from '../src/components/FieldInput'
import { formatDuration, groupDigits, readWholeNumber } from '../src/numbers'
import { asInputs, opening } from '../src/screens/Tally'

describe('Vietnamese whole numbers', () => {
  it.each([
    ['52.000.000', 52_000_000],
    ['52000000', 52_000_000],
    ['52 000 000', 52_000_000],
    ['1.000', 1000],
    ['0', 0],
    ['', 'empty'],
    ['52,000,000', 'comma_groups'],
    ['2,5', 'decimal'],
    ['-1', 'negative'],
    ['5.20.000', 'bad'],
  ])('%j → %j', (raw, want) => expect(readWholeNumber(raw)).toBe(want))

  it('groups digits by dots (and commas in English)', () => {
    expect(groupDigits(2_000_000_000_000)).toBe('2.000.000.000.000')
    expect(groupDigits(999)).toBe('999')
    expect(groupDigits(52_000_000, ',')).toBe('52,000,000')
  })

  it('tidies typed digits on leaving the field and leaves anything else alone', () => {
    expect(tidyNumber('52000000')).toBe('52.000.000')
    expect(tidyNumber('52.000.000')).toBe('52.000.000')
    expect(tidyNumber('abc')).toBe('abc')
  })

  it('states durations in words', () => {
    expect(formatDuration('vi', 900)).toBe('15 phút')
    expect(formatDuration('en', 900)).toBe('15 minutes')
    expect(formatDuration('vi', 5400)).toBe('1 giờ 30 phút')
    expect(formatDuration('en', 20)).toBe('20 seconds')
    expect(formatDuration('en', 60)).toBe('1 minute')
    expect(formatDuration('vi', 899)).toBe('15 phút')
  })
})

describe('reporting year in force', () => {
  const calendar = {
    steps: [
      { code: 'village_tally', label: { vi: '', en: '' }, unit_level: 'village', source: '', deadline: { month: 12, day: 10, year_offset: 0 } },
      { code: 'district_dossier', label: { vi: '', en: '' }, unit_level: 'district', source: '', deadline: { month: 4, day: 30, year_offset: 1 } },
    ],
    periodic: [],
  }
  it.each([
    ['2026-02-10', 2025],
    ['2026-04-30', 2025],
    ['2026-05-01', 2026],
    ['2026-11-29', 2026],
  ])('on %s it is %i', (day, year) => {
    expect(reportingYearInForce(calendar, new Date(`${day}T12:00:00`))).toBe(year)
  })
  it('is the calendar year without a calendar', () => {
    expect(reportingYearInForce(undefined, new Date('2026-02-10T12:00:00'))).toBe(2026)
  })
  it('offers the year in force first and keeps a year asked for', () => {
    expect(yearChoices(2030)).toEqual([2030, 2029, 2028])
    expect(yearChoices(2030, 2020)).toEqual([2030, 2029, 2028, 2020])
  })
})

describe('the form of a year already sent', () => {
  const base = { framework: null, previous: null, current: null, queued: null, draft: null }
  const tally = { values: { households_total: 120, scholarship_fund_vnd: 52_000_000 } }
  it('opens on the sent figures, grouped', () => {
    expect(opening({ ...base, current: tally as never })).toEqual(['sent', { households_total: '120', scholarship_fund_vnd: '52.000.000' }])
  })
  it('prefers a draft, then what waits in the outbox', () => {
    expect(opening({ ...base, current: tally as never, draft: { households_total: '7' } })[0]).toBe('draft')
    expect(opening({ ...base, current: tally as never, queued: { values: { households_total: 9 } } as never })).toEqual(['queued', asInputs({ households_total: 9 })])
    expect(opening(base)).toEqual(['empty', {}])
  })
})
