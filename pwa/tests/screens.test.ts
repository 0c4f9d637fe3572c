import { describe, expect, it } from 'vitest'
import { villageStatus } from '../src/screens/Commune'
import { ROW_STEP, drawn } from '../src/screens/Overview'
import type { Tally } from '../src/types'

describe('villageStatus', () => {
  const tally = (status: string, flags: unknown[] = []) => ({ status, flags }) as unknown as Tally
  it.each([
    [undefined, 'missing'],
    [tally('submitted'), 'submitted'],
    [tally('submitted', [{ field: 'x' }]), 'flagged'],
    [tally('confirmed', [{ field: 'x' }]), 'confirmed'],
    [tally('returned'), 'returned'],
  ])('%#: %s', (t, want) => expect(villageStatus(t)).toBe(want))
})

describe('drawn', () => {
  it('draws the first rows and counts the rest', () => {
    const rows = Array.from({ length: 3321 }, (_, i) => i)
    expect(drawn(rows, ROW_STEP)).toEqual({ rows: rows.slice(0, 200), more: 3121 })
    expect(drawn(rows, 3400).more).toBe(0)
    expect(drawn([], ROW_STEP)).toEqual({ rows: [], more: 0 })
  })
})
