import { createSeatflow } from '../../src/app/seatflow'
import { createSeatflowServer } from '../../src/server'
import pino from 'pino'

describe('the service skeleton', () => {
  it('answers a route it does not have with a problem, and takes a token it made', async () => {
    const seatflow = await createSeatflow({ store: 'memory:' })
    const server = createSeatflowServer(seatflow, { worker: false, logger: pino({ level: 'silent' }) })
    const { token, record } = server.context.tokens.create('billing', 'operator')
    expect(server.context.tokens.verify(token)).toEqual(record)
    expect(server.context.tokens.verify(`${token}x`)).toBeNull()
    const answer = await server.app.inject({ method: 'GET', url: '/api/v1/nothing', headers: { authorization: `Bearer ${token}` } })
    expect(answer.statusCode).toBe(404)
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(answer.json()).toMatchObject({ status: 404, tag: 'NoSuchRoute' })
    expect(answer.headers['x-content-type-options']).toBe('nosniff')
    server.context.tokens.revoke('billing')
    expect(server.context.tokens.verify(token)).toBeNull()
    await server.close()
  })
})
