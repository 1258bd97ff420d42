import type { Counter, Histogram } from 'prom-client'
import type { Gateways, ProvisioningGateway } from '../providers/gateway'

type Calls = Counter<'system' | 'operation' | 'outcome'>
type Seconds = Histogram<'system' | 'operation'>

/** The outcome label of what a gateway answered: the result's tag, `Read` for a subscription read, `Threw` for a broken gateway. */
const outcomeOf = (answer: unknown): string =>
  typeof answer === 'object' && answer !== null && '_tag' in answer && typeof answer._tag === 'string' ? answer._tag : 'Read'

/** Time one call and count it by outcome; a throw is counted as `Threw` and thrown on. */
const timed = <A>(calls: Calls, seconds: Seconds, labels: { readonly system: string; readonly operation: string }, call: () => Promise<A>): Promise<A> => {
  const stop = seconds.startTimer(labels)
  return call().then((answer) => {
    stop()
    calls.inc({ ...labels, outcome: outcomeOf(answer) })
    return answer
  }, (error: unknown) => {
    stop()
    calls.inc({ ...labels, outcome: 'Threw' })
    throw error
  })
}

const instrumentOne = (system: string, gateway: ProvisioningGateway, calls: Calls, seconds: Seconds): ProvisioningGateway => {
  const read = gateway.readSubscription
  return {
    changeQuantity: (request) => timed(calls, seconds, { system, operation: 'changeQuantity' }, () => gateway.changeQuantity(request)),
    checkPending: (request) => timed(calls, seconds, { system, operation: 'checkPending' }, () => gateway.checkPending(request)),
    ...(read === undefined ? {} : { readSubscription: (subscription) => timed(calls, seconds, { system, operation: 'readSubscription' }, () => read(subscription)) }),
  }
}

/** The same gateways, each call counted by system (the key it is given under), operation and outcome, and timed. */
export const instrumentGateways = (gateways: Gateways, calls: Calls, seconds: Seconds): Gateways =>
  Object.fromEntries(Object.entries(gateways).map(([system, gateway]) => [system, instrumentOne(system, gateway, calls, seconds)])) as Gateways
