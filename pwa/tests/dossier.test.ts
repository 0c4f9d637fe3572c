import { describe, expect, it } from 'vitest'
import {
  FLOW,
  actorOf,
  byName,
  allowedActions,
  downloadName,
  dossierStateKey,
  eventKey,
  fedLevels,
  fedRows,
  formatDate,
  relativeAge,
  rowEvaluation,
  timelinessLabel,
  todayInVietnam,
} from '../src/dossier'
import { translate } from '../src/i18n'
import flowYaml from '../../shared_schema/dossier_flow.yaml?raw'

const commune = { unit: '23353', recogniser: '62' }
const officer = { role: 'commune_officer', unit: '23353' }
const province = { role: 'province_officer', unit: '62' }
const district = { role: 'district_officer', unit: '610' }
const viewer = { role: 'viewer', unit: '62' }
const villageHead = { role: 'village_head', unit: '23353' }

describe('dossier states', () => {
  it.each([
    ['draft', 'Đang soạn', 'Draft'],
    ['submitted', 'Đã nộp', 'Submitted'],
    ['under_review', 'Đang thẩm định', 'Under review'],
    ['recognised', 'Đã công nhận', 'Recognised'],
    ['returned', 'Trả lại để bổ sung', 'Returned for completion'],
    ['resubmitted', 'Đã nộp lại', 'Resubmitted'],
  ])('%s reads "%s" / "%s"', (state, vi, en) => {
    const key = dossierStateKey(state)!
    expect([translate('vi', key), translate('en', key)]).toEqual([vi, en])
  })
  it('treats a unit without a dossier as a draft and leaves unknown states to the node label', () => {
    expect(dossierStateKey(null)).toBe('ds_draft')
    expect(dossierStateKey('archived')).toBeNull()
    expect(eventKey('return')).toBe('evx_return')
    expect(eventKey('archive')).toBeNull()
  })
  it('mirrors shared_schema/dossier_flow.yaml', () => {
    const yaml = flowYaml.replace(/\r\n/g, '\n')
    for (const [action, spec] of Object.entries(FLOW)) {
      const block = new RegExp(`\\n  ${action}:\\n    by: (\\w+)\\n    from: \\{([^}]*)\\}`).exec(yaml)
      expect(block, action).not.toBeNull()
      expect(block![1]).toBe(spec.by)
      const pairs = Object.fromEntries(block![2].split(',').map((p) => p.split(':').map((x) => x.trim())))
      expect(pairs).toEqual(spec.from)
    }
  })
})

describe('allowed actions per role', () => {
  it.each([
    [officer, 'draft', ['submit']],
    [officer, 'returned', ['submit']],
    [officer, 'submitted', []],
    [officer, 'recognised', []],
    [province, 'draft', []],
    [province, 'submitted', ['open']],
    [province, 'resubmitted', ['open']],
    [province, 'under_review', ['recognise', 'return']],
    [province, 'recognised', []],
    [district, 'submitted', []],
    [viewer, 'submitted', []],
    [villageHead, 'draft', []],
  ])('%o on %s → %o', (user, status, want) => {
    expect(allowedActions(user, { ...commune, status })).toEqual(want)
  })
  it('knows which side the user is on; a recogniser never acts on its own unit', () => {
    expect(actorOf(officer, commune)).toBe('unit')
    expect(actorOf(province, commune)).toBe('recogniser')
    expect(actorOf(district, { unit: '23353', recogniser: '610' })).toBe('recogniser')
    expect(actorOf(province, { unit: '62', recogniser: null })).toBe('unit')
    expect(actorOf(district, commune)).toBeNull()
  })
})

describe('timeliness labels', () => {
  it.each([
    ['on_time', '✓', 'Đúng hạn', 'On time'],
    ['late', '⚠', 'Nộp muộn', 'Late'],
    ['missing', '✗', 'Chưa nộp', 'Missing'],
    ['not_due', '…', 'Chưa đến hạn', 'Not due yet'],
    [undefined, '✗', 'Chưa nộp', 'Missing'],
  ])('%s', (status, symbol, vi, en) => {
    const l = timelinessLabel(status)
    expect([l.symbol, translate('vi', l.key), translate('en', l.key)]).toEqual([symbol, vi, en])
  })
  it('writes deadlines the way each language does', () => {
    expect(formatDate('vi', '2027-02-15')).toBe('15/02/2027')
    expect(formatDate('en', '2027-02-15')).toBe('15 Feb 2027')
    expect(todayInVietnam(new Date('2026-12-31T18:30:00Z'))).toBe('2027-01-01')
  })
})

describe('relative time', () => {
  it.each([
    [null, 'vi', null],
    [0, 'vi', 'vừa xong'],
    [59, 'en', 'just now'],
    [60, 'en', '1 minute ago'],
    [3 * 3600 + 5, 'vi', '3 giờ trước'],
    [3 * 3600, 'en', '3 hours ago'],
    [2 * 86400, 'vi', '2 ngày trước'],
    [45 * 86400, 'en', '1 month ago'],
    [-5, 'en', 'just now'],
  ] as const)('%s s in %s → %s', (seconds, lang, want) => {
    expect(relativeAge(lang, seconds)).toBe(want)
  })
})

describe('download names', () => {
  it.each([
    ['attachment; filename="bao-cao-tu-danh-gia-23353-2026.docx"', 'bao-cao-tu-danh-gia-23353-2026.docx'],
    ["attachment; filename=\"x.xlsx\"; filename*=UTF-8''t%E1%BB%95ng%20h%E1%BB%A3p.xlsx", 'tổng hợp.xlsx'],
    ['attachment; filename=xhht-commune-2026.csv', 'xhht-commune-2026.csv'],
    ['attachment; filename="../../etc/passwd"', 'passwd'],
    ['attachment; filename="a:b?.pdf"', 'ab.pdf'],
    ['attachment; filename=".."', 'fallback.bin'],
    ['attachment', 'fallback.bin'],
    [null, 'fallback.bin'],
  ])('%s → %s', (header, want) => {
    expect(downloadName(header, 'fallback.bin')).toBe(want)
  })
})

describe('federation view helpers', () => {
  it('offers communes beside districts only on the own unit of a four-level hierarchy', () => {
    expect(fedLevels('district', true)).toEqual(['district', 'commune'])
    expect(fedLevels('district', false)).toEqual(['district'])
    expect(fedLevels('commune', true)).toEqual(['commune'])
    expect(fedLevels('village', true)).toEqual([])
    expect(fedLevels(null, true)).toEqual([])
  })
  it('keeps only the drilled-into unit\'s children', () => {
    const rows = [{ unit: 'a', parent: '610' }, { unit: 'b', parent: '611' }]
    expect(fedRows(rows, '62', '62')).toEqual(rows)
    expect(fedRows(rows, '610', '62')).toEqual([rows[0]])
  })
  it('orders units by name the Vietnamese way', () => {
    const rows = ['Xã Xốp', 'Xã Đắk Plô', 'Thị trấn Đắk Glei', 'Xã Dục Nông', 'Xã Ngọc Linh'].map((unit_name) => ({ unit_name }))
    expect(byName(rows, 'vi').map((r) => r.unit_name)).toEqual(['Thị trấn Đắk Glei', 'Xã Dục Nông', 'Xã Đắk Plô', 'Xã Ngọc Linh', 'Xã Xốp'])
  })
  it('reads levels from the row evaluation, tolerating an empty one', () => {
    expect(rowEvaluation({ evaluation: {} })).toEqual({ level_reached: null, claimed_level: null, recognized_level: null, dossier_status: null })
    expect(rowEvaluation({ evaluation: { level_reached: 0, claimed_level: 1, recognized_level: 1, dossier_status: 'recognised' } }))
      .toEqual({ level_reached: 0, claimed_level: 1, recognized_level: 1, dossier_status: 'recognised' })
  })
})
