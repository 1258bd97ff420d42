import * as http from 'node:http'
import pino from 'pino'
import type { Seatflow } from '../../src/app/seatflow'
import { createSeatflowServer } from '../../src/server'
import { timed } from './report'

/** An answer as the benchmark reads it. */
export interface HttpAnswer {
  readonly status: number
  readonly text: string
}

/** The API of a seatflow on loopback, and an operator's client with `clients` keep-alive connections. */
export const serveForBench = async (seatflow: Seatflow, clients: number) => {
  const server = createSeatflowServer(seatflow, { worker: false, port: 0, logger: pino({ level: 'silent' }), rateLimitPerMinute: 1_000_000_000 })
  const token = server.context.tokens.create('bench', 'operator').token
  const base = new URL(await server.listen())
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients })
  const call = (method: 'GET' | 'POST', path: string, body?: unknown): Promise<HttpAnswer> => new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const headers = { authorization: `Bearer ${token}`, ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }) }
    const request = http.request({ host: base.hostname, port: base.port, method, path, agent, headers }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => { chunks.push(chunk) })
      response.on('end', () => { resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }) })
      response.on('error', reject)
    })
    request.on('error', reject)
    request.end(payload)
  })
  return {
    call,
    close: async (): Promise<void> => {
      agent.destroy()
      await server.close()
    },
  }
}

/** Run `one(i)` for i in [start, start + count) by `clients` callers at once, each taking the next i when its last is done. */
export const concurrently = async (clients: number, start: number, count: number, one: (i: number) => Promise<void>): Promise<void> => {
  let next = start
  const end = start + count
  const caller = async (): Promise<void> => {
    while (next < end) {
      const i = next
      next += 1
      await one(i)
    }
  }
  await Promise.all(Array.from({ length: clients }, caller))
}

/** A whole number from an environment variable, or the default. */
export const fromEnv = (name: string, fallback: number): number => {
  const text = process.env[name]
  const value = text === undefined || text === '' ? fallback : Number(text)
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${text}`)
  return value
}

/** The middle value. */
export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/** What paired rounds measured: each side's total seconds and each round's ratio (baseline time / measured time). */
export interface PairedRounds {
  readonly baselineSeconds: number
  readonly measuredSeconds: number
  readonly ratios: ReadonlyArray<number>
}

/** Run the baseline and the measured side in turns, `rounds` times (round r runs `sides(r)`): both meet the same machine. */
export const pairedRounds = async (rounds: number, sides: (round: number) => readonly [() => Promise<void>, () => Promise<void>]): Promise<PairedRounds> => {
  const ratios: number[] = []
  let baselineSeconds = 0
  let measuredSeconds = 0
  for (let round = 0; round < rounds; round += 1) {
    const [baseline, measured] = sides(round)
    const b = await timed(baseline)
    const m = await timed(measured)
    baselineSeconds += b
    measuredSeconds += m
    ratios.push(b / m)
  }
  return { baselineSeconds, measuredSeconds, ratios }
}
