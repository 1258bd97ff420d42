import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import { openEventStoreDbStorage } from '../../src/store/eventstoredb'
import { openStorage } from '../../src/store/open'
import { startStandIn } from '../support/eventstoredb/server'
import { claimsContract } from './contract-claims'

claimsContract('memory', async () => {
  const storage = openStorage('memory:')
  return { claims: storage.claims, close: () => storage.close() }
})

claimsContract('a SQLite file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-claims-'))
  const storage = openStorage(`sqlite:${path.join(dir, 'claims.db')}`)
  return { claims: storage.claims, close: async () => { await storage.close(); fs.rmSync(dir, { recursive: true, force: true }) } }
})

const onStandIn = (batchAppend: boolean, namespace: string) => async () => {
  const standIn = await startStandIn({ batchAppend, systemEventEvery: 3 })
  const storage = openEventStoreDbStorage(`${standIn.url}&views=memory${namespace === '' ? '' : `&namespace=${namespace}`}`)
  return { claims: storage.claims, close: async () => { await storage.close(); await standIn.stop() } }
}

claimsContract('the eventstoredb stand-in, BatchAppend advertised', onStandIn(true, ''))
claimsContract('the eventstoredb stand-in, Append only, in a namespace', onStandIn(false, 'tenant-a/'))
