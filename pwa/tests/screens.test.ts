import { describe, expect, it } from 'vitest'
import { villageStatus } from '../src/screens/Commune'
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
