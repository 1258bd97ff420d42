import { v7 as uuidv7 } from 'uuid'
import { EventMetadata, Recorded } from '../domain/envelope'
import { RetryPolicy } from '../domain/retry'
import { Gateways } from '../providers/gateway'
import { Mailer } from '../providers/mail'
import { EventStore } from '../store/port'
import { ViewStore } from '../store/views'
import { Clock } from './clock'
import { Trace } from './inputs'

/** What the use cases run on: the ports and the settings of this seatflow. */
export interface Context {
  readonly store: EventStore
  readonly views: ViewStore
  readonly clock: Clock
  readonly mailer: Mailer
  readonly gateways: Gateways
  readonly reminderIntervalHours: number
  /** How long an automatic change waits after a transient failure. */
  readonly retry: RetryPolicy
  /** Who a command is by when it names nobody. */
  readonly actor: string
}

/** The metadata of a command's events: now, by its actor, in its correlation. */
export const commandMetadata = (context: Context, trace: Trace): EventMetadata => ({
  occurredAt: context.clock.now().toISOString(),
  actor: trace.actor ?? context.actor,
  correlationId: trace.correlationId ?? uuidv7(),
  causationId: null,
})

/** The metadata of what a reaction records: caused by `cause`, in its correlation. */
export const reactionMetadata = (cause: Recorded, occurredAt = cause.metadata.occurredAt): EventMetadata => ({
  occurredAt,
  actor: 'seatflow',
  correlationId: cause.metadata.correlationId,
  causationId: cause.eventId,
})

/** A fresh event id for a command (uuid v7: time-ordered, indexes well). */
export const newEventId = (): string => uuidv7()
