import { randomUUID } from 'node:crypto'
import { AutomaticSystem } from '../../../src/domain/events'
import { ProvisioningRequest } from '../../../src/providers/gateway'
import { Timing } from '../../../src/providers/polling'

/** A provisioning request for a gateway test: a new attempt (new idempotency key) unless `overrides` say otherwise. */
export const provisioningRequest = (system: AutomaticSystem, overrides: Partial<ProvisioningRequest> = {}): ProvisioningRequest => ({
  licenseChangeId: randomUUID(), action: 'set quantity', subscriptionId: 'sub-1', providerId: 'provider-1', system, product: 'Microsoft 365 E3',
  targetQuantity: 12, previousQuantity: 10, attempt: 1, idempotencyKey: randomUUID(), ...overrides,
})

/** Fast, deterministic waiting for gateway tests: real sleeps of a few ms, jitter fixed at the middle. */
export const fastTiming = (totalMs = 500): Partial<Timing> => ({
  poll: { firstDelayMs: 5, maxDelayMs: 20, totalMs }, random: () => 0.5,
})

/** Waiting that takes no time: each sleep is recorded and moves the clock (from now), so long waits are tested at once. */
export const simulatedTiming = (totalMs = 500): { readonly timing: Partial<Timing>; readonly waits: ReadonlyArray<number> } => {
  const waits: number[] = []
  let clock = Date.now()
  return {
    waits,
    timing: { ...fastTiming(totalMs), now: () => clock, sleep: async (ms) => { waits.push(ms); clock += ms } },
  }
}
