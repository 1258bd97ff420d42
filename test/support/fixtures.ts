import * as E from 'fp-ts/Either'
import * as fs from 'fs'
import * as path from 'path'
import { EventLine, parseEventLine } from '../../src/app/transfer/eventLine'

/** Where the golden files of every stored event shape live. */
export const fixturesFolder = path.join(__dirname, '..', 'fixtures', 'events')

/** The lines of an NDJSON golden file, parsed; a bad line fails the test that reads it. */
export const readFixture = (file: string): ReadonlyArray<EventLine> =>
  fs.readFileSync(file, 'utf8').split('\n').filter((text) => text.trim() !== '').map((text, index) => {
    const line = parseEventLine(text)
    if (E.isLeft(line)) throw new Error(`${file} line ${index + 1}: ${line.left}`)
    return line.right
  })

/** The golden files of one folder: `Type.vN.ndjson` with their type and version. */
export const fixtureFiles = (folder: string = fixturesFolder): ReadonlyArray<{ readonly file: string; readonly type: string; readonly version: number }> =>
  fs.readdirSync(folder).filter((name) => name.endsWith('.ndjson')).map((name) => {
    const match = /^([A-Za-z]+)\.v(\d+)\.ndjson$/.exec(name)
    if (match === null) throw new Error(`${name}: a golden file is named Type.vN.ndjson`)
    return { file: path.join(folder, name), type: match[1] as string, version: Number(match[2]) }
  })
