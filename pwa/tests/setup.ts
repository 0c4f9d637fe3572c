// Each test gets a fresh fake IndexedDB.
import 'fake-indexeddb/auto'
import { IDBFactory } from 'fake-indexeddb'
import { beforeEach } from 'vitest'
import { closeDb } from '../src/db'

beforeEach(async () => {
  await closeDb()
  globalThis.indexedDB = new IDBFactory()
})
